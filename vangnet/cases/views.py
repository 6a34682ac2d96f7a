"""Case files: list, detail, edit, participants, actions, closure, export, access log, find."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.audit.models import AuditEvent
from vangnet.cases import services
from vangnet.cases.access import (
    action_owner_ids,
    can_manage_case,
    can_see_access_log,
    case_for_user,
)
from vangnet.cases.forms import (
    ActionForm,
    ActionStatusForm,
    CaseForm,
    CloseForm,
    FindForm,
    LegalHoldForm,
    ParticipantForm,
)
from vangnet.cases.models import Action, ActionStatus, Case, Dimension, FactorKind, Participant
from vangnet.cells.access import cell_view
from vangnet.cells.models import Role
from vangnet.lib.typealias import CellHttpRequest
from vangnet.lib.urls import RowUrl
from vangnet.lib.views import form_page
from vangnet.network.models import Organisation


def _case(request: CellHttpRequest, case_id: uuid.UUID, *, manage: bool = False) -> Case:
    """The case if the user may open it (404 otherwise); `manage` also needs coordinator rights."""
    case = case_for_user(request.user, request.cell_access, case_id)
    if manage and not can_manage_case(request.cell_access):
        raise PermissionDenied
    return case


def _case_url(case: Case) -> str:
    return reverse("cases:case", kwargs={"cell_id": case.cell_id, "case_id": case.pk})


@require_GET
@cell_view
def case_list(request: CellHttpRequest) -> HttpResponse:
    """Only the cases the user may open, by code: names never appear in lists."""
    today = timezone.localdate()
    page = services.case_list_page(
        user=request.user, access=request.cell_access, number=request.GET.get("page"), today=today
    )
    case_url = RowUrl("cases:case", "case_id", cell_id=request.cell.pk)
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "rows": [(case, case_url(case.pk)) for case in page],
        "page": page,
        "today": today,
    }
    return render(request, "cases/case_list.html", context)


@require_GET
@cell_view
def case_detail(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    services.case_audit_view(case=case, user=request.user, request=request)
    access = request.cell_access
    manage = can_manage_case(access) and case.is_open
    factors = {(f.dimension, f.kind): f for f in services.case_factors(case)}
    status_url = RowUrl(
        "cases:action_status", "action_id", cell_id=request.cell.pk, case_id=case.pk
    )
    remove_url = RowUrl(
        "cases:participant_remove", "participant_id", cell_id=request.cell.pk, case_id=case.pk
    )
    context: dict[str, Any] = {
        "cell": request.cell,
        "case": case,
        "access": access,
        "manage": manage,
        "can_close": manage,
        "can_hold": can_manage_case(access) and not case.is_open,
        "can_log": can_see_access_log(access),
        "participants": [(p, remove_url(p.pk)) for p in services.case_participants(case)],
        "actions": [(action, status_url(action.pk)) for action in services.case_actions(case)],
        "signals": services.case_signals(case),
        "dimensions": [
            (
                value,
                label,
                factors.get((value, FactorKind.RISK)),
                factors.get((value, FactorKind.PROTECTIVE)),
            )
            for value, label in Dimension.choices
        ],
        # Whose actions the reader may mark done: those who manage the case mark any, and a
        # closed case has nothing to mark (two queries saved for them).
        "my_organisations": (
            action_owner_ids(request.user, access, case) if case.is_open and not manage else set()
        ),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def case_edit(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    if not case.is_open:
        messages.error(request, _("This case is closed."))
        return redirect(_case_url(case))
    initial = {
        "person_name": case.person_name,
        "person_birth_date": case.person_birth_date or None,
        "person_address": case.person_address,
        "is_minor": case.is_minor,
        "summary": case.summary,
        "person_informed": case.person_informed,
        "person_informed_reason": case.person_informed_reason or "",
        "person_informed_deferred_until": case.person_informed_deferred_until,
        "review_due": case.review_due,
    }
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                case=case, changes=dict(form.cleaned_data), user=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect(_case_url(case))
    else:
        services.case_audit_view(case=case, user=request.user, request=request)
    return form_page(request, form, title=case.code, cancel_url=_case_url(case))


@require_POST
@cell_view(require="can_manage")
def factors_save(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    items: dict[tuple[str, str], str] = {}
    for dimension in Dimension.values:
        for kind in FactorKind.values:
            key = f"{dimension}__{kind}"
            if request.POST.get(key) == "on":
                items[(dimension, kind)] = request.POST.get(f"{key}__note", "")[:500]
    try:
        services.factors_set(case=case, items=items, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The checklist is saved."))
    return redirect(_case_url(case))


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def participant_add(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    people = (
        User.objects.filter(memberships__cell=request.cell, memberships__ended_at__isnull=True)
        .exclude(memberships__role=Role.DPO, memberships__cell=request.cell)
        .distinct()
    )
    form = ParticipantForm(
        request.POST or None,
        organisations=Organisation.objects.all(),
        people=people,
        actions=Action.objects.filter(case=case, status=ActionStatus.OPEN).select_related("owner"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                case=case,
                user=request.user,
                request=request,
                organisation=data["organisation"],
                person=data["person"],
                reason=data["reason"],
                is_case_manager=data["is_case_manager"],
                until_action=data["until_action"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The participant is added."))
            return redirect(_case_url(case))
    return form_page(
        request,
        form,
        title=_("Add a participant to %(code)s") % {"code": case.code},
        intro=_("Only participants can open the case (need-to-know). Add the reason."),
        cancel_url=_case_url(case),
    )


@require_POST
@cell_view(require="can_manage")
def participant_remove(
    request: CellHttpRequest, case_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    participant = get_object_or_404(
        Participant, pk=participant_id, case=case, removed_at__isnull=True
    )
    services.participant_remove(participant=participant, user=request.user, request=request)
    messages.success(request, _("The participant is removed; their access ends at once."))
    return redirect(_case_url(case))


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def action_add(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    form = ActionForm(request.POST or None, organisations=Organisation.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(case=case, user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action is added."))
            return redirect(_case_url(case))
    return form_page(
        request,
        form,
        title=_("New action for %(code)s") % {"code": case.code},
        cancel_url=_case_url(case),
    )


@require_POST
@cell_view
def action_status(
    request: CellHttpRequest, case_id: uuid.UUID, action_id: uuid.UUID
) -> HttpResponse:
    """The coordinator, or a participant of the owner organisation, updates an action."""
    case = _case(request, case_id)
    action = get_object_or_404(Action, pk=action_id, case=case)
    manager = can_manage_case(request.cell_access)
    if not (
        manager or action.owner_id in action_owner_ids(request.user, request.cell_access, case)
    ):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    # Partners finish their own actions; only the coordinator reopens one.
    reopen = form.is_valid() and form.cleaned_data["status"] == ActionStatus.OPEN
    if form.is_valid() and case.is_open and (manager or not reopen):
        services.action_set_status(
            action=action, status=form.cleaned_data["status"], user=request.user, request=request
        )
        messages.success(request, _("The action is updated."))
    else:
        messages.error(request, _("This action cannot be changed."))
    return redirect(_case_url(case))


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def case_close(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(case=case, user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The case is closed. It will be deleted on %(date)s.")
                % {"date": case.delete_after},
            )
            return redirect(_case_url(case))
    return form_page(
        request,
        form,
        title=_("Close %(code)s") % {"code": case.code},
        intro=_("Closing sets the deletion date from the cell's retention policy."),
        submit=_("Close the case"),
        cancel_url=_case_url(case),
    )


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def legal_hold(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, manage=True)
    form = LegalHoldForm(
        request.POST or None,
        initial={
            "hold": case.legal_hold,
            "reason": case.legal_hold_reason or "",
            "review_on": case.legal_hold_review,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_set(
                case=case, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The legal hold is saved."))
            return redirect(_case_url(case))
    return form_page(
        request,
        form,
        title=_("Legal hold for %(code)s") % {"code": case.code},
        cancel_url=_case_url(case),
    )


@require_GET
@cell_view(require="can_manage")
def case_export(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """A printable export of the case for the file of the coordinator; audited."""
    case = _case(request, case_id, manage=True)
    services.case_audit_view(
        case=case, user=request.user, request=request, action="cases.case.exported"
    )
    context = {
        "cell": request.cell,
        "case": case,
        "participants": case.participants.filter(removed_at__isnull=True).select_related(
            "organisation", "user"
        ),
        "actions": case.actions.select_related("owner"),
        "factors": case.factors.all(),
        "printed_at": timezone.now(),
    }
    return render(request, "cases/case_export.html", context)


@require_GET
@cell_view
def access_log(request: CellHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Who opened, changed or exported this case. For the coordinator and the cell's DPO."""
    access = request.cell_access
    if not can_see_access_log(access):
        case_for_user(request.user, access, case_id)  # 404 for a case they cannot open
        raise PermissionDenied
    # The DPO sees the log of any case of the cell, but not the case itself.
    case = get_object_or_404(Case, pk=case_id)
    events = list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by(
            "-position"
        )[:500]
    )
    names = dict(
        (str(pk), name)
        for pk, name in User.objects.filter(
            pk__in={e.actor_id for e in events if e.actor_id}
        ).values_list("pk", "full_name")
    )
    rows = [
        {
            "when": e.occurred_at,
            "who": names.get(e.actor_id, ""),
            "role": e.actor_role,
            "action": e.action,
        }
        for e in events
    ]
    services.case_audit_view(
        case=case, user=request.user, request=request, action="cases.access_log.viewed"
    )
    return render(
        request, "cases/access_log.html", {"cell": request.cell, "case": case, "rows": rows}
    )


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def case_find(request: CellHttpRequest) -> HttpResponse:
    """Is there already a case for this person? By code, or by name + date of birth."""
    form = FindForm(request.POST or None)
    found: Case | None = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        data = form.cleaned_data
        if data.get("code"):
            found = Case.objects.filter(code__iexact=data["code"].strip()).first()
        else:
            found = services.case_find(
                cell=request.cell, name=data["name"], birth_date=data["birth_date"]
            )
        from vangnet.audit.services import audit_record

        audit_record(
            action="cases.case.searched",
            request=request,
            cell=request.cell,
            target=found,
            data={"found": found is not None},
        )
    context = {"cell": request.cell, "form": form, "found": found, "searched": searched}
    return render(request, "cases/case_find.html", context)
