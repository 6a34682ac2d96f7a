from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    name = "vangnet.cells"
    label = "cells"
    verbose_name = _("Cells")

    def ready(self) -> None:
        from django.core.checks import Tags, register
        from django.db.models.signals import post_migrate

        from vangnet.lib.rls import rls_apply_after_migrate, rls_check

        # Once per migrate (sender: this app), after every app's migrations: row-level security
        # on every tenant table, including tables added since the last run.
        post_migrate.connect(rls_apply_after_migrate, sender=self)
        # With --database: is row-level security a safety net on this database at all?
        register(rls_check, Tags.database)
