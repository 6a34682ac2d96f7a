from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vangnet.breaches"
    verbose_name = _("Breach register")
