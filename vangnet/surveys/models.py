"""Surveys (bevragingen) on the questionnaire engine, by a cell or by VVSG (cell is null).

A survey keeps the template version it was created with. Personal links are single-use and
deleted when used; the anonymous link is one revocable secret on the survey (only its hash is
stored). Responses keep no user, no time and no link to the invitation they came from.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell
from vangnet.keyring.fields import EncryptedTextField


class Audience(models.TextChoices):
    # A cell's own surveys.
    CELL_MEMBERS = "cell_members", _("All members of the cell")
    CELL_PARTNERS = (
        "cell_partners",
        _("Partners only (all members except coordinators, deputies and the mayor)"),
    )
    # VVSG surveys, across Flanders (never sandbox cells).
    COORDINATORS = "coordinators", _("Coordinators and deputies of all cells")
    ALL_MEMBERS = "all_members", _("All members of all cells")
    BODY = "body", _("The members of a network body")


CELL_AUDIENCES = (Audience.CELL_MEMBERS, Audience.CELL_PARTNERS)
VVSG_AUDIENCES = (Audience.COORDINATORS, Audience.ALL_MEMBERS, Audience.BODY)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    """Tenant data when `cell` is set (read inside the cell's scope); a VVSG survey when it is
    null (read with scopes disabled, in the VVSG staff views only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, null=True, blank=True, related_name="surveys"
    )
    template = models.ForeignKey(
        "questionnaires.Template", on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(_("title"), max_length=150)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    body = models.ForeignKey(
        "events.NetworkBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network body"),
    )
    # The survey may also be answered through one open, anonymous link.
    anonymous_link = models.BooleanField(_("anonymous link"), default=False)
    anonymous_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_on = models.DateField(_("answers until"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who got a personal link (to avoid inviting twice). Kept apart from the responses.
    invited_user_ids: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_vvsg(self) -> bool:
        return self.cell_id is None

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class SurveyInvitation(models.Model):
    """A personal single-use link; it knows nobody and is deleted when used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Survey invitation {self.pk}"


class SurveyResponse(models.Model):
    """One anonymous response: no user, no timestamp, no link to an invitation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Survey response {self.pk}"


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    module = models.CharField(max_length=50)
    indicator = models.CharField(max_length=50)
    # Likert 1..5, yes/no 1/0; None: not applicable, a choice or a text.
    value = models.SmallIntegerField(null=True, blank=True)
    # Option keys for choice (one) and multi (several) questions.
    choices: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    # Encrypted with the cell's data key, or the platform's for a VVSG survey (cell null).
    text = EncryptedTextField(blank=True, null=True)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Survey answer {self.pk}"
