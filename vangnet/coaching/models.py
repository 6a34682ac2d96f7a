"""Coaching trajectories: a VVSG coach works with one or more cells for a while.

A trajectory is VVSG's record, not the cell's case data: it is not tenant-scoped (one trajectory
can reach several cells), holds no personal data (notes pass the personal-data check and are
encrypted at rest anyway; documents are confirmed anonymous by their uploader) and is shown to
a linked cell's coordinator, deputy and mayor read-only, with only the notes and documents that
VVSG shared with the cell.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField

# The categories of coaching are those of the improvement actions of a self-evaluation.
from vangnet.scans.models import CoachingCategory

__all__ = [
    "CoachingCategory",
    "CoachingDocument",
    "CoachingNote",
    "Milestone",
    "MilestoneKind",
    "Trajectory",
    "TrajectoryStatus",
]

TITLE_MAX_LENGTH = 150
NOTE_MAX_LENGTH = 5_000
MILESTONE_NOTE_MAX_LENGTH = 300
DOCUMENT_TITLE_MAX_LENGTH = 200


class TrajectoryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class Trajectory(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    category = models.CharField(_("category"), max_length=20, choices=CoachingCategory.choices)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coaching_trajectories",
        verbose_name=_("coach"),
    )
    cells = models.ManyToManyField(
        Cell, related_name="coaching_trajectories", verbose_name=_("cells")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.PLANNED,
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = _("coaching trajectory")
        verbose_name_plural = _("coaching trajectories")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="coaching_trajectory_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MilestoneKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    BASELINE_SCAN = "baseline_scan", _("Baseline scan")
    WORK_TABLES = "work_tables", _("Work tables")
    PARTNER_SURVEY = "partner_survey", _("Partner survey")
    ACTION_PLAN = "action_plan", _("Action plan")
    EXERCISE = "exercise", _("Exercise")
    FEEDBACK_AFTER_SIX_MONTHS = "feedback_after_six_months", _("Feedback after six months")
    CLOSING_SCAN = "closing_scan", _("Closing scan")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=30, choices=MilestoneKind.choices)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("date done"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=MILESTONE_NOTE_MAX_LENGTH, blank=True)
    personal_data_confirmed = models.BooleanField(default=False)
    # Keeps the default order of the phases (and of added milestones: after them).
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "planned_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class CoachingNote(models.Model):
    """A coach's note. Internal to VVSG unless shared with the trajectory's cells."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("note"), cell_field=None)
    shared_with_cell = models.BooleanField(_("shared with the cell"), default=False)
    personal_data_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")

    def __str__(self) -> str:
        return f"Note {self.pk}"


def _document_path(instance: CoachingDocument, filename: str) -> str:
    # The stored name never contains the uploaded file name (which may carry personal data).
    return f"coaching/{instance.trajectory_id}/{instance.id}{instance.extension}"


class CoachingDocument(models.Model):
    """A version of a trajectory document (PDF, DOCX or ODT); same title -> next version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=DOCUMENT_TITLE_MAX_LENGTH)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_document_path)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    shared_with_cell = models.BooleanField(_("shared with the cell"), default=False)
    personal_data_confirmed = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("coaching document")
        verbose_name_plural = _("coaching documents")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "title", "version"], name="coaching_document_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
