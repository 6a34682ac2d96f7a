"""Case files: pseudonymous code, encrypted identity, need-to-know participants, action plan."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField
from vangnet.lib.choices import label_of


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PersonInformed(models.TextChoices):
    """R-21: is the person informed that the cell discusses them?"""

    YES = "yes", _("Yes")
    NO = "no", _("No, with a reason")
    DEFERRED = "deferred", _("Deferred until a date")
    UNDECIDED = "", _("Not decided yet")


class ClosureReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", _("Risk reduced or care secured")
    REGULAR_CARE = "regular_care", _("Handed over to regular care")
    MOVED = "moved", _("Moved or transferred")
    UNFOUNDED = "unfounded", _("Unfounded")


class CaseQuerySet(models.QuerySet["Case"]):
    def expired(self, today: datetime.date) -> CaseQuerySet:
        """Closed cases past their deletion date and not under a legal hold."""
        return self.filter(
            status=CaseStatus.CLOSED,
            delete_after__isnull=False,
            delete_after__lte=today,
            legal_hold=False,
        )


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="cases")
    code = models.CharField(_("case code"), max_length=20)
    phenomenon = models.CharField(_("phenomenon"), max_length=30, default="radicalisation")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Identity and all free text about the person: encrypted with the cell's data key.
    person_name = EncryptedTextField(_("name"))
    person_birth_date = EncryptedTextField(_("date of birth"), blank=True)  # ISO date
    person_address = EncryptedTextField(_("address"), blank=True)
    # Keyed hash of name + date of birth: finds an existing case without showing names.
    identity_index = models.CharField(max_length=64, blank=True, db_index=True)
    is_minor = models.BooleanField(_("minor"), default=False)
    summary = EncryptedTextField(_("agreed headline summary"), blank=True)
    person_informed = models.CharField(
        _("person informed"), max_length=10, choices=PersonInformed.choices, blank=True
    )
    person_informed_reason = EncryptedTextField(_("reason"), blank=True, null=True)
    person_informed_deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    review_due = models.DateField(_("next review"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_outcome = EncryptedTextField(_("outcome"), blank=True, null=True)
    delete_after = models.DateField(_("delete after"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = EncryptedTextField(_("reason for the legal hold"), blank=True, null=True)
    legal_hold_review = models.DateField(_("review the legal hold on"), null=True, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(CaseQuerySet), cell="cell")

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "code"], name="cases_case_unique_code")
        ]
        indexes = [models.Index(fields=["cell", "status", "review_due"])]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        """``get_status_display()`` for lists (``lib.choices.label_of``)."""
        return label_of(CaseStatus, self.status)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def birth_date(self) -> datetime.date | None:
        return (
            datetime.date.fromisoformat(self.person_birth_date) if self.person_birth_date else None
        )


class Participant(models.Model):
    """Need-to-know: an organisation or a named person who may open the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_participations",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_participations",
        verbose_name=_("person"),
    )
    reason = EncryptedTextField(_("reason (need to know)"))
    is_case_manager = models.BooleanField(_("case manager"), default=False)
    # Time-boxed access: it ends when this action is done.
    until_action = models.ForeignKey(
        "Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("access until this action is done"),
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(user__isnull=False),
                name="cases_participant_has_someone",
            )
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="case_actions",
        verbose_name=_("owner organisation"),
    )
    description = EncryptedTextField(_("description"))
    # Left out of an access export to the person (R-22: no third-party secrets).
    professional_secret = models.BooleanField(
        _("contains another professional's secret"), default=False
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            # Overdue actions per case (case list, case detail): without it PostgreSQL
            # intersects the case index with the cell's thousands of actions for every row.
            models.Index(fields=["case", "status", "due_date"], name="cases_action_case_due_idx"),
            # Overdue actions of the cell (its home page, the reminders).
            models.Index(fields=["cell", "status", "due_date"], name="cases_action_cell_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class Dimension(models.TextChoices):
    """The nine dimensions of the Danish Infohus tool: a checklist, never a score."""

    CONVICTIONS = "convictions", _("Concerning convictions and rhetoric")
    PERSONALITY = "personality", _("Personality factors")
    VIOLENCE = "violence", _("Willingness to use violence")
    CRIMINAL_HISTORY = "criminal_history", _("Criminal history")
    MENTAL = "mental", _("Mental vulnerability")
    FAMILY = "family", _("Family")
    SOCIALISATION = "socialisation", _("Socialisation and relationships")
    NETWORK = "network", _("Network and spare time")
    EDUCATION = "education", _("Education and employment")


class FactorKind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    PROTECTIVE = "protective", _("Protective factor")


class Factor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="factors")
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=FactorKind.choices)
    note = EncryptedTextField(_("headline note"), blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["dimension", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "dimension", "kind"], name="cases_factor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.kind}"


class CaseCounter(models.Model):
    """The last case number per cell and year. It only goes up: a purged case's code is
    never given to another person."""

    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "year"], name="cases_counter_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.year}: {self.last}"
