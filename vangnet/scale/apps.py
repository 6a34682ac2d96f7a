from __future__ import annotations

from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "vangnet.scale"
    label = "scale"
