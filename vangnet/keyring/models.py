"""Data keys (wrapped by the master keys from the settings) and the encryption probe."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.keyring.fields import EncryptedTextField


class DataKey(models.Model):
    """A 256-bit data key for one scope: a cell, or the platform (``cell`` is null).

    Only the wrapped form is stored: the key encrypted with a master key, bound (AAD) to this
    row's id, scope and version so that a wrapped key copied to another row is useless.
    Retired versions stay (``active=False``) so older ciphertext and restored backups remain
    readable; deleting a cell deletes its keys, which crypto-shreds any copy of its data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        "cells.Cell",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_keys",
        verbose_name=_("cell"),
    )
    version = models.PositiveIntegerField(_("version"))
    master_key_id = models.CharField(_("master key id"), max_length=64)
    wrapped_key = models.BinaryField(_("wrapped key"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Deliberately not a django-scopes manager: keys are needed outside any scope (platform
    # data, rotation, management commands) and never leave the keyring services.
    objects = models.Manager()

    class Meta:
        ordering = ["cell_id", "version"]
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        # NULLs are distinct in unique constraints (SQLite, PostgreSQL), so the platform
        # scope (cell IS NULL) needs its own conditional constraints.
        constraints = [
            models.UniqueConstraint(
                fields=["cell"],
                condition=models.Q(active=True, cell__isnull=False),
                name="keyring_datakey_one_active_per_cell",
            ),
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True, cell__isnull=True),
                name="keyring_datakey_one_active_platform",
            ),
            models.UniqueConstraint(
                fields=["cell", "version"],
                condition=models.Q(cell__isnull=False),
                name="keyring_datakey_unique_cell_version",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(cell__isnull=True),
                name="keyring_datakey_unique_platform_version",
            ),
        ]

    def __str__(self) -> str:
        return f"DataKey {self.cell_id or 'platform'} v{self.version}"


class EncryptionProbe(models.Model):
    """A throwaway encrypted value.

    Used by ``manage.py check_encryption`` and the tests to prove the key ring works end to
    end (write, read back, delete). Rows only live for the duration of a check.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        "cells.Cell", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    secret = EncryptedTextField(_("secret"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("encryption probe")
        verbose_name_plural = _("encryption probes")

    def __str__(self) -> str:
        return f"EncryptionProbe {self.id}"
