from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    name = "vangnet.scans"
    label = "scans"
    verbose_name = _("Self-evaluation")
