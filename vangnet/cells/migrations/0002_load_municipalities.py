"""Load the 285 Flemish municipalities (mergers of 1 January 2025) from the kept CSV copy."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from vangnet.cells.reference import municipalities_load


def load(apps: Any, schema_editor: Any) -> None:
    municipalities_load(apps.get_model("cells", "Municipality"))


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cells", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cells", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
