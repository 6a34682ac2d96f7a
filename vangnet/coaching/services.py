"""Coaching workflows. Every change is audited with ids, counts and codes only, never content."""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.services import audit_record
from vangnet.cells.models import Cell
from vangnet.coaching.models import (
    CoachingCategory,
    CoachingDocument,
    CoachingNote,
    Milestone,
    MilestoneKind,
    Trajectory,
    TrajectoryStatus,
)
from vangnet.lib.uploads import document_check

if TYPE_CHECKING:
    from vangnet.accounts.models import User

logger = logging.getLogger(__name__)

# Dates outside this window are typing errors (and would overflow the milestone planning).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

# The phases of a trajectory and when they are planned, in months after the start.
DEFAULT_MILESTONES: tuple[tuple[str, int], ...] = (
    (MilestoneKind.INTAKE, 0),
    (MilestoneKind.BASELINE_SCAN, 1),
    (MilestoneKind.WORK_TABLES, 2),
    (MilestoneKind.PARTNER_SURVEY, 2),
    (MilestoneKind.ACTION_PLAN, 3),
    (MilestoneKind.EXERCISE, 5),
    (MilestoneKind.FEEDBACK_AFTER_SIX_MONTHS, 6),
    (MilestoneKind.CLOSING_SCAN, 12),
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 -> 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _require_staff(user: User, message: str) -> None:
    if not (user.is_active and user.is_vvsg_staff):
        raise ValidationError(message)


def _check_dates(started_on: datetime.date, ended_on: datetime.date | None) -> None:
    for day in (started_on, ended_on):
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise ValidationError(
                _("Give a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            )
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(_("The end date cannot be before the start date."))


def _check_fields(*, coach: User, category: str, cells: list[Cell], title: str) -> None:
    _require_staff(coach, _("The coach must be a member of the VVSG staff."))
    if category not in CoachingCategory.values:
        raise ValidationError(_("Choose a category."))
    if not cells:
        raise ValidationError(_("Choose at least one cell."))
    if any(cell.is_sandbox for cell in cells):  # exercise sandboxes are never coached
        raise ValidationError(_("An exercise sandbox cannot be part of a trajectory."))
    if not title.strip():
        raise ValidationError(_("Give the trajectory a title."))


@transaction.atomic
def trajectory_create(
    *,
    coach: User,
    title: str,
    category: str,
    cells: Iterable[Cell],
    started_on: datetime.date,
    actor: User,
    ended_on: datetime.date | None = None,
    status: str = TrajectoryStatus.PLANNED,
) -> Trajectory:
    """A new trajectory with its default milestones (the six-month feedback six months in)."""
    _require_staff(actor, _("Only VVSG staff start a trajectory."))
    cell_list = list(cells)
    _check_fields(coach=coach, category=category, cells=cell_list, title=title)
    _check_dates(started_on, ended_on)
    if status not in TrajectoryStatus.values:
        raise ValidationError(_("Choose a status."))
    trajectory = Trajectory.objects.create(
        title=title.strip(),
        category=category,
        coach=coach,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        created_by=actor,
        updated_by=actor,
    )
    trajectory.cells.set(cell_list)
    Milestone.objects.bulk_create(
        Milestone(
            trajectory=trajectory,
            kind=kind,
            planned_on=add_months(started_on, months),
            position=position,
        )
        for position, (kind, months) in enumerate(DEFAULT_MILESTONES)
    )
    audit_record(
        action="coaching.trajectory.created",
        actor=actor,
        target=trajectory,
        data={
            "category": category,
            "status": status,
            "cells": len(cell_list),
            "milestones": len(DEFAULT_MILESTONES),
        },
    )
    return trajectory


@transaction.atomic
def trajectory_update(
    *,
    trajectory: Trajectory,
    actor: User,
    title: str,
    category: str,
    coach: User,
    cells: Iterable[Cell],
    started_on: datetime.date,
    ended_on: datetime.date | None,
) -> Trajectory:
    _require_staff(actor, _("Only VVSG staff edit a trajectory."))
    cell_list = list(cells)
    _check_fields(coach=coach, category=category, cells=cell_list, title=title)
    _check_dates(started_on, ended_on)
    if trajectory.status == TrajectoryStatus.CLOSED and ended_on is None:
        raise ValidationError(
            {"ended_on": _("A closed trajectory needs an end date.")}, code="ended_on"
        )
    trajectory.title = title.strip()
    trajectory.category = category
    trajectory.coach = coach
    trajectory.started_on = started_on
    trajectory.ended_on = ended_on
    trajectory.updated_by = actor
    trajectory.save()
    trajectory.cells.set(cell_list)
    audit_record(
        action="coaching.trajectory.updated",
        actor=actor,
        target=trajectory,
        data={"category": category, "cells": len(cell_list), "coach": str(coach.pk)},
    )
    return trajectory


@transaction.atomic
def trajectory_status_set(*, trajectory: Trajectory, status: str, actor: User) -> Trajectory:
    """Change the status; closing a trajectory without an end date ends it today, and
    reopening a closed trajectory clears its end date (it is no longer ended)."""
    _require_staff(actor, _("Only VVSG staff change a trajectory."))
    if status not in TrajectoryStatus.values:
        raise ValidationError(_("Choose a status."))
    previous = trajectory.status
    trajectory.status = status
    if status == TrajectoryStatus.CLOSED and trajectory.ended_on is None:
        trajectory.ended_on = max(timezone.localdate(), trajectory.started_on)
    elif previous == TrajectoryStatus.CLOSED and status != TrajectoryStatus.CLOSED:
        trajectory.ended_on = None
    trajectory.updated_by = actor
    trajectory.save(update_fields=["status", "ended_on", "updated_by", "updated_at"])
    audit_record(
        action="coaching.trajectory.status_set",
        actor=actor,
        target=trajectory,
        data={"from": previous, "to": status},
    )
    return trajectory


def _touch(trajectory: Trajectory, actor: User) -> None:
    trajectory.updated_by = actor
    trajectory.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    actor: User,
    planned_on: datetime.date | None,
    done_on: datetime.date | None,
    note: str,
    personal_data_confirmed: bool = False,
) -> Milestone:
    _require_staff(actor, _("Only VVSG staff edit a milestone."))
    milestone.planned_on = planned_on
    milestone.done_on = done_on
    milestone.note = note.strip()
    milestone.personal_data_confirmed = personal_data_confirmed
    milestone.save()
    _touch(milestone.trajectory, actor)
    audit_record(
        action="coaching.milestone.updated",
        actor=actor,
        target=milestone,
        data={
            "trajectory": str(milestone.trajectory_id),
            "kind": milestone.kind,
            "done": done_on is not None,
        },
    )
    return milestone


@transaction.atomic
def milestone_add(
    *,
    trajectory: Trajectory,
    actor: User,
    kind: str,
    planned_on: datetime.date | None,
    note: str = "",
    personal_data_confirmed: bool = False,
) -> Milestone:
    _require_staff(actor, _("Only VVSG staff add a milestone."))
    if kind not in MilestoneKind.values:
        raise ValidationError(_("Choose a kind of milestone."))
    last = trajectory.milestones.aggregate(p=Max("position"))["p"]
    milestone = Milestone.objects.create(
        trajectory=trajectory,
        kind=kind,
        planned_on=planned_on,
        note=note.strip(),
        personal_data_confirmed=personal_data_confirmed,
        position=(last if last is not None else -1) + 1,
    )
    _touch(trajectory, actor)
    audit_record(
        action="coaching.milestone.added",
        actor=actor,
        target=milestone,
        data={"trajectory": str(trajectory.pk), "kind": kind},
    )
    return milestone


@transaction.atomic
def note_add(
    *,
    trajectory: Trajectory,
    author: User,
    body: str,
    shared_with_cell: bool = False,
    personal_data_confirmed: bool = False,
) -> CoachingNote:
    _require_staff(author, _("Only VVSG staff write coaching notes."))
    if not body.strip():
        raise ValidationError(_("Write a note."))
    note = CoachingNote.objects.create(
        trajectory=trajectory,
        author=author,
        body=body.strip(),
        shared_with_cell=shared_with_cell,
        personal_data_confirmed=personal_data_confirmed,
    )
    _touch(trajectory, author)
    audit_record(
        action="coaching.note.added",
        actor=author,
        target=note,
        data={
            "trajectory": str(trajectory.pk),
            "shared_with_cell": shared_with_cell,
            "personal_data_confirmed": personal_data_confirmed,
        },
    )
    return note


@transaction.atomic
def document_upload(
    *,
    trajectory: Trajectory,
    title: str,
    upload: UploadedFile,
    uploaded_by: User,
    shared_with_cell: bool = False,
    personal_data_confirmed: bool = False,
) -> CoachingDocument:
    """Store a checked document; the same title again becomes its next version."""
    _require_staff(uploaded_by, _("Only VVSG staff upload coaching documents."))
    checked = document_check(upload)
    # Lock the trajectory row: two uploads at once must not get the same version number.
    Trajectory.objects.select_for_update(no_key=True).filter(pk=trajectory.pk).first()
    clean_title = title.strip()
    if not clean_title or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in clean_title):
        raise ValidationError(_("Give the document a title without control characters."))
    latest = CoachingDocument.objects.filter(trajectory=trajectory, title=clean_title).aggregate(
        v=Max("version")
    )["v"]
    document = CoachingDocument(
        trajectory=trajectory,
        title=clean_title,
        version=(latest or 0) + 1,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        shared_with_cell=shared_with_cell,
        personal_data_confirmed=personal_data_confirmed,
        uploaded_by=uploaded_by,
    )
    document.file.save(f"{document.id}{checked.extension}", upload, save=False)
    try:
        document.save()
        _touch(trajectory, uploaded_by)
        audit_record(
            action="coaching.document.uploaded",
            actor=uploaded_by,
            target=document,
            data={
                "trajectory": str(trajectory.pk),
                "version": document.version,
                "shared_with_cell": shared_with_cell,
                "personal_data_confirmed": personal_data_confirmed,
            },
        )
    except BaseException:
        # The rows roll back with the transaction; the stored file would not.
        try:
            document.file.storage.delete(document.file.name)
        except OSError:
            logger.exception("Could not remove a coaching document file after an error")
        raise
    return document
