"""Meetings: list, plan, agenda, attendance, items, feedback sheets, minutes (HTML and PDF)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.audit.services import audit_record
from vangnet.cases import services as case_services
from vangnet.cases.forms import ActionForm
from vangnet.cases.models import Action, ActionStatus
from vangnet.cells.access import cell_view
from vangnet.lib.typealias import CellHttpRequest
from vangnet.lib.urls import RowUrl
from vangnet.lib.views import form_page
from vangnet.meetings import documents, services
from vangnet.meetings.forms import (
    CarryOverForm,
    MeetingForm,
    RecordForm,
    SheetForm,
    SubmitSheetForm,
    TopicForm,
)
from vangnet.meetings.models import (
    AgendaItem,
    FeedbackSheet,
    FeedbackVote,
    Meeting,
)
from vangnet.network.models import Organisation


def _try(http_request: CellHttpRequest, action: Any, /, **kwargs: Any) -> bool:
    """Run a service; a refusal (ValidationError) becomes a message, never a 500."""
    try:
        action(**kwargs)
    except ValidationError as error:
        messages.error(http_request, " ".join(error.messages))
        return False
    return True


def _meeting_url(meeting: Meeting) -> str:
    return reverse(
        "meetings:meeting", kwargs={"cell_id": meeting.cell_id, "meeting_id": meeting.pk}
    )


def _item(request: CellHttpRequest, meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    """An item the reader may see: a topic, or a case item of a case they may open."""
    item = (
        services.items_for_user(meeting, request.user, request.cell_access)
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


# Meetings per page of the list.
PAGE_SIZE = 50


@require_GET
@cell_view
def meeting_list(request: CellHttpRequest) -> HttpResponse:
    # A page at a time: a cell meets some twenty times a year, for years.
    # The id breaks ties between meetings that start at the same time: each on one page.
    meetings = Meeting.objects.select_related("chair").order_by("-starts_at", "-pk")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    meeting_url = RowUrl("meetings:meeting", "meeting_id", cell_id=request.cell.pk)
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "rows": [(meeting, meeting_url(meeting.pk)) for meeting in page],
        "page": page,
        "now": timezone.now(),
    }
    return render(request, "meetings/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def meeting_new(request: CellHttpRequest) -> HttpResponse:
    people = User.objects.filter(
        memberships__cell=request.cell, memberships__ended_at__isnull=True
    ).distinct()
    form = MeetingForm(
        request.POST or None,
        people=people,
        organisations=Organisation.objects.filter(status="active"),
        initial={"chair": request.user, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                cell=request.cell,
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                chair=data["chair"],
                place=data["place"],
                online_link=data["online_link"],
                invited_organisations=data["invited_organisations"],
                created_by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned. Build the agenda next."))
            return redirect(_meeting_url(meeting))
    return form_page(
        request,
        form,
        title=_("Plan a meeting"),
        cancel_url=reverse("meetings:meetings", kwargs={"cell_id": request.cell.pk}),
    )


@require_GET
@cell_view
def meeting_detail(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = services.meeting_find(meeting_id)
    if meeting is None:
        raise Http404
    access = request.cell_access
    items = services.agenda_for_user(meeting, request.user, access)
    attendance = {a.user_id: a for a in services.attendance_of(meeting)}
    mine = attendance.get(request.user.pk)
    urls = {
        name: RowUrl(f"meetings:{name}", "item_id", cell_id=request.cell.pk, meeting_id=meeting.pk)
        for name in ("item", "item_move", "item_remove")
    }
    context: dict[str, Any] = {
        "cell": request.cell,
        "access": access,
        "meeting": meeting,
        "items": items,
        "agenda": [
            (item, urls["item"](item.pk), urls["item_move"](item.pk), urls["item_remove"](item.pk))
            for item in items
        ],
        "present_ids": {user_id for user_id, a in attendance.items() if a.present},
        "invitees": services.invitee_names(meeting) if access.can_manage else [],
        "attendance": attendance,
        "mine": mine,
        "topic_form": TopicForm(),
    }
    if any(item.is_case_item for item in items):
        audit_record(
            action="meetings.agenda.viewed", request=request, cell=request.cell, target=meeting
        )
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
@cell_view(require="can_manage")
def agenda_propose(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        added = services.agenda_propose(meeting=meeting, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d case item was added.", "%(count)d case items were added.", added)
            % {"count": added},
        )
    return redirect(_meeting_url(meeting))


@require_POST
@cell_view(require="can_manage")
def topic_add(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    form = TopicForm(request.POST)
    if form.is_valid():
        _try(
            request,
            services.topic_add,
            meeting=meeting,
            title=form.cleaned_data["title"],
            user=request.user,
            request=request,
        )
    else:
        messages.error(request, _("Give the topic a title of at most 200 characters."))
    return redirect(_meeting_url(meeting))


@require_POST
@cell_view(require="can_manage")
def item_remove(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    _try(
        request,
        services.item_remove,
        item=_item(request, meeting, item_id),
        user=request.user,
        request=request,
    )
    return redirect(_meeting_url(meeting))


@require_POST
@cell_view(require="can_manage")
def item_move(request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    _try(
        request,
        services.item_move,
        item=_item(request, meeting, item_id),
        up=request.POST.get("direction") == "up",
        user=request.user,
        request=request,
    )
    return redirect(_meeting_url(meeting))


@require_POST
@cell_view(require="can_manage")
def invitations_send(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    count, failed = documents.invitations_send(meeting, services.invitees(meeting))
    if failed:
        messages.error(
            request,
            ngettext(
                "%(count)d invitation could not be sent.",
                "%(count)d invitations could not be sent.",
                failed,
            )
            % {"count": failed},
        )
    audit_record(
        action="meetings.invitations.sent",
        request=request,
        cell=request.cell,
        target=meeting,
        data={"count": count},
    )
    messages.success(
        request,
        ngettext("%(count)d invitation was sent.", "%(count)d invitations were sent.", count)
        % {"count": count},
    )
    return redirect(_meeting_url(meeting))


@require_GET
@cell_view
def meeting_ics(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    response = HttpResponse(documents.meeting_ics(meeting), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="vangnet-overleg.ics"'
    return response


@require_POST
@cell_view(require="can_manage")
def attendance_save(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        services.attendance_set(
            meeting=meeting,
            present_ids=set(request.POST.getlist("present")),
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attendance is saved."))
    return redirect(_meeting_url(meeting))


@require_POST
@cell_view
def secrecy_acknowledge(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        services.secrecy_acknowledge(meeting=meeting, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_meeting_url(meeting))


def _item_context(
    request: CellHttpRequest, meeting: Meeting, item: AgendaItem, **extra: Any
) -> dict[str, Any]:
    sheet = FeedbackSheet.objects.filter(item=item).first()
    votes = list(FeedbackVote.objects.filter(sheet=sheet).select_related("user")) if sheet else []
    context: dict[str, Any] = {
        "cell": request.cell,
        "access": request.cell_access,
        "meeting": meeting,
        "item": item,
        "record_form": RecordForm(
            initial={
                "summary": item.summary,
                "decisions": item.decisions,
                "next_review": item.next_review,
                "professional_secret": item.professional_secret,
            }
        ),
        "sheet": sheet,
        "votes": votes,
        "my_vote": next((v for v in votes if v.user_id == request.user.pk), None),
        "sheet_form": SheetForm(initial={"text": sheet.text if sheet else ""}),
        "submit_form": SubmitSheetForm(),
        "carry_form": CarryOverForm(),
    }
    if item.case_id:
        context["open_actions"] = Action.objects.filter(
            case_id=item.case_id, status=ActionStatus.OPEN
        ).select_related("owner")
        context["carried"] = {c.action_id: c for c in item.carry_overs.all()}
        context["action_form"] = ActionForm(organisations=Organisation.objects.all())
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
@cell_view
def item_detail(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    """One agenda item; recording needs the coordinator, or access to the item's case."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    item = _item(request, meeting, item_id)
    if item.case_id:
        case_services.case_audit_view(case=item.case, user=request.user, request=request)  # type: ignore[arg-type]
    if request.method == "POST":
        # The coordinator keeps the record (minutes and review dates); others read it.
        if not request.cell_access.can_manage:
            raise PermissionDenied
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                services.item_record(
                    item=item, user=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
        return render(
            request,
            "meetings/item_detail.html",
            _item_context(request, meeting, item, record_form=form),
        )
    return render(request, "meetings/item_detail.html", _item_context(request, meeting, item))


@require_POST
@cell_view(require="can_manage")
def item_action_add(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    item = _item(request, meeting, item_id)
    if item.case is None:
        raise Http404
    form = ActionForm(request.POST, organisations=Organisation.objects.all())
    if form.is_valid():
        try:
            case_services.action_add(
                case=item.case, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action is added to the case's action plan."))
    else:
        messages.error(request, _("Choose an owner, a description and a due date."))
    return redirect(
        reverse(
            "meetings:item",
            kwargs={"cell_id": request.cell.pk, "meeting_id": meeting.pk, "item_id": item.pk},
        )
    )


@require_POST
@cell_view(require="can_manage")
def item_carry_over(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID, action_id: uuid.UUID
) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    item = _item(request, meeting, item_id)
    action = get_object_or_404(Action, pk=action_id, case_id=item.case_id)
    form = CarryOverForm(request.POST)
    if form.is_valid():
        try:
            services.carry_over(
                item=item,
                action=action,
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(
        reverse(
            "meetings:item",
            kwargs={"cell_id": request.cell.pk, "meeting_id": meeting.pk, "item_id": item.pk},
        )
    )


def _item_url(item: AgendaItem) -> str:
    return reverse(
        "meetings:item",
        kwargs={"cell_id": item.cell_id, "meeting_id": item.meeting_id, "item_id": item.pk},
    )


@require_POST
@cell_view(require="can_manage")
def sheet_save(request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    item = _item(request, meeting, item_id)
    form = SheetForm(request.POST)
    if form.is_valid():
        try:
            services.sheet_save(
                item=item, text=form.cleaned_data["text"], user=request.user, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The draft is saved."))
    else:
        messages.error(request, _("Write the text of the sheet (at most 4000 characters)."))
    return redirect(_item_url(item))


def _sheet(request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> FeedbackSheet:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    item = _item(request, meeting, item_id)
    return get_object_or_404(FeedbackSheet, item=item)


@require_POST
@cell_view(require="can_manage")
def sheet_submit(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    sheet = _sheet(request, meeting_id, item_id)
    try:
        services.sheet_submit(
            sheet=sheet,
            no_secrets_confirmed=request.POST.get("no_secrets") == "on",
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Every member who was present can now approve or reject."))
    return redirect(_item_url(sheet.item))


@require_POST
@cell_view
def sheet_vote(request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    sheet = _sheet(request, meeting_id, item_id)
    try:
        services.sheet_vote(
            sheet=sheet, user=request.user, vote=request.POST.get("vote", ""), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is recorded."))
    return redirect(_item_url(sheet.item))


@require_POST
@cell_view(require="can_manage")
def sheet_reopen(
    request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    sheet = _sheet(request, meeting_id, item_id)
    try:
        services.sheet_reopen(sheet=sheet, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_item_url(sheet.item))


@require_POST
@cell_view(require="can_manage")
def sheet_sent(request: CellHttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    sheet = _sheet(request, meeting_id, item_id)
    try:
        services.sheet_mark_sent(sheet=sheet, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_item_url(sheet.item))


def _minutes_context(request: CellHttpRequest, meeting: Meeting) -> dict[str, Any]:
    items = list(
        services.items_for_user(meeting, request.user, request.cell_access).prefetch_related(
            "carry_overs__action__owner"
        )
    )
    sheets = {s.item_id: s for s in FeedbackSheet.objects.filter(item__in=items)}
    return {
        "cell": request.cell,
        "meeting": meeting,
        "items": [(item, sheets.get(item.pk)) for item in items],
        "attendance": services.attendance_for_reader(meeting, request.user, request.cell_access),
        "approvals": meeting.approvals.select_related("approved_by"),
        "reader": request.user,
        "printed_at": timezone.now(),
        "access": request.cell_access,
    }


@require_GET
@cell_view
def minutes(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    audit_record(
        action="meetings.minutes.viewed", request=request, cell=request.cell, target=meeting
    )
    return render(request, "meetings/minutes.html", _minutes_context(request, meeting))


@require_GET
@cell_view
def minutes_pdf(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    html = render_to_string(
        "meetings/minutes_pdf.html", _minutes_context(request, meeting), request=request
    )
    audit_record(
        action="meetings.minutes.exported", request=request, cell=request.cell, target=meeting
    )
    response = HttpResponse(documents.minutes_pdf(html, request), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="verslag.pdf"'
    return response


@require_POST
@cell_view(require="can_manage")
def minutes_approve(request: CellHttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        services.minutes_approve(meeting=meeting, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes are approved."))
    return redirect(
        reverse("meetings:minutes", kwargs={"cell_id": request.cell.pk, "meeting_id": meeting.pk})
    )
