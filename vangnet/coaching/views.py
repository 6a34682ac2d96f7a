"""Coaching pages: VVSG's overview and trajectories (staff), and the cell's read-only view.

Every view: access check -> form -> service -> render or redirect."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_view
from vangnet.cells.models import Cell, Municipality
from vangnet.coaching import overview, services
from vangnet.coaching.access import (
    document_for,
    require_staff,
    trajectory_for_cell,
    trajectory_for_staff,
)
from vangnet.coaching.forms import (
    DocumentForm,
    MilestoneAddForm,
    MilestoneForm,
    NoteForm,
    OverviewFilterForm,
    StatusForm,
    TrajectoryForm,
)
from vangnet.coaching.models import (
    CoachingDocument,
    CoachingNote,
    Milestone,
    Trajectory,
    TrajectoryStatus,
)
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest
from vangnet.lib.uploads import UploadRejected
from vangnet.lib.views import form_page, posted

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def _trajectory_url(trajectory: Trajectory) -> str:
    return reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk})


def _with_cells(trajectories: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    return trajectories.select_related("coach").prefetch_related(
        Prefetch(
            "cells",
            queryset=Cell.objects.order_by("name").prefetch_related(
                Prefetch("municipalities", queryset=Municipality.objects.order_by("name_nl"))
            ),
        )
    )


# --- VVSG staff ------------------------------------------------------------------------------


@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Trajectories by category and status, reach per province, and the filtered list."""
    require_staff(request.user)
    everything = Trajectory.objects.all()
    rows = overview.category_status_counts(everything)
    form = OverviewFilterForm(request.GET or None)
    trajectories = Trajectory.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            trajectories = trajectories.filter(category=data["category"])
        if data["status"]:
            trajectories = trajectories.filter(status=data["status"])
        if data["coach"]:
            trajectories = trajectories.filter(coach=data["coach"])
        if data["province"]:
            trajectories = trajectories.filter(
                pk__in=Trajectory.objects.filter(
                    cells__municipalities__province_nis=data["province"]
                ).values("pk")
            )
    page = Paginator(
        _with_cells(trajectories).order_by("-started_on", "title"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "trajectories": page.object_list,
        "statuses": TrajectoryStatus.choices,
        "category_rows": rows,
        "status_totals": overview.status_totals(rows),
        "total": sum(row.total for row in rows),
        "municipalities_reached": overview.municipalities_reached(everything),
        "provinces": overview.reach_per_province(everything),
    }
    return render(request, "coaching/index.html", context)


@require_http_methods(["GET", "POST"])
def trajectory_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = TrajectoryForm(posted(request), initial={"coach": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trajectory = services.trajectory_create(
                coach=data["coach"],
                title=data["title"],
                category=data["category"],
                cells=data["cells"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trajectory is created with its default milestones."))
            return redirect(_trajectory_url(trajectory))
    return form_page(
        request,
        form,
        title=_("New coaching trajectory"),
        intro=_("The usual milestones are planned from the start date; you can change them."),
        submit=_("Create"),
        cancel_url=reverse("coaching:index"),
    )


@require_GET
def trajectory_detail(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    cells = list(
        trajectory.cells.order_by("name").prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name_nl"))
        )
    )
    notes = list(CoachingNote.objects.filter(trajectory=trajectory).select_related("author"))
    audit_record(
        action="coaching.trajectory.viewed",
        request=request,
        target=trajectory,
        data={"notes": len(notes)},
    )
    rounds = overview.shared_rounds(cells)
    context = {
        "trajectory": trajectory,
        "cells": [(cell, rounds[cell.pk]) for cell in cells],
        "milestones": list(trajectory.milestones.all()),
        "notes": notes,
        "documents": list(
            CoachingDocument.objects.filter(trajectory=trajectory).select_related("uploaded_by")
        ),
        "status_form": StatusForm(initial={"status": trajectory.status}),
        "vvsg": True,
    }
    return render(request, "coaching/trajectory.html", context)


@require_http_methods(["GET", "POST"])
def trajectory_edit(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    initial = {
        "title": trajectory.title,
        "category": trajectory.category,
        "coach": trajectory.coach,
        "cells": list(trajectory.cells.all()),
        "started_on": trajectory.started_on,
        "ended_on": trajectory.ended_on,
    }
    form = TrajectoryForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trajectory_update(
                trajectory=trajectory,
                actor=request.user,
                title=data["title"],
                category=data["category"],
                coach=data["coach"],
                cells=data["cells"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trajectory is saved."))
            return redirect(_trajectory_url(trajectory))
    return form_page(
        request,
        form,
        title=_("Edit the trajectory"),
        cancel_url=_trajectory_url(trajectory),
    )


@require_POST
def trajectory_status(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        ended_on = trajectory.ended_on
        services.trajectory_status_set(
            trajectory=trajectory, status=form.cleaned_data["status"], actor=request.user
        )
        if ended_on is not None and trajectory.ended_on is None:
            messages.success(
                request,
                _("The status is changed. The trajectory is reopened: its end date is cleared."),
            )
        else:
            messages.success(request, _("The status is changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(_trajectory_url(trajectory))


@require_http_methods(["GET", "POST"])
def milestone_edit(
    request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID, milestone_id: uuid.UUID
) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    milestone = get_object_or_404(Milestone, pk=milestone_id, trajectory=trajectory)
    form = MilestoneForm(
        posted(request),
        initial={
            "planned_on": milestone.planned_on,
            "done_on": milestone.done_on,
            "note": milestone.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.milestone_update(
            milestone=milestone,
            actor=request.user,
            planned_on=data["planned_on"],
            done_on=data["done_on"],
            note=data["note"],
            personal_data_confirmed=data["personal_data_confirmed"],
        )
        messages.success(request, _("The milestone is saved."))
        return redirect(_trajectory_url(trajectory))
    return _form_with_findings(
        request,
        form,
        title=_("Milestone: %(kind)s") % {"kind": milestone.get_kind_display()},
        trajectory=trajectory,
    )


@require_http_methods(["GET", "POST"])
def milestone_new(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    form = MilestoneAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.milestone_add(
            trajectory=trajectory,
            actor=request.user,
            kind=data["kind"],
            planned_on=data["planned_on"],
            note=data["note"],
            personal_data_confirmed=data["personal_data_confirmed"],
        )
        messages.success(request, _("The milestone is added."))
        return redirect(_trajectory_url(trajectory))
    return _form_with_findings(
        request, form, title=_("Add a milestone"), trajectory=trajectory, submit=_("Add")
    )


@require_http_methods(["GET", "POST"])
def note_new(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    form = NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.note_add(
            trajectory=trajectory,
            author=request.user,
            body=data["body"],
            shared_with_cell=data["shared_with_cell"],
            personal_data_confirmed=data["personal_data_confirmed"],
        )
        messages.success(request, _("The note is added."))
        return redirect(_trajectory_url(trajectory))
    return _form_with_findings(
        request,
        form,
        title=_("Add a note"),
        trajectory=trajectory,
        submit=_("Add"),
        intro=_(
            "Notes are internal to VVSG unless you share them: a shared note is visible to "
            "the coordinators, deputies and mayors of all cells of the trajectory. "
            "Never write personal data."
        ),
    )


def _form_with_findings(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    title: str,
    trajectory: Trajectory,
    submit: str = "",
    intro: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "submit": submit,
        "trajectory": trajectory,
        "cancel_url": _trajectory_url(trajectory),
        "multipart": form.is_multipart(),
    }
    return render(request, "coaching/form.html", context, status=200)


@require_http_methods(["GET", "POST"])
def document_new(request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    form = DocumentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                trajectory=trajectory,
                title=data["title"],
                upload=data["file"],
                uploaded_by=request.user,
                shared_with_cell=data["shared_with_cell"],
                personal_data_confirmed=data["personal_data_confirmed"],
            )
        except UploadRejected as error:
            form.add_error("file", error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect(_trajectory_url(trajectory))
    return _form_with_findings(
        request,
        form,
        title=_("Upload a document"),
        trajectory=trajectory,
        intro=_(
            "Documents are internal to VVSG unless you share them: a shared document is "
            "visible to the coordinators, deputies and mayors of all cells of the trajectory."
        ),
        submit=_("Upload"),
    )


def _download(document: CoachingDocument) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except OSError:
        logger.error("Stored file missing for coaching document %s", document.pk)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        # A neutral name: the title is free text and must not reach file systems or headers.
        filename=f"coaching-document-v{document.version}{document.extension}",
        content_type=document.content_type,
    )


@require_GET
def document_download(
    request: AuthenticatedHttpRequest, trajectory_id: uuid.UUID, document_id: uuid.UUID
) -> FileResponse:
    trajectory = trajectory_for_staff(request.user, trajectory_id)
    document = document_for(trajectory, document_id, shared_only=False)
    audit_record(action="coaching.document.downloaded", request=request, target=document)
    return _download(document)


# --- The cell's own view (coordinator, deputy, mayor), read-only -----------------------------


@require_GET
@cell_view(require="can_oversee")
def cell_trajectories(request: CellHttpRequest) -> HttpResponse:
    trajectories = list(
        Trajectory.objects.filter(cells=request.cell)
        .select_related("coach")
        .order_by("-started_on", "title")
    )
    return render(
        request,
        "coaching/cell_trajectories.html",
        {"cell": request.cell, "trajectories": trajectories},
    )


@require_GET
@cell_view(require="can_oversee")
def cell_trajectory(request: CellHttpRequest, trajectory_id: uuid.UUID) -> HttpResponse:
    trajectory = trajectory_for_cell(request.cell, trajectory_id)
    notes = list(CoachingNote.objects.filter(trajectory=trajectory, shared_with_cell=True))
    audit_record(
        action="coaching.trajectory.viewed_by_cell",
        request=request,
        cell=request.cell,
        target=trajectory,
        data={"notes": len(notes)},
    )
    # The other cells of a joint trajectory are counted, never named, to this cell.
    other_cells = trajectory.cells.exclude(pk=request.cell.pk).count()
    rounds = overview.shared_rounds([request.cell])
    context = {
        "cell": request.cell,
        "trajectory": trajectory,
        "other_cells": other_cells,
        "rounds": rounds[request.cell.pk],
        "milestones": list(trajectory.milestones.all()),
        "notes": notes,
        "documents": list(
            CoachingDocument.objects.filter(trajectory=trajectory, shared_with_cell=True)
        ),
        "vvsg": False,
    }
    return render(request, "coaching/cell_trajectory.html", context)


@require_GET
@cell_view(require="can_oversee")
def cell_document_download(
    request: CellHttpRequest, trajectory_id: uuid.UUID, document_id: uuid.UUID
) -> FileResponse:
    trajectory = trajectory_for_cell(request.cell, trajectory_id)
    document = document_for(trajectory, document_id, shared_only=True)
    audit_record(
        action="coaching.document.downloaded",
        request=request,
        cell=request.cell,
        target=document,
    )
    return _download(document)
