"""Load the 285 Flemish municipalities (mergers of 1 January 2025) from the kept CSV copy."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "flemish-municipalities-2025.csv"


def load(apps: Any, schema_editor: Any) -> None:
    Municipality = apps.get_model("cells", "Municipality")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    Municipality.objects.bulk_create(
        [
            Municipality(
                nis_code=row["nis_code"],
                name_nl=row["name_nl"],
                name_fr=row["name_fr"],
                arrondissement_nis=row["arrondissement_nis"],
                arrondissement_nl=row["arrondissement_nl"],
                province_nis=row["province_nis"],
                province_nl=row["province_nl"],
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cells", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cells", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
