"""Self-evaluation rounds of a cell: invitations, anonymous responses, improvement actions."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField


class Round(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="scan_rounds")
    template = models.ForeignKey(
        "questionnaires.Template", on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=150)
    does_case_management = models.BooleanField(_("the cell does case management"), default=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    shared_with_vvsg = models.BooleanField(default=False)
    # Who got a link (to avoid inviting twice). Kept apart from the responses, never linked.
    invited_user_ids: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RespondentInvitation(models.Model):
    """A personal single-use link. It knows only the respondent's group and sector, not who;
    it is deleted when used, so nothing ties a response to the moment or order of a link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=30)
    sector = models.CharField(max_length=30, blank=True)
    is_coordinator = models.BooleanField(default=False)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    # Only "coordinator" or "partner", and a sector shared by at least three invitees: a single
    # mayor or police officer must not be recognisable. No timestamp, no link to the invitation.
    role = models.CharField(max_length=30)
    sector = models.CharField(max_length=30, blank=True)
    is_coordinator = models.BooleanField(default=False)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    module = models.CharField(max_length=50)
    situation = models.CharField(max_length=30, blank=True)
    indicator = models.CharField(max_length=50)
    value = models.SmallIntegerField(null=True, blank=True)  # None: not applicable / text
    text = EncryptedTextField(blank=True, null=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        indexes = [
            # The free-text answers of a round's responses (its results page): a few per
            # response among dozens of scored answers.
            models.Index(
                fields=["response"], condition=Q(text__isnull=False), name="scans_answer_texts"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class CoachingCategory(models.TextChoices):
    START_UP = "start_up", _("Start up")
    REACTIVATE = "reactivate", _("Reactivate")
    OPTIMISE = "optimise", _("Optimise")
    MONITOR = "monitor", _("Monitor and evaluate")


class ImprovementAction(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="improvements")
    module = models.CharField(_("module"), max_length=50, blank=True)
    description = models.CharField(_("description"), max_length=300)
    owner = models.CharField(_("owner"), max_length=150)
    due_date = models.DateField(_("due date"))
    category = models.CharField(
        _("coaching category"), max_length=20, choices=CoachingCategory.choices
    )
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["due_date"]

    def __str__(self) -> str:
        return self.description
