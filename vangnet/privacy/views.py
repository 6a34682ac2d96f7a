"""The privacy office of a cell: retention status and configuration for the DPO (issue 10)."""

from __future__ import annotations

import csv
import datetime
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_view
from vangnet.cells.models import CellProfile
from vangnet.lib.spreadsheet import spreadsheet_safe
from vangnet.lib.typealias import CellHttpRequest
from vangnet.privacy import access_log as log
from vangnet.privacy.forms import AccessLogFilterForm, AccessReviewForm, default_period
from vangnet.privacy.models import AccessReview
from vangnet.privacy.services import framework_status, members_security, retention_status


@require_GET
@cell_view(require="can_review_privacy")
def office(request: CellHttpRequest) -> HttpResponse:
    """Retention at a glance (upcoming deletions, legal holds, missing dates) and the privacy
    configuration (framework, terms, notice, who has access with or without MFA)."""
    audit_record(action="privacy.office.viewed", request=request, cell=request.cell)
    context = {
        "cell": request.cell,
        "retention": retention_status(request.cell),
        "members": members_security(request.cell),
        "framework": framework_status(request.cell),
        "profile": CellProfile.objects.get(),
    }
    return render(request, "privacy/office.html", context)


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
