"""The audit event: one row per security-relevant action, chained by SHA-256 hashes.

Rows are written only by :func:`vangnet.audit.services.audit_record` and are never updated
or deleted: database triggers (migration 0002) reject UPDATE, DELETE and TRUNCATE, and
:func:`vangnet.audit.services.audit_verify` detects any change made behind their back.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Dotted, lower-case, at least three parts: <app>.<subject>.<verb>, e.g.
# "accounts.login.succeeded". Kept strict so events can be filtered by prefix reliably.
ACTION_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+){2,}$"

GENESIS_HASH = "0" * 64


class AuditEventImmutableError(Exception):
    """Raised when code tries to change or delete an audit event through the model."""


class AuditEvent(models.Model):
    """One audit event.

    ``data`` holds **non-personal metadata only** (counts, codes, field names, old/new
    enum values, ids of affected objects). Never put names, e-mail addresses, case notes,
    IP addresses or any other personal data in it: the audit log can't be rectified or
    erased (GDPR art. 16/17) without breaking the chain, so personal data must stay in the
    encrypted, erasable tables and be referenced here by id only.
    """

    # Internal ordering of the chain. Assigned by audit_record (last + 1 under a lock), not by
    # the database sequence, because the hash covers it and rows can't be updated afterwards.
    # Never expose it in URLs: it reveals the volume of activity across all cells.
    position = models.BigAutoField(primary_key=True)
    # Always UTC, set by the service (not auto_now) so the value hashed is the value stored.
    occurred_at = models.DateTimeField(_("occurred at"))
    # The user's pk as text, deliberately not a foreign key: a cascade or SET_NULL from the
    # users table would have to UPDATE/DELETE audit rows, which the triggers forbid.
    actor_id = models.CharField(_("actor"), max_length=36, blank=True)
    actor_role = models.CharField(_("actor role"), max_length=30, blank=True)
    # Same reasoning as actor_id: no foreign key to cells.Cell.
    cell_id = models.UUIDField(_("cell"), null=True, blank=True)
    action = models.CharField(
        _("action"),
        max_length=100,
        validators=[RegexValidator(ACTION_PATTERN, _("Use a dotted lower-case action code."))],
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Nobody adds, changes or deletes audit events through generic tooling.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["cell_id", "occurred_at"], name="audit_cell_time_idx"),
            models.Index(fields=["actor_id", "occurred_at"], name="audit_actor_time_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Friendlier and earlier than the database trigger; the trigger remains the guarantee.
        if not self._state.adding:
            raise AuditEventImmutableError("audit events can't be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEventImmutableError("audit events can't be deleted")
