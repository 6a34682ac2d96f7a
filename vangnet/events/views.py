"""Event pages: the calendar for local governments, one event, registration, .ics files and the
personal feed, feedback; for VVSG staff: managing events, series, attendance, results and the
network bodies. Every view: access check -> form -> service -> render or redirect."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.events import services
from vangnet.events.access import (
    Viewer,
    audience_filter,
    body_document_for_user,
    body_for_staff,
    body_for_user,
    event_for_staff,
    event_for_viewer,
    require_staff,
    viewer_for,
)
from vangnet.events.calendar import calendar_text
from vangnet.events.forms import (
    AttendanceForm,
    BodyDocumentForm,
    BodyForm,
    BodyMemberForm,
    EventForm,
    SeriesForm,
)
from vangnet.events.models import (
    ACTIVE_STATUSES,
    BodyMembership,
    CalendarFeed,
    Event,
    EventStatus,
    NetworkBody,
    Registration,
    RegistrationStatus,
)
from vangnet.knowledge.models import Audience, Item
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.lib.uploads import UploadRejected
from vangnet.lib.views import form_page, posted
from vangnet.scans.forms import answers_from_post

logger = logging.getLogger(__name__)

COUNTS = {
    "registered_count": Count(
        "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
    ),
    "waitlisted_count": Count(
        "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
    ),
}


def _lang() -> str:
    return "nl" if (get_language() or "nl").startswith("nl") else "en"


def _visible(viewer: Viewer) -> Q:
    if viewer.is_staff:
        return Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    return audience_filter(viewer)


def _require_reader(viewer: Viewer) -> None:
    """The calendar is for local governments, body members and VVSG staff: 403 for others."""
    if not (viewer.is_staff or viewer.is_local or viewer.body_ids):
        raise PermissionDenied


def _materials(
    request: AuthenticatedHttpRequest, viewer: Viewer, lookup: str = "materials"
) -> Prefetch:
    """Only the knowledge items this reader may open (published, their audience)."""
    audiences: list[str]
    if viewer.is_staff:
        audiences = [Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF]
    elif viewer.is_local:
        audiences = [Audience.PUBLIC, Audience.MEMBERS]
    else:
        audiences = [Audience.PUBLIC]
    return Prefetch(
        lookup,
        queryset=Item.objects.visible_to(request.user, audiences=audiences).order_by("title"),
        to_attr="visible_materials",
    )


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Participants -----------------------------------------------------------------------------


@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    _require_reader(viewer)
    now = timezone.now()
    upcoming = list(
        Event.objects.filter(_visible(viewer), starts_at__gt=now)
        .select_related("body")
        .annotate(**COUNTS)
        .order_by("starts_at")[:100]
    )
    mine = list(
        Registration.objects.filter(
            user=request.user, status__in=ACTIVE_STATUSES, event__ends_at__gt=now
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    by_event = {r.event_id: r for r in mine}
    for event in upcoming:
        event.my_registration = by_event.get(event.pk)  # type: ignore[attr-defined]
    past = list(
        Registration.objects.filter(
            user=request.user, status=RegistrationStatus.REGISTERED, event__ends_at__lte=now
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event", "event__feedback_template")
        .prefetch_related(_materials(request, viewer, "event__materials"))
        .order_by("-event__starts_at")[:30]
    )
    for registration in past:
        registration.feedback_open = services.feedback_open_for(registration)  # type: ignore[attr-defined]
    return render(
        request,
        "events/index.html",
        {"upcoming": upcoming, "mine": mine, "past": past, "is_staff": viewer.is_staff},
    )


@require_GET
def detail(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = event_for_viewer(request.user, event_id, viewer)
    event = (
        Event.objects.select_related("body", "series")
        .annotate(**COUNTS)
        .prefetch_related(_materials(request, viewer))
        .get(pk=event.pk)
    )
    registration = (
        Registration.objects.filter(event=event, user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    may_register = (
        registration is None
        and event.status == EventStatus.PUBLISHED
        and not event.has_started
        and viewer.in_audience(event)
    )
    if registration is not None:
        registration.event = event
    context = {
        "event": event,
        "registration": registration,
        "may_register": may_register,
        "full": event.capacity is not None and event.registered_count >= event.capacity,  # type: ignore[attr-defined]
        "feedback_open": services.feedback_open_for(registration),
        "is_staff": viewer.is_staff,
    }
    return render(request, "events/detail.html", context)


@require_POST
def register(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_viewer(request.user, event_id)
    try:
        registration = services.registration_create(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.info(
                request,
                _(
                    "The event is full: you are on the waiting list. "
                    "We e-mail you if a place frees up."
                ),
            )
        else:
            messages.success(request, _("You are registered."))
    return redirect("events:detail", event_id=event.pk)


@require_POST
def unregister(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_viewer(request.user, event_id)
    registration = get_object_or_404(
        Registration, event=event, user=request.user, status__in=ACTIVE_STATUSES
    )
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", event_id=event.pk)


@require_GET
def event_ics(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    viewer = viewer_for(request.user)
    event = event_for_viewer(request.user, event_id, viewer)
    with_link = viewer.is_staff or (
        Registration.objects.filter(
            event=event, user=request.user, status=RegistrationStatus.REGISTERED
        ).exists()
    )
    return _ics_response(calendar_text([event], with_link=with_link), "vangnet-event.ics")


@require_http_methods(["GET", "POST"])
def feedback(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_viewer(request.user, event_id)
    registration = (
        Registration.objects.select_related("event", "event__feedback_template")
        .filter(event=event, user=request.user, status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None or not services.feedback_open_for(registration):
        raise Http404
    assert event.feedback_template is not None
    modules = event.feedback_template.definition["modules"]
    errors: list[str] = []
    if request.method == "POST":
        answers, errors = answers_from_post(request.POST, modules)
        if not errors and not answers:
            errors = [_("Answer at least one question.")]
        if not errors:
            try:
                services.feedback_submit(registration=registration, answers=answers)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you for your feedback."))
            return redirect("events:detail", event_id=event.pk)
    language = _lang()
    questions = [
        {
            "name": f"a__{m['key']}____{i['key']}",  # no situations: see scans.forms
            "text": i["text"][language],
            "kind": i["kind"],
            "allow_na": i["allow_na"],
            "current": request.POST.get(f"a__{m['key']}____{i['key']}", ""),
        }
        for m in modules
        for i in m["indicators"]
    ]
    context = {
        "event": event,
        "questions": questions,
        "errors": errors,
        "likert": [
            ("1", _("Strongly disagree")),
            ("2", _("Disagree")),
            ("3", _("Neutral")),
            ("4", _("Agree")),
            ("5", _("Strongly agree")),
        ],
    }
    return render(request, "events/feedback.html", context, status=400 if errors else 200)


@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _mine_page(request)


def _mine_page(request: AuthenticatedHttpRequest, token: str = "") -> HttpResponse:
    registrations = list(
        Registration.objects.filter(user=request.user, status__in=ACTIVE_STATUSES)
        .select_related("event")
        .order_by("-event__starts_at")[:100]
    )
    has_feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).exists()
    feed_url = (
        request.build_absolute_uri(reverse("events:feed", kwargs={"token": token})) if token else ""
    )
    return render(
        request,
        "events/mine.html",
        {"registrations": registrations, "has_feed": has_feed, "feed_url": feed_url},
    )


@require_POST
def feed_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    token = services.feed_create(user=request.user)
    # Shown once, in this response only: the server keeps just the hash.
    return _mine_page(request, token)


@require_POST
def feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.feed_revoke(user=request.user)
    messages.success(request, _("Your calendar feed no longer works."))
    return redirect("events:mine")


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = services.feed_user(token)
    if user is None:
        raise Http404
    events = (
        Event.objects.filter(
            registrations__user=user,
            registrations__status=RegistrationStatus.REGISTERED,
            status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
        )
        .distinct()
        .order_by("starts_at")
    )
    return _ics_response(calendar_text(events, name="Vangnet", with_link=True), "vangnet.ics")


# --- VVSG staff: events -----------------------------------------------------------------------


@require_GET
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    events = (
        Event.objects.select_related("body", "series").annotate(**COUNTS).order_by("-starts_at")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "events/manage.html", {"page": page})


@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = EventForm(posted(request))
    if form.is_valid():
        event = services.event_save(
            actor=request.user,
            data=form.event_data(),
            materials=form.cleaned_data["materials"],
            feedback=form.cleaned_data["feedback"],
        )
        messages.success(request, _("The event is saved as a draft."))
        return redirect("events:detail", event_id=event.pk)
    return form_page(
        request,
        form,
        title=_("New event"),
        cancel_url=reverse("events:manage"),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def series_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = SeriesForm(posted(request))
    if form.is_valid():
        try:
            services.event_series_create(
                actor=request.user,
                name=form.cleaned_data["name"].strip(),
                data=form.event_data(),
                dates=form.cleaned_data["dates"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The series is saved; its events are drafts."))
            return redirect("events:manage")
    return form_page(
        request,
        form,
        title=_("New series of events"),
        intro=_("Creates one draft event on each date, all with the same details."),
        cancel_url=reverse("events:manage"),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    if event.status == EventStatus.CANCELLED:
        raise Http404
    local_start = timezone.localtime(event.starts_at)
    initial = {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "body": event.body_id,
        "date": local_start.date(),
        "start": local_start.time(),
        "end": timezone.localtime(event.ends_at).time(),
        "location": event.location,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "audience": event.audience,
        "feedback": event.feedback_template_id is not None,
        "materials": list(event.materials.values_list("pk", flat=True)),
    }
    form = EventForm(posted(request), initial=initial)
    if form.is_valid():
        services.event_save(
            actor=request.user,
            event=event,
            data=form.event_data(),
            materials=form.cleaned_data["materials"],
            feedback=form.cleaned_data["feedback"],
        )
        messages.success(request, _("The event is saved."))
        return redirect("events:detail", event_id=event.pk)
    return form_page(
        request,
        form,
        title=_("Edit event"),
        intro=_("A smaller capacity never removes people who are registered."),
        cancel_url=reverse("events:detail", kwargs={"event_id": event.pk}),
        status=400 if form.errors else 200,
    )


@require_POST
def publish(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    try:
        services.event_publish(event=event, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:detail", event_id=event.pk)


@require_POST
def cancel(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    try:
        services.event_cancel(event=event, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event is cancelled; registered people get an e-mail."))
    return redirect("events:detail", event_id=event.pk)


@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    registrations = list(
        event.registrations.filter(status__in=ACTIVE_STATUSES)
        .select_related("user")
        .order_by("created_at", "id")
    )
    registered = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    form = AttendanceForm(posted(request), registrations=registered)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(event=event, actor=request.user, attended=form.attended())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance is saved."))
        return redirect("events:attendance", event_id=event.pk)
    return render(
        request,
        "events/attendance.html",
        {"event": event, "form": form, "registered": registered, "waiting": waiting},
        status=400 if form.errors else 200,
    )


@require_GET
def results(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    count, questions = services.feedback_results(event, _lang())
    available_at = services.feedback_closes_at(event)
    closed = services.feedback_closed(event)
    shown = closed and count >= services.RESULTS_THRESHOLD
    if shown:
        audit_record(
            action="events.feedback.viewed", request=request, target=event, data={"count": count}
        )
    return render(
        request,
        "events/results.html",
        {
            "event": event,
            "count": count,
            "questions": questions if shown else [],
            "shown": shown,
            "threshold": services.RESULTS_THRESHOLD,
            "closed": closed,
            "available_at": available_at,
        },
    )


# --- Network bodies ---------------------------------------------------------------------------


@require_GET
def bodies(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    _require_reader(viewer)
    queryset = NetworkBody.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    )
    if not viewer.is_staff:
        queryset = queryset.filter(pk__in=viewer.body_ids, active=True)
    return render(
        request,
        "events/bodies.html",
        {"bodies": list(queryset.order_by("name")), "is_staff": viewer.is_staff},
    )


@require_http_methods(["GET", "POST"])
def body_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = BodyForm(posted(request))
    if form.is_valid():
        body = services.body_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The network body is saved."))
        return redirect("events:body", body_id=body.pk)
    return form_page(
        request,
        form,
        title=_("New network body"),
        cancel_url=reverse("events:bodies"),
        status=400 if form.errors else 200,
    )


@require_GET
def body(request: AuthenticatedHttpRequest, body_id: uuid.UUID) -> HttpResponse:
    viewer = viewer_for(request.user)
    network_body = body_for_user(request.user, body_id)
    members = list(
        network_body.memberships.filter(ended_at__isnull=True)
        .select_related("user")
        .order_by("-role", "user__full_name")
    )
    events = list(
        Event.objects.filter(
            _visible(viewer), body=network_body, ends_at__gt=timezone.now()
        ).order_by("starts_at")[:50]
    )
    documents = list(network_body.documents.order_by("title", "-version"))
    return render(
        request,
        "events/body.html",
        {
            "body": network_body,
            "members": members,
            "events": events,
            "documents": documents,
            "is_staff": viewer.is_staff,
        },
    )


@require_http_methods(["GET", "POST"])
def body_edit(request: AuthenticatedHttpRequest, body_id: uuid.UUID) -> HttpResponse:
    network_body = body_for_staff(request.user, body_id)
    initial = {
        "kind": network_body.kind,
        "name": network_body.name,
        "province": network_body.province,
        "description": network_body.description,
        "active": network_body.active,
    }
    form = BodyForm(posted(request), initial=initial, instance=network_body)
    if form.is_valid():
        services.body_save(actor=request.user, body=network_body, **form.cleaned_data)
        messages.success(request, _("The network body is saved."))
        return redirect("events:body", body_id=network_body.pk)
    return form_page(
        request,
        form,
        title=_("Edit network body"),
        cancel_url=reverse("events:body", kwargs={"body_id": network_body.pk}),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def body_member_add(request: AuthenticatedHttpRequest, body_id: uuid.UUID) -> HttpResponse:
    network_body = body_for_staff(request.user, body_id)
    form = BodyMemberForm(posted(request))
    if form.is_valid():
        try:
            services.body_member_add(
                body=network_body,
                user=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("The member is added."))
            return redirect("events:body", body_id=network_body.pk)
    return form_page(
        request,
        form,
        title=_("Add a member"),
        cancel_url=reverse("events:body", kwargs={"body_id": network_body.pk}),
        status=400 if form.errors else 200,
    )


@require_POST
def body_member_end(
    request: AuthenticatedHttpRequest, body_id: uuid.UUID, membership_id: uuid.UUID
) -> HttpResponse:
    network_body = body_for_staff(request.user, body_id)
    membership = get_object_or_404(
        BodyMembership, pk=membership_id, body=network_body, ended_at__isnull=True
    )
    services.body_member_end(membership=membership, actor=request.user)
    messages.success(request, _("The membership is ended."))
    return redirect("events:body", body_id=network_body.pk)


@require_http_methods(["GET", "POST"])
def body_document_upload(request: AuthenticatedHttpRequest, body_id: uuid.UUID) -> HttpResponse:
    network_body = body_for_staff(request.user, body_id)
    form = BodyDocumentForm(posted(request), request.FILES or None)
    if form.is_valid():
        try:
            services.body_document_upload(
                body=network_body,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except UploadRejected as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("events:body", body_id=network_body.pk)
    return form_page(
        request,
        form,
        title=_("Upload a document"),
        intro=_("Shared with the members of this body. No personal data."),
        cancel_url=reverse("events:body", kwargs={"body_id": network_body.pk}),
        status=400 if form.errors else 200,
    )


@require_GET
def body_document_download(
    request: AuthenticatedHttpRequest, document_id: uuid.UUID
) -> FileResponse:
    document = body_document_for_user(request.user, document_id)
    audit_record(action="events.body.document_downloaded", request=request, target=document)
    try:
        handle = document.file.open("rb")
    except OSError:
        logger.error("Stored file missing for body document %s", document.pk)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.title[:80]} v{document.version}{document.extension}",
        content_type=document.content_type,
    )
