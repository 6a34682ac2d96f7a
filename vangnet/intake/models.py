"""Signals about a person, trend signals without a person, and the screening of signals."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell, Municipality
from vangnet.keyring.fields import EncryptedTextField


class Category(models.TextChoices):
    IDEOLOGY = "ideology", _("Ideological statements")
    VIOLENCE = "violence", _("Violence or threats")
    CONTACTS = "contacts", _("Contacts")
    ONLINE = "online", _("Online behaviour")
    TRAVEL = "travel", _("Travel")
    POLARISATION = "polarisation", _("Polarisation or tensions")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent (danger now)")


class AgeBand(models.TextChoices):
    UNDER_12 = "under_12", _("Under 12")
    AGE_12_17 = "12_17", _("12 to 17")
    AGE_18_25 = "18_25", _("18 to 25")
    AGE_26_40 = "26_40", _("26 to 40")
    OVER_40 = "over_40", _("Over 40")
    UNKNOWN = "", _("Unknown")


RADICALISATION = "radicalisation"


class Outcome(models.TextChoices):
    REDIRECTED = "redirected", _("Out of scope: redirected to regular care")
    INFORMATION = "information", _("Information only")
    URGENT_POLICE = "urgent_police", _("Urgent: handed to the police")
    CASE = "case", _("A case is opened")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class SignalQuerySet(models.QuerySet["Signal"]):
    def expired(self, today: object) -> SignalQuerySet:
        """Screened signals that did not become a case and whose keeping period has passed."""
        return self.filter(case__isnull=True, delete_after__isnull=False, delete_after__lte=today)


class Signal(models.Model):
    """A partner's concern about one person. Identity and free text are encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="signals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    origin_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("origin organisation"),
    )
    origin_sector = models.CharField(_("origin sector"), max_length=30, blank=True)
    received_on = models.DateField(_("date of the signal"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    phenomenon = models.CharField(_("phenomenon"), max_length=30, default=RADICALISATION)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = EncryptedTextField(_("short factual description"), blank=True)
    # Left out of an access export to the person (R-22: no third-party secrets).
    professional_secret = models.BooleanField(
        _("contains another professional's secret"), default=False
    )
    person_name = EncryptedTextField(_("name"), blank=True)
    person_birth_date = EncryptedTextField(_("date of birth"), blank=True)  # ISO date
    person_age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, blank=True
    )
    person_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    is_minor = models.BooleanField(_("minor"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Screening (coordinator with the information officer).
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = EncryptedTextField(_("reason"), blank=True, null=True)
    redirected_to = EncryptedTextField(_("redirected to"), blank=True, null=True)
    referrer_informed = models.BooleanField(_("referrer informed"), null=True, blank=True)
    referrer_informed_on = models.DateField(_("referrer informed on"), null=True, blank=True)
    # only "yes / no / unknown", entered by the information officer; never police data.
    known_to_police = models.CharField(
        _("known to police or followed up by the LTF"),
        max_length=10,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    delete_after = models.DateField(null=True, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(SignalQuerySet), cell="cell")

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [
            models.Index(fields=["cell", "delete_after"]),
            # "Signals to screen" on the cell's home page: a handful among thousands.
            models.Index(
                fields=["cell"],
                condition=models.Q(screened_at__isnull=True),
                name="intake_signal_unscreened_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Signal {self.pk}"

    @property
    def is_screened(self) -> bool:
        return self.screened_at is not None

    @property
    def birth_date(self) -> datetime.date | None:
        return (
            datetime.date.fromisoformat(self.person_birth_date) if self.person_birth_date else None
        )


class TrendSignal(models.Model):
    """A concern without a person (e.g. tensions in a district): visible to every member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="trend_signals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    origin_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trend_signals",
        verbose_name=_("origin organisation"),
    )
    received_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Free text, encrypted in case someone names a person or a street after all.
    area = EncryptedTextField(_("area or district"), blank=True)
    description = EncryptedTextField(_("description"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Trend signal {self.pk}"
