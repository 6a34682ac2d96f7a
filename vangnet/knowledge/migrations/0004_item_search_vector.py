"""A stored, GIN-indexed Dutch search vector for knowledge items (used on PostgreSQL only).

The column is declared on every database (SQLite accepts "tsvector" as a declared type and the
column simply stays empty there); the GIN index and the filling of existing rows happen on
PostgreSQL only. ``Item.save()`` keeps the vector up to date from then on.
"""

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Left

INDEX = "knowledge_item_search_gin"
# Keep in step with vangnet.knowledge.models.search_vector_expression.
BODY_CHARS = 100_000
CONFIG = "dutch"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("knowledge", "Item")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(INDEX)} "
        f"ON {table} USING gin (search_vector)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


def vectors_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Item = apps.get_model("knowledge", "Item")
    Item.objects.using(schema_editor.connection.alias).update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector(Left("body_text", BODY_CHARS), weight="C", config=CONFIG)
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_practice_personal_data_confirmed")]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_create, index_drop),
        migrations.RunPython(vectors_fill, migrations.RunPython.noop),
    ]
