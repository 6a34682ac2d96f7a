"""The privacy office's own records (issue 10)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField


class AccessReview(models.Model):
    """A periodic review of the cell's access log, signed off by who reviewed it (R-18)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    events = models.PositiveIntegerField(default=0)  # events in the period when signed off
    hints = models.PositiveIntegerField(default=0)  # anomaly hints in the period
    # May name people (staff) or cases: encrypted with the cell's key.
    findings = EncryptedTextField(_("findings"), blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-period_end", "-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.period_start} - {self.period_end}"
