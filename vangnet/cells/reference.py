"""Reference data: the 285 Flemish municipalities, from the CSV kept in the project."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

CSV_PATH = Path(__file__).resolve().parent / "data" / "flemish-municipalities-2025.csv"


def municipalities_load(model: Any = None) -> int:
    """Insert missing municipalities; idempotent. Returns the number of rows in the CSV.

    The data migration passes its historical model; tests whose database was flushed call it
    without arguments.
    """
    if model is None:
        from vangnet.cells.models import Municipality

        model = Municipality
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    model.objects.bulk_create(
        [
            model(
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
    return len(rows)
