"""Tabletop exercises: a sandbox training cell opened for a tabletop-exercise event.

The sandbox is an ordinary ``cells.Cell`` with ``is_sandbox=True``: participants use the normal
cell pages in their own roles. It is excluded from every statistic and from every rule that
admits people elsewhere (``Cell.objects.real()``, ``Membership.objects.real()``) and wiped after
the exercise; the ``Exercise`` row stays with counts only, for the debrief.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExerciseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WIPED = "wiped", _("Wiped")


class Exercise(models.Model):
    """One sandbox per tabletop-exercise event. Counts only, never content."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="exercise", verbose_name=_("event")
    )
    # Null once the sandbox is wiped.
    cell = models.ForeignKey(
        "cells.Cell",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("training cell"),
    )
    scenario = models.CharField(_("scenario"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=ExerciseStatus.choices, default=ExerciseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    wiped_at = models.DateTimeField(_("wiped at"), null=True, blank=True)
    # Null for the automatic wipe (after the event, or when the event is cancelled).
    wiped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the scenario seeded, so that progress counts only what the participants did.
    baseline = models.JSONField(default=dict, blank=True)
    # Kept after the wipe for the debrief: numbers only.
    signals_screened = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    meetings_held = models.PositiveIntegerField(default=0)
    actions_added = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("tabletop exercise")
        verbose_name_plural = _("tabletop exercises")

    def __str__(self) -> str:
        return f"Exercise {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ExerciseStatus.OPEN and self.cell_id is not None
