"""Signals and trend signals: submit, list, screen."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.cases.access import CASE_ROLES
from vangnet.cells.access import cell_view
from vangnet.cells.models import Membership, Role
from vangnet.intake import services
from vangnet.intake.forms import PoliceStatusForm, ScreeningForm, SignalForm, TrendForm
from vangnet.intake.models import Signal, TrendSignal
from vangnet.lib.typealias import CellHttpRequest
from vangnet.lib.urls import RowUrl
from vangnet.lib.views import form_page
from vangnet.network.models import Organisation

# Those who screen see every signal of the cell; a partner sees only what they submitted.
SCREENING_ROLES = CASE_ROLES


# Signals per page of the list.
PAGE_SIZE = 50


def signals_for_user(request: CellHttpRequest) -> QuerySet[Signal]:
    signals = Signal.objects.select_related("origin_organisation", "case")
    if request.cell_access.roles & SCREENING_ROLES:
        return signals
    return signals.filter(submitted_by=request.user)


def signal_for_user(request: CellHttpRequest, signal_id: uuid.UUID) -> Signal:
    signal = signals_for_user(request).filter(pk=signal_id).first()
    if signal is None:
        raise Http404
    return signal


def _own_organisation(request: CellHttpRequest) -> Organisation | None:
    membership = (
        Membership.objects.filter(
            user=request.user, ended_at__isnull=True, organisation__isnull=False
        )
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


@require_GET
@cell_view
def signals(request: CellHttpRequest) -> HttpResponse:
    # A page at a time: a cell collects hundreds of signals over its keeping period. The list
    # shows no identity or free text, so their ciphertext is not fetched.
    listed = (
        signals_for_user(request)
        .order_by("-received_on", "-created_at", "-pk")
        .only(
            "received_on",
            "created_at",
            "category",
            "urgency",
            "is_minor",
            "screened_at",
            "outcome",
            "origin_organisation",
            "origin_organisation__name",
            "case",
            "case__code",
        )
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    signal_url = RowUrl("intake:signal", "signal_id", cell_id=request.cell.pk)
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "rows": [(signal, signal_url(signal.pk)) for signal in page],
        "page": page,
        "screens": bool(request.cell_access.roles & SCREENING_ROLES),
        "trend_count": TrendSignal.objects.count(),
    }
    return render(request, "intake/signals.html", context)


@require_http_methods(["GET", "POST"])
@cell_view
def signal_new(request: CellHttpRequest) -> HttpResponse:
    from vangnet.cells.models import Municipality

    initial = {
        "received_on": timezone.localdate(),
        "origin_organisation": _own_organisation(request),
    }
    form = SignalForm(
        request.POST or None,
        initial=initial,
        organisations=Organisation.objects.all(),
        municipalities=Municipality.objects.all(),
        phenomena=services.phenomena_for_cell(request.cell),
    )
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_submit(
                cell=request.cell,
                submitted_by=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The coordinator will screen the signal."))
            return redirect("intake:signal", cell_id=request.cell.pk, signal_id=signal.pk)
    return form_page(
        request,
        form,
        title=_("Report a signal"),
        intro=_(
            "Contributing is voluntary: you share only what you may and want to share "
            "(no duty to speak). Fill in only what is needed to screen the signal."
        ),
        submit=_("Send the signal"),
        cancel_url=reverse("intake:signals", kwargs={"cell_id": request.cell.pk}),
    )


@require_GET
@cell_view
def signal_detail(request: CellHttpRequest, signal_id: uuid.UUID) -> HttpResponse:
    signal = signal_for_user(request, signal_id)
    audit_record(action="intake.signal.viewed", request=request, cell=request.cell, target=signal)
    access = request.cell_access
    context = {
        "cell": request.cell,
        "signal": signal,
        "access": access,
        "screens": bool(access.roles & SCREENING_ROLES),
        "can_screen": access.can_manage and signal.case_id is None,
        "is_information_officer": Role.INFORMATION_OFFICER in access.roles,
        "screening_form": ScreeningForm(),
        "police_form": PoliceStatusForm(initial={"known_to_police": signal.known_to_police}),
    }
    return render(request, "intake/signal_detail.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def signal_screen(request: CellHttpRequest, signal_id: uuid.UUID) -> HttpResponse:
    signal = signal_for_user(request, signal_id)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_screen(
                signal=signal, screened_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The screening is recorded."))
            return redirect("intake:signal", cell_id=request.cell.pk, signal_id=signal.pk)
    return form_page(
        request,
        form,
        title=_("Screen the signal"),
        cancel_url=reverse(
            "intake:signal", kwargs={"cell_id": request.cell.pk, "signal_id": signal.pk}
        ),
    )


@require_POST
@cell_view
def signal_police(request: CellHttpRequest, signal_id: uuid.UUID) -> HttpResponse:
    signal = signal_for_user(request, signal_id)
    if Role.INFORMATION_OFFICER not in request.cell_access.roles:
        raise PermissionDenied  # only the information officer records this
    form = PoliceStatusForm(request.POST)
    if form.is_valid():
        services.signal_police_status(
            signal=signal,
            known=form.cleaned_data["known_to_police"],
            user=request.user,
            request=request,
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose yes, no or unknown."))
    return redirect("intake:signal", cell_id=request.cell.pk, signal_id=signal.pk)


@require_POST
@cell_view(require="can_manage")
def signal_open_case(request: CellHttpRequest, signal_id: uuid.UUID) -> HttpResponse:
    signal = signal_for_user(request, signal_id)
    try:
        case = services.signal_open_case(signal=signal, opened_by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:signal", cell_id=request.cell.pk, signal_id=signal.pk)
    messages.success(request, _("Case %(code)s is opened.") % {"code": case.code})
    return redirect("cases:case", cell_id=request.cell.pk, case_id=case.pk)


@require_GET
@cell_view
def trends(request: CellHttpRequest) -> HttpResponse:
    audit_record(action="intake.trends.viewed", request=request, cell=request.cell)
    context = {
        "cell": request.cell,
        "trends": TrendSignal.objects.select_related("origin_organisation"),
    }
    return render(request, "intake/trends.html", context)


@require_http_methods(["GET", "POST"])
@cell_view
def trend_new(request: CellHttpRequest) -> HttpResponse:
    form = TrendForm(
        request.POST or None,
        initial={
            "received_on": timezone.localdate(),
            "origin_organisation": _own_organisation(request),
        },
        organisations=Organisation.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trend_submit(
                cell=request.cell, submitted_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trend signal is saved."))
            return redirect("intake:trends", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Report a trend"),
        intro=_(
            "A trend or tension without a person, for example between youth and police "
            "in a district. Do not name anyone."
        ),
        cancel_url=reverse("intake:trends", kwargs={"cell_id": request.cell.pk}),
    )
