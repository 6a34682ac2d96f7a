"""The privacy office's own records (issue 10)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField
from vangnet.lib.dates import add_months


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


class RequestKind(models.TextChoices):
    """The rights of the data subject that reach the cell (GDPR art. 15-21, R-22)."""

    ACCESS = "access", _("Access (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


class RequestDecision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")


class SubjectRequestQuerySet(models.QuerySet["SubjectRequest"]):
    def open(self) -> SubjectRequestQuerySet:
        return self.filter(decided_at__isnull=True)


class SubjectRequest(models.Model):
    """A request of a person about their data, with its deadline and the decision (R-22).

    The person's identity is encrypted; once an erasure is carried out it is wiped from the
    request too, so that the register keeps what was decided and done (counts), not who.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("right"), max_length=15, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    subject_name = EncryptedTextField(_("name of the person"), blank=True)
    subject_birth_date = EncryptedTextField(_("date of birth"), blank=True)  # ISO date
    request_text = EncryptedTextField(_("what the person asks"), blank=True)
    identity_verified = models.BooleanField(_("identity verified"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # Art. 12(3): one month, extendable by two more when necessary, with reasons.
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=RequestDecision.choices, blank=True
    )
    grounds = EncryptedTextField(_("grounds"), blank=True)
    # Art. 23: which right was restricted, how far and on what legal basis.
    restrictions = EncryptedTextField(_("restrictions applied"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What was done, in counts: never copies of the data.
    exported_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_cases = models.PositiveIntegerField(default=0)
    erased_signals = models.PositiveIntegerField(default=0)
    kept_cases = models.PositiveIntegerField(default=0)  # under a legal hold at the erasure
    # Records the coordinator confirmed as this person's although name and date of birth do
    # not match exactly (no date of birth recorded, or found by case code): ids only.
    confirmed_ids = models.JSONField(default=list, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(SubjectRequestQuerySet), cell="cell")

    class Meta:
        ordering = ["-received_on", "-registered_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.received_on}"

    @property
    def first_deadline(self) -> datetime.date:
        return add_months(self.received_on, 1)

    @property
    def latest_extension(self) -> datetime.date:
        return add_months(self.received_on, 3)

    @property
    def deadline(self) -> datetime.date:
        return self.extended_until or self.first_deadline

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def days_left(self, today: datetime.date) -> int:
        """Days until the deadline; negative when it has passed."""
        return (self.deadline - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_decided and today > self.deadline

    @property
    def birth_date(self) -> datetime.date | None:
        return (
            datetime.date.fromisoformat(self.subject_birth_date)
            if self.subject_birth_date
            else None
        )
