"""Meetings of a cell: agenda, attendance, decisions, feedback sheets to the police, minutes."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField
from vangnet.lib.choices import label_of

if TYPE_CHECKING:
    from vangnet.network.models import Organisation


class MeetingKind(models.TextChoices):
    CASE = "case", _("Case consultation")
    NETWORK = "network", _("Network or thematic meeting")
    MIXED = "mixed", _("Mixed")


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    invited_organisations: models.ManyToManyField[Organisation, MeetingInvitation] = (
        models.ManyToManyField(
            "network.Organisation",
            blank=True,
            related_name="meeting_invitations",
            through="MeetingInvitation",
            verbose_name=_("invited organisations"),
        )
    )
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)
    minutes_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_version > 0


class MeetingInvitation(models.Model):
    """An organisation invited to a meeting. It carries the meeting's cell, so the table is a
    tenant table like any other (row-level security, django-scopes)."""

    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    objects = ScopedManager(cell="cell")

    class Meta:
        # The table of the many-to-many field before it had a model of its own.
        db_table = "meetings_meeting_invited_organisations"
        unique_together = [("meeting", "organisation")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.organisation_id}"


class ItemKind(models.TextChoices):
    NEW_CASE = "new_case", _("New case")
    REVIEW = "review", _("Case review")
    CLOSURE = "closure", _("Proposed for closure")
    TOPIC = "topic", _("Topic")


class AgendaItem(models.Model):
    """An agenda line. A case item is only ever shown to those who may open the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    title = models.CharField(_("topic"), max_length=200, blank=True)  # topics only, no persons
    summary = EncryptedTextField(_("agreed headline summary"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    # Left out of an access export to the person (R-22: no third-party secrets).
    professional_secret = models.BooleanField(
        _("contains another professional's secret"), default=False
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=models.Q(case__isnull=False),
                name="meetings_item_case_once",
            )
        ]

    def __str__(self) -> str:
        return f"Item {self.pk}"

    @property
    def is_case_item(self) -> bool:
        return self.case_id is not None

    @property
    def kind_label(self) -> str:
        """``get_kind_display()`` for lists (``lib.choices.label_of``)."""
        return label_of(ItemKind, self.kind)


class Attendance(models.Model):
    """Who was effectively present (needed for the consensus on a feedback sheet)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    present = models.BooleanField(default=False)
    secrecy_acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class CarryOverReason(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started yet")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for a partner")
    PERSON_UNREACHABLE = "unreachable", _("Person not reachable")
    OTHER = "other", _("Other")


class CarryOver(models.Model):
    """An unfinished action discussed at a meeting and carried over, with a reason code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="carry_overs")
    action = models.ForeignKey("cases.Action", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=CarryOverReason.choices)

    objects = ScopedManager(cell="cell")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "action"], name="meetings_carry_over_unique")
        ]

    def __str__(self) -> str:
        return f"Carry-over {self.pk}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VOTING = "voting", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SENT = "sent", _("Sent to the police")


class FeedbackSheet(models.Model):
    """Terugkoppelingsfiche (R-06): needs the consensus of every member effectively present."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="feedback")
    text = EncryptedTextField(_("text"))
    status = models.CharField(max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    no_secrets_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Feedback sheet {self.pk}"


class Vote(models.TextChoices):
    PENDING = "", _("Not voted yet")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class FeedbackVote(models.Model):
    """One vote per member present when the sheet was put to the vote (attendance frozen)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(FeedbackSheet, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    vote = models.CharField(max_length=10, choices=Vote.choices, blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "user"], name="meetings_vote_unique")
        ]

    def __str__(self) -> str:
        return f"Vote {self.pk}"


class MinutesApproval(models.Model):
    """A version of the approved minutes; a later version needs a reason (audited)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="approvals")
    version = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="meetings_version_unique")
        ]

    def __str__(self) -> str:
        return f"Minutes v{self.version}"
