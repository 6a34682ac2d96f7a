"""The closed spaces the forum starts with: coordinators, case-manager intervision, provinces."""

from django.db import migrations

SPACES = [
    ("coordinatoren", "Coördinatoren", "coordinators", "",
     "Voor coördinatoren en adjunct-coördinatoren van alle LIVC's R."),
    ("intervisie-casemanagers", "Intervisie casemanagers", "case_managers", "",
     "Intervisie tussen casemanagers en coördinatoren: aanpak, methodiek, dilemma's."),
    ("provincie-antwerpen", "Provincie Antwerpen", "province", "10000",
     "Voor alle leden van cellen in de provincie Antwerpen."),
    ("provincie-limburg", "Provincie Limburg", "province", "70000",
     "Voor alle leden van cellen in de provincie Limburg."),
    ("provincie-oost-vlaanderen", "Provincie Oost-Vlaanderen", "province", "40000",
     "Voor alle leden van cellen in de provincie Oost-Vlaanderen."),
    ("provincie-vlaams-brabant", "Provincie Vlaams-Brabant", "province", "20001",
     "Voor alle leden van cellen in de provincie Vlaams-Brabant."),
    ("provincie-west-vlaanderen", "Provincie West-Vlaanderen", "province", "30000",
     "Voor alle leden van cellen in de provincie West-Vlaanderen."),
]


def create(apps, schema_editor):
    Space = apps.get_model("forum", "Space")
    for position, (slug, name, kind, province, description) in enumerate(SPACES):
        Space.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "province": province,
                "description": description,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
