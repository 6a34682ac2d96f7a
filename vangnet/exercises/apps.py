from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "vangnet.exercises"
    label = "exercises"
    verbose_name = _("Tabletop exercises")
