from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyringConfig(AppConfig):
    name = "vangnet.keyring"
    label = "keyring"
    verbose_name = _("Key ring")

    def ready(self) -> None:
        # Connects the setting_changed receiver that empties the unwrapped-key cache.
        from vangnet.keyring import services  # noqa: F401
