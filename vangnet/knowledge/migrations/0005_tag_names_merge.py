"""Tags whose names differ only in case are merged, before 0006 makes names unique regardless of
case: the most used spelling (then the first in alphabetical order) is kept and takes over the
items of the others.
"""

from django.db import migrations, models


def tags_merge(apps, schema_editor):
    Tag = apps.get_model("knowledge", "Tag")
    Through = apps.get_model("knowledge", "Item").tags.through
    db = schema_editor.connection.alias
    groups = {}
    for tag in Tag.objects.using(db).annotate(uses=models.Count("items")).order_by("-uses", "name"):
        groups.setdefault(tag.name.lower(), []).append(tag)
    for keep, *others in groups.values():
        if not others:
            continue
        tagged = set(Through.objects.using(db).filter(tag=keep).values_list("item_id", flat=True))
        for other in others:
            for link in Through.objects.using(db).filter(tag=other):
                if link.item_id not in tagged:
                    Through.objects.using(db).create(item_id=link.item_id, tag=keep)
                    tagged.add(link.item_id)
            other.delete()


class Migration(migrations.Migration):
    # Its own migration (transaction): on PostgreSQL the deletes leave deferred foreign-key
    # checks pending, which would block creating the unique index in the same transaction.
    dependencies = [("knowledge", "0004_item_search_vector")]

    operations = [migrations.RunPython(tags_merge, migrations.RunPython.noop)]
