"""The breach register of a cell (GDPR art. 33 and 34, R-19): for its DPO, coordinator, deputy
and mayor (``can_review_privacy``). Every page and action is audited."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.breaches import drafts, services
from vangnet.breaches.forms import BreachForm, NotifyForm
from vangnet.breaches.models import Breach
from vangnet.cells.access import cell_view
from vangnet.lib.typealias import CellHttpRequest


def _breach(breach_id: uuid.UUID) -> Breach:
    # Inside the cell's scope: another cell's breach is simply not found.
    return get_object_or_404(Breach.objects.select_related("cell"), pk=breach_id)


def _breach_url(breach: Breach) -> str:
    return reverse("breaches:breach", kwargs={"cell_id": breach.cell_id, "breach_id": breach.pk})


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields (on the form when it has no such field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _initial(breach: Breach) -> dict[str, Any]:
    return {name: getattr(breach, name) for name in services.EDITABLE_FIELDS}


@require_GET
@cell_view(require="can_review_privacy")
def breach_list(request: CellHttpRequest) -> HttpResponse:
    """The register: open breaches first, the most urgent notification first."""
    now = timezone.now()
    breaches = list(Breach.objects.by_urgency())
    rows = [(breach, breach.clock(now)) for breach in breaches]
    audit_record(
        action="breaches.register.viewed",
        request=request,
        cell=request.cell,
        data={"breaches": len(breaches)},
    )
    context = {
        "cell": request.cell,
        "rows": rows,
        "overdue": sum(1 for _row, clock in rows if clock.is_overdue),
    }
    return render(request, "breaches/breach_list.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_review_privacy")
def breach_new(request: CellHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = BreachForm(request.POST)
    else:
        initial = {"aware_at": timezone.now(), "contact": services.default_contact(request.cell)}
        form = BreachForm(initial=initial)
    if form.is_bound and form.is_valid():
        try:
            breach = services.breach_create(
                cell=request.cell,
                registered_by=request.user,
                fields=form.cleaned_data,
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Breach %(code)s is registered.") % {"code": breach.code})
            return redirect(_breach_url(breach))
    status = 400 if form.is_bound else 200
    context = {"cell": request.cell, "form": form, "breach": None}
    return render(request, "breaches/breach_form.html", context, status=status)


def _detail(
    request: CellHttpRequest,
    breach: Breach,
    *,
    notify_form: NotifyForm | None = None,
    close_error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    if notify_form is None:
        notify_form = NotifyForm(
            initial={
                "notified_at": breach.notified_at or now,
                "reference": breach.authority_reference,
                "late_reason": breach.late_reason,
            }
        )
    context = {
        "cell": request.cell,
        "breach": breach,
        "clock": breach.clock(now),
        "notify_form": notify_form,
        "close_error": close_error,
    }
    return render(request, "breaches/breach_detail.html", context, status=status)


@require_GET
@cell_view(require="can_review_privacy")
def breach_detail(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    breach = _breach(breach_id)
    services.breach_audit_read(breach=breach, user=request.user, action="viewed", request=request)
    return _detail(request, breach)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_review_privacy")
def breach_edit(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    breach = _breach(breach_id)
    form = BreachForm(request.POST if request.method == "POST" else None, initial=_initial(breach))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(
                breach=breach, changes=form.cleaned_data, user=request.user, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The breach is saved."))
            return redirect(_breach_url(breach))
    if not form.is_bound:
        services.breach_audit_read(
            breach=breach, user=request.user, action="viewed", request=request
        )
    context = {"cell": request.cell, "form": form, "breach": breach}
    status = 400 if form.is_bound else 200
    return render(request, "breaches/breach_form.html", context, status=status)


@require_POST
@cell_view(require="can_review_privacy")
def breach_notify(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    """Record that (and when) the authority was notified."""
    breach = _breach(breach_id)
    form = NotifyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.breach_notify(
                breach=breach,
                notified_at=data["notified_at"],
                reference=data["reference"],
                late_reason=data["late_reason"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The notification to the authority is recorded."))
            return redirect(_breach_url(breach))
    # The record as stored: a failed validation may have changed the instance in memory.
    return _detail(request, _breach(breach_id), notify_form=form, status=400)


@require_POST
@cell_view(require="can_review_privacy")
def breach_close(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    breach = _breach(breach_id)
    try:
        services.breach_close(breach=breach, user=request.user, request=request)
    except ValidationError as error:
        return _detail(
            request, _breach(breach_id), close_error=" ".join(error.messages), status=400
        )
    messages.success(request, _("The breach is closed."))
    return redirect(_breach_url(breach))


def _drafts(request: CellHttpRequest, breach: Breach) -> tuple[str, str]:
    authority = drafts.authority_draft(breach, controller=request.cell.name, now=timezone.now())
    subjects = drafts.subjects_draft(breach) if breach.subjects_must_be_informed else ""
    return authority, subjects


@require_GET
@cell_view(require="can_review_privacy")
def breach_draft(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    """The draft notification (and, for a high risk, the message to the data subjects)."""
    breach = _breach(breach_id)
    authority, subjects = _drafts(request, breach)
    services.breach_audit_read(
        breach=breach, user=request.user, action="draft_viewed", request=request
    )
    context = {
        "cell": request.cell,
        "breach": breach,
        "authority": authority,
        "subjects": subjects,
    }
    return render(request, "breaches/breach_draft.html", context)


@require_GET
@cell_view(require="can_review_privacy")
def breach_draft_text(request: CellHttpRequest, breach_id: uuid.UUID) -> HttpResponse:
    breach = _breach(breach_id)
    authority, subjects = _drafts(request, breach)
    services.breach_audit_read(
        breach=breach, user=request.user, action="draft_downloaded", request=request
    )
    text = authority if not subjects else f"{authority}\n\n{'=' * 72}\n\n{subjects}"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{breach.code}-draft.txt"'
    return response
