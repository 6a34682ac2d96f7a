"""The shared list of themes (VVSG can add more later)."""

from django.db import migrations

THEMES = [
    ("werking", "Werking en organisatie van de LIVC R"),
    ("beroepsgeheim", "Gedeeld beroepsgeheim en privacy"),
    ("casusoverleg", "Casusoverleg en methodiek"),
    ("partners", "Partners en netwerk"),
    ("fenomenen", "Radicalisering, polarisatie en extremisme"),
    ("signalen", "Signalen, screening en doorverwijzing"),
    ("preventie", "Preventie en weerbaarheid"),
    ("regelgeving", "Regelgeving en kader"),
    ("vorming", "Vorming, intervisie en netwerk"),
    ("andere", "Andere"),
]


def create(apps, schema_editor):
    Theme = apps.get_model("knowledge", "Theme")
    for position, (slug, name) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
