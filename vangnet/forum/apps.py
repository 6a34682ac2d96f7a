from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "vangnet.forum"
    label = "forum"
    verbose_name = _("Forum")
