"""The privacy office of a cell (issue 10): retention and configuration, the access-log review
and the register of requests of data subjects."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record
from vangnet.breaches.models import Breach, BreachStatus
from vangnet.cells.access import cell_view
from vangnet.cells.models import CellProfile
from vangnet.lib.pdf import html_to_pdf
from vangnet.lib.spreadsheet import spreadsheet_safe
from vangnet.lib.typealias import CellHttpRequest
from vangnet.lib.views import form_page, posted
from vangnet.privacy import access_log as log
from vangnet.privacy import subjects
from vangnet.privacy.forms import (
    AccessLogFilterForm,
    AccessReviewForm,
    SubjectRequestDecideForm,
    SubjectRequestExtendForm,
    SubjectRequestForm,
    default_period,
)
from vangnet.privacy.models import AccessReview, SubjectRequest
from vangnet.privacy.register import register_build
from vangnet.privacy.register_documents import register_docx, register_pdf
from vangnet.privacy.services import framework_status, members_security, retention_status


@require_GET
@cell_view(require="can_review_privacy")
def office(request: CellHttpRequest) -> HttpResponse:
    """Retention at a glance (upcoming deletions, legal holds, missing dates) and the privacy
    configuration (framework, terms, notice, who has access with or without MFA)."""
    audit_record(action="privacy.office.viewed", request=request, cell=request.cell)
    today = timezone.localdate()
    open_requests = list(
        SubjectRequest.objects.open().only("received_on", "extended_until", "decided_at")
    )
    context = {
        "cell": request.cell,
        "retention": retention_status(request.cell),
        "members": members_security(request.cell),
        "framework": framework_status(request.cell),
        "profile": CellProfile.objects.get(),
        "open_requests": len(open_requests),
        "overdue_requests": sum(s.is_overdue(today) for s in open_requests),
        "open_breaches": Breach.objects.filter(status=BreachStatus.OPEN).count(),
    }
    return render(request, "privacy/office.html", context)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _register_download(request: CellHttpRequest, fmt: str) -> HttpResponse:
    register = register_build(request.cell)
    content, content_type = (
        (register_pdf(register), "application/pdf")
        if fmt == "pdf"
        else (register_docx(register), DOCX)
    )
    audit_record(
        action="privacy.register.downloaded",
        request=request,
        cell=request.cell,
        data={"format": fmt},
    )
    response = HttpResponse(content, content_type=content_type)
    name = f"register-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@cell_view(require="can_review_privacy")
def register_pdf_download(request: CellHttpRequest) -> HttpResponse:
    """The art. 30 register and DPIA evidence as PDF, generated now from the configuration."""
    return _register_download(request, "pdf")


@require_GET
@cell_view(require="can_review_privacy")
def register_docx_download(request: CellHttpRequest) -> HttpResponse:
    """The same register as DOCX, for the DPO to complete."""
    return _register_download(request, "docx")


def _filter_form(request: CellHttpRequest) -> AccessLogFilterForm:
    start, end = default_period()
    data = request.GET.copy()
    data.setdefault("start", start.isoformat())
    data.setdefault("end", end.isoformat())
    return AccessLogFilterForm(
        data, people=log.people_of(request.cell), actions=log.actions_in(request.cell)
    )


def _without_page(request: CellHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _rows(events: list[AuditEvent]) -> list[dict[str, object]]:
    names, codes = log.names_for(events), log.case_codes_for(events)
    return [
        {
            "when": timezone.localtime(e.occurred_at),
            "who": names.get(e.actor_id, ""),
            "role": e.actor_role,
            "action": e.action,
            "case": codes.get(e.object_id, "") if e.object_type == "cases.case" else "",
            "object": e.object_type,
        }
        for e in events
    ]


@require_GET
@cell_view(require="can_review_privacy")
def access_log(request: CellHttpRequest) -> HttpResponse:
    """The cell's access log with filters, anomaly hints and the review sign-offs."""
    form = _filter_form(request)
    rows: list[dict[str, object]] = []
    hints: list[log.Hint] = []
    page = None
    review_form = None
    if form.is_valid():
        filters = form.filters()
        page = Paginator(log.events_for(request.cell, filters), 50).get_page(
            request.GET.get("page")
        )
        rows = _rows(list(page.object_list))
        hints = log.hints_for(request.cell, filters)
        review_form = AccessReviewForm(initial={"start": filters.start, "end": filters.end})
        audit_record(
            action="privacy.access_log.viewed",
            request=request,
            cell=request.cell,
            data={"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        )
    context = {
        "cell": request.cell,
        "form": form,
        "rows": rows,
        "page": page,
        "valid": page is not None,
        "hints": hints,
        "review_form": review_form,
        "reviews": AccessReview.objects.select_related("reviewed_by")[:20],
        "query": _without_page(request),
    }
    return render(
        request, "privacy/access_log.html", context, status=200 if page is not None else 400
    )


@require_GET
@cell_view(require="can_review_privacy")
def access_log_export(request: CellHttpRequest) -> HttpResponse:
    """The filtered log as CSV (at most 10,000 rows; formulas neutralised)."""
    form = _filter_form(request)
    if not form.is_valid():
        messages.error(request, _("Choose a valid period first."))
        return redirect("privacy:access_log", cell_id=request.cell.pk)
    filters = form.filters()
    events = list(log.events_for(request.cell, filters)[:10_000])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time", "user", "role", "action", "case", "object"])
    for row in _rows(events):
        when = row["when"]
        writer.writerow(
            [
                spreadsheet_safe(str(v))
                for v in (
                    when.isoformat() if isinstance(when, datetime.datetime) else when,
                    row["who"],
                    row["role"],
                    row["action"],
                    row["case"],
                    row["object"],
                )
            ]
        )
    audit_record(
        action="privacy.access_log.exported",
        request=request,
        cell=request.cell,
        data={
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "rows": len(events),
        },
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"access-log-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@cell_view(require="can_review_privacy")
def access_review_sign(request: CellHttpRequest) -> HttpResponse:
    """Sign off the review of a period of the log."""
    form = AccessReviewForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose a valid period first.")]:
            messages.error(request, str(error))
        return redirect("privacy:access_log", cell_id=request.cell.pk)
    data = form.cleaned_data
    log.access_review_sign_off(
        cell=request.cell,
        filters=log.Filters(data["start"], data["end"]),
        findings=data["findings"],
        user=request.user,
        request=request,
    )
    messages.success(request, _("The review of this period is signed off."))
    url = f"{request.path.rsplit('sign/', 1)[0]}?start={data['start']}&end={data['end']}"
    return redirect(url)


# Requests of data subjects (R-22) ----------------------------------------------------------


def _subject(subject_id: uuid.UUID) -> SubjectRequest:
    return _with_clock(
        get_object_or_404(SubjectRequest.objects.select_related("decided_by"), pk=subject_id)
    )


def _with_clock(subject: SubjectRequest) -> SubjectRequest:
    """Days left (or late) for the templates, which cannot pass today's date."""
    today = timezone.localdate()
    subject.days = subject.days_left(today)  # type: ignore[attr-defined]
    subject.days_late = -subject.days  # type: ignore[attr-defined]
    subject.overdue = subject.is_overdue(today)  # type: ignore[attr-defined]
    return subject


def _subject_url(subject: SubjectRequest) -> str:
    return reverse(
        "privacy:subject_request",
        kwargs={"cell_id": subject.cell_id, "subject_id": subject.pk},
    )


@require_GET
@cell_view(require="can_review_privacy")
def subject_requests(request: CellHttpRequest) -> HttpResponse:
    """The register of requests, open ones first, with their deadlines."""
    today = timezone.localdate()
    rows = sorted(
        (_with_clock(s) for s in SubjectRequest.objects.all()),
        key=lambda s: (s.is_decided, s.deadline if not s.is_decided else today, s.received_on),
    )
    audit_record(
        action="privacy.subject_request.listed",
        request=request,
        cell=request.cell,
        data={"requests": len(rows)},
    )
    context = {"cell": request.cell, "subjects": rows, "today": today}
    return render(request, "privacy/subject_requests.html", context)


@cell_view(require="can_review_privacy")
def subject_request_new(request: CellHttpRequest) -> HttpResponse:
    form = SubjectRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            subject = subjects.subject_request_register(
                cell=request.cell, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request is registered. Mind the deadline."))
            return redirect(_subject_url(subject))
    return form_page(
        request,
        form,
        title=_("Register a request of a person"),
        intro=_(
            "Access, rectification, erasure, restriction or objection: the answer is due within "
            "one month of receipt."
        ),
        cancel_url=reverse("privacy:subject_requests", kwargs={"cell_id": request.cell.pk}),
        status=400 if form.is_bound else 200,
    )


def _subject_page(
    request: CellHttpRequest,
    subject: SubjectRequest,
    *,
    extend_form: SubjectRequestExtendForm | None = None,
    decide_form: SubjectRequestDecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    matches = None
    if request.cell_access.can_manage and not subject.erased_at:
        # Only those who run the case files see whether the person has any.
        matches = subjects.subject_request_matches(subject)
    audit_record(
        action="privacy.subject_request.viewed",
        request=request,
        cell=request.cell,
        target=subject,
        data={
            "matches_shown": matches is not None,
            # Ids only: each case's own access log can be checked against this.
            "cases": [str(c.pk) for c in matches.cases + matches.candidate_cases]
            if matches
            else [],
        },
    )
    context = {
        "cell": request.cell,
        "subject": subject,
        "today": timezone.localdate(),
        "matches": matches,
        "extend_form": extend_form or SubjectRequestExtendForm(),
        "decide_form": decide_form
        or SubjectRequestDecideForm(
            initial={
                "identity_verified": subject.identity_verified,
                "decision": subject.decision,
                "grounds": subject.grounds,
                "restrictions": subject.restrictions,
            }
        ),
        "can_manage": request.cell_access.can_manage,
        "confirmed": {str(i) for i in subject.confirmed_ids},
        "may_export": subject.kind == "access"
        and subject.identity_verified
        and subject.decision in ("granted", "partly"),
        "may_erase": subject.kind == "erasure"
        and subject.identity_verified
        and subject.decision in ("granted", "partly")
        and subject.decided_by_id != request.user.pk,
    }
    return render(request, "privacy/subject_request.html", context, status=status)


@require_GET
@cell_view(require="can_review_privacy")
def subject_request(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    return _subject_page(request, _subject(subject_id))


@require_POST
@cell_view(require="can_review_privacy")
def subject_request_extend(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    subject = _subject(subject_id)
    form = SubjectRequestExtendForm(request.POST)
    if form.is_valid():
        try:
            subjects.subject_request_extend(
                subject=subject,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deadline is extended. Tell the person why."))
            return redirect(_subject_url(subject))
    subject.refresh_from_db()
    return _subject_page(request, subject, extend_form=form, status=400)


@require_POST
@cell_view(require="can_review_privacy")
def subject_request_decide(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    subject = _subject(subject_id)
    form = SubjectRequestDecideForm(request.POST)
    if form.is_valid():
        try:
            subjects.subject_request_decide(
                subject=subject, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(_subject_url(subject))
    subject.refresh_from_db()
    return _subject_page(request, subject, decide_form=form, status=400)


@require_POST
@cell_view(require="can_manage")
def subject_request_confirm(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    """Confirm which records under the person's name (without a date of birth) are theirs."""
    subject = _subject(subject_id)
    try:
        subjects.subject_request_confirm(
            subject=subject,
            candidate_ids=request.POST.getlist("record"),
            case_code=request.POST.get("case_code", "")[:20],
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person's records are confirmed."))
    return redirect(_subject_url(subject))


def _export(request: CellHttpRequest, subject_id: uuid.UUID) -> dict[str, Any] | None:
    subject = _subject(subject_id)
    try:
        return subjects.subject_request_export(subject=subject, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@require_GET
@cell_view(require="can_manage")
def subject_request_export_json(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    """The person's data as JSON (art. 15 and, where it applies, 20)."""
    export = _export(request, subject_id)
    if export is None:
        return redirect(_subject_url(_subject(subject_id)))
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="access-request.json"'
    return response


@require_GET
@cell_view(require="can_manage")
def subject_request_export_pdf(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    """The person's data as a readable PDF, to hand over after the DPO's check."""
    export = _export(request, subject_id)
    if export is None:
        return redirect(_subject_url(_subject(subject_id)))
    html = render_to_string("privacy/subject_export_pdf.html", {"export": export}, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="access-request.pdf"'
    return response


@require_POST
@cell_view(require="can_manage")
def subject_request_erase(request: CellHttpRequest, subject_id: uuid.UUID) -> HttpResponse:
    """Carry out a granted erasure through the retention purge path."""
    subject = _subject(subject_id)
    try:
        subjects.subject_request_erase(subject=subject, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Erased: %(cases)s case(s) and %(signals)s signal(s).")
            % {"cases": subject.erased_cases, "signals": subject.erased_signals},
        )
    return redirect(_subject_url(subject))
