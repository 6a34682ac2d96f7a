from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    name = "vangnet.cells"
    label = "cells"
    verbose_name = _("Cells")

    def ready(self) -> None:
        from django.core.checks import Tags, register
        from django.core.signals import request_started
        from django.db.models.signals import post_migrate

        from vangnet.lib.rls import rls_apply_after_migrate, rls_check, rls_forget_on_request

        # Once per migrate (sender: this app), after every app's migrations: row-level security
        # on every tenant table, including tables added since the last run.
        post_migrate.connect(rls_apply_after_migrate, sender=self)
        # check --deploy --database default: is row-level security a safety net here at all?
        # (Deploy only: migrate runs the database checks too, and must run to apply it.)
        register(rls_check, Tags.database, deploy=True)
        request_started.connect(rls_forget_on_request)
