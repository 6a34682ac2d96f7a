"""The cell's register of personal data breaches (GDPR art. 33 and 34; R-19, issue 10).

Every breach is registered, also one that need not be notified (art. 33(5)): the facts, the
effects, the measures and the reasoning behind the decision. The 72-hour clock of art. 33(1)
starts when the cell became aware of the breach (``aware_at``). Free text may name people and is
encrypted with the cell's key; dates and choices stay plain so the clock can be computed.
"""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField

# Art. 33(1): notify "without undue delay and, where feasible, not later than 72 hours after
# having become aware of it".
NOTIFICATION_WINDOW = datetime.timedelta(hours=72)


class BreachNature(models.TextChoices):
    """The three kinds of breach (Article 29 WP / EDPB guidelines on breach notification)."""

    CONFIDENTIALITY = "confidentiality", _("Confidentiality: unauthorised disclosure or access")
    INTEGRITY = "integrity", _("Integrity: unauthorised or accidental alteration")
    AVAILABILITY = "availability", _("Availability: loss of access or destruction")


class BreachRisk(models.TextChoices):
    """The assessment that decides who must be told (art. 33(1) and 34(1))."""

    NOT_ASSESSED = "", _("Not assessed yet")
    NONE = "none", _("Unlikely to result in a risk: no notification")
    RISK = "risk", _("A risk: notify the authority")
    HIGH = "high", _("A high risk: notify the authority and inform the data subjects")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def notification_deadline(aware_at: datetime.datetime) -> datetime.datetime:
    # In UTC: 72 real hours, also across a change to or from summer time.
    return aware_at.astimezone(datetime.UTC) + NOTIFICATION_WINDOW


def late_reason_required(
    *, aware_at: datetime.datetime | None, notified_at: datetime.datetime | None
) -> bool:
    """A notification after the 72 hours must give the reasons for the delay (art. 33(1))."""
    if aware_at is None or notified_at is None:
        return False
    return notified_at > notification_deadline(aware_at)


# What ``Breach.clock`` says.
CLOCK_RUNNING = "running"  # to be notified, deadline ahead
CLOCK_OVERDUE = "overdue"  # to be notified, deadline passed
CLOCK_NOTIFIED = "notified"  # notified within the 72 hours
CLOCK_NOTIFIED_LATE = "notified_late"
CLOCK_NOT_REQUIRED = "not_required"  # assessed as unlikely to result in a risk

# A longer delay reads better in days ("5 days late" rather than "128 hours late").
LATE_IN_DAYS_FROM = 48


@dataclass(frozen=True)
class Clock:
    state: str
    # Whole hours left (rounded up) while running; hours late (rounded down) when overdue or
    # notified late; 0 otherwise.
    hours: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.state == CLOCK_OVERDUE

    @property
    def label(self) -> str:
        if self.state == CLOCK_RUNNING:
            return ngettext("%(hours)d hour left", "%(hours)d hours left", self.hours) % {
                "hours": self.hours
            }
        if self.state == CLOCK_OVERDUE:
            if self.hours == 0:
                return gettext("less than an hour late")
            if self.hours >= LATE_IN_DAYS_FROM:
                days = self.hours // 24
                return ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
            return ngettext("%(hours)d hour late", "%(hours)d hours late", self.hours) % {
                "hours": self.hours
            }
        if self.state == CLOCK_NOTIFIED_LATE:
            if self.hours >= LATE_IN_DAYS_FROM:
                days = self.hours // 24
                return ngettext(
                    "notified %(days)d day late", "notified %(days)d days late", days
                ) % {"days": days}
            return ngettext(
                "notified %(hours)d hour late", "notified %(hours)d hours late", self.hours
            ) % {"hours": self.hours}
        if self.state == CLOCK_NOTIFIED:
            return gettext("notified within 72 hours")
        return gettext("no notification needed")


def _hours(delta: datetime.timedelta, *, up: bool) -> int:
    hours = delta.total_seconds() / 3600
    return max(0, math.ceil(hours) if up else math.floor(hours))


class BreachQuerySet(models.QuerySet["Breach"]):
    def to_notify(self) -> BreachQuerySet:
        """Not notified yet, and not assessed as unlikely to result in a risk."""
        return self.filter(notified_at__isnull=True).exclude(risk=BreachRisk.NONE)

    def overdue(self, now: datetime.datetime) -> BreachQuerySet:
        """Still to be notified while the 72 hours have passed."""
        return self.to_notify().filter(aware_at__lt=now - NOTIFICATION_WINDOW)

    def by_urgency(self) -> BreachQuerySet:
        """Open before closed; first those still to be notified (earliest deadline first),
        then the others, newest first."""
        return self.annotate(
            closed_rank=Case(
                When(status=BreachStatus.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=models.IntegerField(),
            ),
            pending_since=Case(
                When(
                    Q(notified_at__isnull=True) & ~Q(risk=BreachRisk.NONE),
                    then=F("aware_at"),
                ),
                default=None,
                output_field=models.DateTimeField(),
            ),
        ).order_by("closed_rank", F("pending_since").asc(nulls_last=True), "-aware_at", "-code")


class Breach(models.Model):
    """One personal data breach in the cell's register (art. 33(5))."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    # A readable reference per cell and year ("B-2026-001"); never used in URLs.
    code = models.CharField(_("reference"), max_length=20, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )

    # The facts. When it happened may be unknown (empty) or only approximately known.
    occurred_at = models.DateTimeField(_("breach occurred on"), null=True, blank=True)
    occurred_approximate = models.BooleanField(_("the time is approximate"), default=False)
    aware_at = models.DateTimeField(_("the cell became aware on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    nature: models.JSONField[Any, Any] = models.JSONField(
        _("nature of the breach"), default=list
    )  # BreachNature values
    description = EncryptedTextField(_("what happened"))
    subject_categories = EncryptedTextField(_("categories of data subjects"), blank=True)
    subject_count = models.PositiveIntegerField(
        _("approximate number of data subjects"), null=True, blank=True
    )
    record_categories = EncryptedTextField(_("categories of personal data records"), blank=True)
    record_count = models.PositiveIntegerField(
        _("approximate number of records"), null=True, blank=True
    )
    consequences = EncryptedTextField(_("likely consequences"), blank=True)
    measures = EncryptedTextField(_("measures taken or proposed"), blank=True)
    contact = EncryptedTextField(_("contact point"), blank=True)

    # The assessment and what follows from it.
    risk = models.CharField(
        _("risk assessment"), max_length=10, choices=BreachRisk.choices, blank=True
    )
    risk_grounds = EncryptedTextField(_("grounds of the assessment"), blank=True)
    notified_at = models.DateTimeField(_("notified to the authority on"), null=True, blank=True)
    authority_reference = models.CharField(
        _("reference of the authority"), max_length=100, blank=True
    )
    late_reason = EncryptedTextField(_("reasons for the delay"), blank=True)
    subjects_informed_at = models.DateTimeField(
        _("data subjects informed on"), null=True, blank=True
    )
    subjects_informed_how = EncryptedTextField(
        _("how the data subjects were informed, or why not"), blank=True
    )

    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(models.Manager.from_queryset(BreachQuerySet), cell="cell")

    class Meta:
        ordering = ["-aware_at"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "code"], name="breaches_breach_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status == BreachStatus.OPEN

    @property
    def deadline(self) -> datetime.datetime:
        return notification_deadline(self.aware_at)

    @property
    def notification_required(self) -> bool:
        """The authority is notified unless the breach is assessed as unlikely to result in
        a risk; until it is assessed, the clock runs."""
        return self.risk != BreachRisk.NONE

    @property
    def subjects_must_be_informed(self) -> bool:
        """Art. 34(1): a high risk to the rights and freedoms of the data subjects."""
        return self.risk == BreachRisk.HIGH

    @property
    def nature_labels(self) -> list[str]:
        labels = dict(BreachNature.choices)
        return [str(labels[n]) for n in self.nature if n in labels]

    def remaining(self, now: datetime.datetime) -> datetime.timedelta:
        """Time left until the deadline (negative once it has passed)."""
        return self.deadline - now

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.notified_at is None and self.notification_required and now > self.deadline

    def clock(self, now: datetime.datetime) -> Clock:
        if self.notified_at is not None:
            late = self.notified_at - self.deadline
            if late > datetime.timedelta(0):
                return Clock(CLOCK_NOTIFIED_LATE, _hours(late, up=False))
            return Clock(CLOCK_NOTIFIED)
        if not self.notification_required:
            return Clock(CLOCK_NOT_REQUIRED)
        remaining = self.remaining(now)
        if now > self.deadline:
            return Clock(CLOCK_OVERDUE, _hours(-remaining, up=False))
        return Clock(CLOCK_RUNNING, _hours(remaining, up=True))
