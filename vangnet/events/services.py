"""Event workflows: bodies, events and series, registrations with a waiting list, attendance,
calendar feeds, reminders and anonymous feedback. Every change is audited (ids and counts only)."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from vangnet.audit.services import audit_record
from vangnet.events.access import viewer_for
from vangnet.events.models import (
    ACTIVE_STATUSES,
    BodyDocument,
    BodyMembership,
    CalendarFeed,
    Event,
    EventSeries,
    EventStatus,
    FeedbackAnswer,
    FeedbackResponse,
    NetworkBody,
    Registration,
    RegistrationStatus,
)
from vangnet.knowledge.access import is_local_government_user
from vangnet.lib.tokens import token_hash
from vangnet.lib.uploads import document_check
from vangnet.questionnaires.services import template_current

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.knowledge.models import Item

logger = logging.getLogger(__name__)

FEEDBACK_SLUG = "event-feedback"
RESULTS_THRESHOLD = 3  # feedback results are shown from this many responses
# Feedback can be given this long after the event ends; results are shown only afterwards, so that
# the order of responses cannot be matched with who said they had given feedback.
FEEDBACK_PERIOD = datetime.timedelta(days=14)
MAX_SERIES = 24

# The event fields a form may set (everything but status, series and bookkeeping).
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "body",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "capacity",
    "audience",
)


def _event_url(event: Event) -> str:
    return f"{settings.SITE_URL}/events/{event.pk}/"


def _mail(users: Iterable[User], template: str, subject: str, event: Event) -> int:
    """Mail the title, date and a link only; one failure does not stop the others."""
    sent = 0
    with override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"event": event, "url": _event_url(event)})
        subject_text = _(subject)
    for user in users:
        if not user.is_active:  # deactivated accounts get no mail
            continue
        try:
            send_mail(subject_text, body, None, [user.email])
        except Exception:  # logged without the address
            logger.exception("An e-mail about event %s could not be sent", event.pk)
        else:
            sent += 1
    return sent


# --- Network bodies ---------------------------------------------------------------------------


@transaction.atomic
def body_save(*, actor: User, body: NetworkBody | None = None, **fields: Any) -> NetworkBody:
    created = body is None
    body = body or NetworkBody()
    for name in ("kind", "name", "province", "description", "active"):
        if name in fields:
            setattr(body, name, fields[name])
    body.full_clean()
    body.save()
    audit_record(
        action="events.body.created" if created else "events.body.edited",
        actor=actor,
        target=body,
        data={"kind": body.kind, "active": body.active},
    )
    return body


@transaction.atomic
def body_member_add(*, body: NetworkBody, user: User, role: str, actor: User) -> BodyMembership:
    """Add a local-government user; refuses outsiders and people who are already members."""
    if not is_local_government_user(user):
        raise ValidationError(_("Only users of a local government can be added."))
    NetworkBody.objects.select_for_update(no_key=True).filter(pk=body.pk).first()
    if BodyMembership.objects.filter(body=body, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("This person is already a member."))
    membership = BodyMembership.objects.create(body=body, user=user, role=role)
    audit_record(
        action="events.body.member_added",
        actor=actor,
        target=membership,
        data={"body": str(body.pk), "role": role},
    )
    return membership


@transaction.atomic
def body_member_end(*, membership: BodyMembership, actor: User) -> None:
    if membership.ended_at is not None:
        return
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    audit_record(
        action="events.body.member_ended",
        actor=actor,
        target=membership,
        data={"body": str(membership.body_id)},
    )


@transaction.atomic
def body_document_upload(
    *, body: NetworkBody, title: str, upload: UploadedFile, actor: User
) -> BodyDocument:
    """A new version of a body document (same title = next version); checked by content."""
    checked = document_check(upload)  # raises UploadRejected
    NetworkBody.objects.select_for_update(no_key=True).filter(pk=body.pk).first()
    title = title.strip()
    latest = BodyDocument.objects.filter(body=body, title=title).aggregate(v=Max("version"))["v"]
    document = BodyDocument(
        body=body,
        title=title,
        version=(latest or 0) + 1,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    document.file.save(f"{document.id}{checked.extension}", upload, save=False)
    document.save()
    audit_record(
        action="events.body.document_uploaded",
        actor=actor,
        target=document,
        data={"body": str(body.pk), "version": document.version},
    )
    return document


# --- Events and series ------------------------------------------------------------------------


def _promote(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Caller holds the lock."""
    promoted: list[Registration] = []
    if event.capacity is not None:
        taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        free = max(event.capacity - taken, 0)
        if not free:
            return promoted
        waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        candidates = list(waiting.select_related("user").order_by("created_at", "id")[:free])
    else:
        candidates = list(
            event.registrations.filter(status=RegistrationStatus.WAITLISTED)
            .select_related("user")
            .order_by("created_at", "id")
        )
    for registration in candidates:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
        promoted.append(registration)
    return promoted


def _notify_promoted(event: Event, promoted: list[Registration]) -> None:
    users = [r.user for r in promoted if r.user.is_active]
    if users:
        transaction.on_commit(
            lambda: _mail(
                users,
                "events/emails/promoted.txt",
                "Vangnet: you have a place at an event",
                event,
            )
        )


@transaction.atomic
def event_save(
    *,
    actor: User,
    data: Mapping[str, Any],
    event: Event | None = None,
    materials: Iterable[Item] | None = None,
    feedback: bool | None = None,
    series: EventSeries | None = None,
) -> Event:
    """Create a draft or edit an event. A larger capacity promotes people from the waiting list;
    a smaller one never bumps anyone who is registered."""
    created = event is None
    if event is None:
        event = Event(created_by=actor, series=series)
    else:
        event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    old_start = None if created else event.starts_at
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if feedback is not None:
        if not feedback:
            event.feedback_template = None
        elif event.feedback_template is None:
            event.feedback_template = template_current(FEEDBACK_SLUG)
    event.full_clean(exclude=["materials", "feedback_template", "created_by", "series", "body"])
    event.save()
    if materials is not None:
        event.materials.set(list(materials))
    if old_start is not None and event.starts_at != old_start:
        # A new date: remind everyone again before the new start.
        event.registrations.filter(status__in=ACTIVE_STATUSES).update(reminded_at=None)
    open_event = event.status == EventStatus.PUBLISHED and not event.has_started
    promoted = _promote(event) if open_event and not created else []
    _notify_promoted(event, promoted)
    audit_record(
        action="events.event.created" if created else "events.event.edited",
        actor=actor,
        target=event,
        data={"kind": event.kind, "status": event.status, "promoted": len(promoted)},
    )
    return event


@transaction.atomic
def event_series_create(
    *,
    actor: User,
    name: str,
    data: Mapping[str, Any],
    dates: list[datetime.date],
    start: datetime.time,
    end: datetime.time,
    feedback: bool = False,
) -> EventSeries:
    """One series with an event (draft) on each date, all with the same details."""
    if not dates or len(dates) > MAX_SERIES:
        raise ValidationError(_("Give between 1 and %(max)s dates.") % {"max": MAX_SERIES})
    series = EventSeries.objects.create(name=name, body=data.get("body"))
    zone = timezone.get_current_timezone()
    for day in sorted(set(dates)):
        event_save(
            actor=actor,
            data={
                **data,
                "starts_at": datetime.datetime.combine(day, start, zone),
                "ends_at": datetime.datetime.combine(day, end, zone),
            },
            feedback=feedback,
            series=series,
        )
    audit_record(
        action="events.series.created",
        actor=actor,
        target=series,
        data={"events": len(set(dates))},
    )
    return series


@transaction.atomic
def event_publish(*, event: Event, actor: User) -> None:
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    audit_record(action="events.event.published", actor=actor, target=event)


@transaction.atomic
def event_cancel(*, event: Event, actor: User) -> int:
    """Cancel the event and tell everyone registered or waiting (title and date only)."""
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    if event.has_ended:
        raise ValidationError(_("An event that has already taken place cannot be cancelled."))
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    users = (
        [
            r.user
            for r in event.registrations.filter(
                status__in=ACTIVE_STATUSES, user__is_active=True
            ).select_related("user")
        ]
        if was_published
        else []
    )
    if users:
        transaction.on_commit(
            lambda: _mail(
                users, "events/emails/cancelled.txt", "Vangnet: an event was cancelled", event
            )
        )
    audit_record(
        action="events.event.cancelled", actor=actor, target=event, data={"notified": len(users)}
    )
    # A cancelled tabletop exercise leaves no training cell behind.
    from vangnet.exercises.services import exercise_wipe_for_cancelled_event

    exercise_wipe_for_cancelled_event(event)
    return len(users)


# --- Registrations ----------------------------------------------------------------------------


@transaction.atomic
def registration_create(*, event: Event, user: User) -> Registration:
    """Register, or join the waiting list when the event is full. Row-locks the event."""
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("You cannot register for this event."))
    if event.has_started:
        raise ValidationError(_("Registration is closed: the event has started."))
    if not viewer_for(user).in_audience(event):
        raise ValidationError(_("This event is not open to you."))
    if event.registrations.filter(user=user, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(_("You are already registered for this event."))
    full = (
        event.capacity is not None
        and event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        >= event.capacity
    )
    registration = Registration.objects.create(
        event=event,
        user=user,
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
    )
    audit_record(
        action="events.registration.created",
        actor=user,
        target=registration,
        data={"event": str(event.pk), "status": registration.status},
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User) -> Registration | None:
    """Cancel a place or a waiting-list entry; a freed place goes to the first person waiting,
    who gets an e-mail. Returns the promoted registration, if any."""
    event = Event.objects.select_for_update(no_key=True).get(pk=registration.event_id)
    registration = Registration.objects.select_for_update(no_key=True).get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if event.has_started:
        raise ValidationError(_("The event has started; you can no longer cancel."))
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _promote(event) if was_registered and event.status == EventStatus.PUBLISHED else []
    _notify_promoted(event, promoted)
    audit_record(
        action="events.registration.cancelled",
        actor=actor,
        target=registration,
        data={"event": str(event.pk), "promoted": len(promoted)},
    )
    return promoted[0] if promoted else None


@transaction.atomic
def attendance_record(*, event: Event, actor: User, attended: Mapping[Any, bool | None]) -> int:
    """Record who attended (registration id → True/False/None); only after the start."""
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    changed = 0
    for registration in event.registrations.filter(
        status=RegistrationStatus.REGISTERED, pk__in=list(attended)
    ).select_for_update(no_key=True):
        value = attended[registration.pk]
        if registration.attended != value:
            registration.attended = value
            registration.save(update_fields=["attended"])
            changed += 1
    audit_record(
        action="events.attendance.recorded",
        actor=actor,
        target=event,
        data={"changed": changed},
    )
    return changed


# --- Calendar feed ----------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, user: User) -> str:
    """A new secret feed URL token (an older feed stops working). Only the hash is stored."""
    # Lock the user row: two simultaneous requests run one after the other, so that at most one
    # feed is active (a unique constraint would otherwise give a 500).
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    audit_record(action="events.feed.created", actor=user, target=feed)
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    count = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(action="events.feed.revoked", actor=user, data={"count": count})
    return count


def feed_user(token: str) -> User | None:
    """The owner of an active feed token, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Mail everyone registered for a published event starting in 24 to 48 hours, once."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        user__is_active=True,
        reminded_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gte=now + datetime.timedelta(hours=24),
        event__starts_at__lt=now + datetime.timedelta(hours=48),
    ).select_related("event", "user")
    sent = 0
    for registration in due:
        # Claim the row first: a second run (or a parallel one) skips it.
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            sent += _mail(
                [registration.user],
                "events/emails/reminder.txt",
                "Vangnet: reminder of an event",
                registration.event,
            )
    return sent


# --- Feedback ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    kind: str
    count: int
    average: float | None  # Likert: 1..5; yes/no: share of yes in %
    distribution: list[tuple[str, int]]
    texts: list[str]


def feedback_closes_at(event: Event) -> datetime.datetime:
    """The one rule for the feedback period: open from the end of the event until this moment;
    results become available from this moment on."""
    return event.ends_at + FEEDBACK_PERIOD


def feedback_closed(event: Event, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= feedback_closes_at(event)


def feedback_open_for(registration: Registration | None) -> bool:
    if registration is None:
        return False
    event = registration.event
    return bool(
        event.feedback_template_id
        and event.status == EventStatus.PUBLISHED
        and event.has_ended
        and not feedback_closed(event)
        and registration.status == RegistrationStatus.REGISTERED
        and registration.attended is True
        and not registration.feedback_given
    )


@transaction.atomic
def feedback_submit(
    *, registration: Registration, answers: Mapping[tuple[str, str, str], tuple[int | None, str]]
) -> FeedbackResponse:
    """Store the answers WITHOUT the user or a date (only the event); once per attendee.
    At least one question must be answered."""
    registration = (
        Registration.objects.select_for_update(no_key=True, of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if not feedback_open_for(registration):
        raise ValidationError(_("You cannot give feedback on this event (any more)."))
    if not answers:
        raise ValidationError(_("Answer at least one question."))
    registration.feedback_given = True
    registration.save(update_fields=["feedback_given"])
    response = FeedbackResponse.objects.create(event=registration.event)
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(
            response=response, module=module, indicator=indicator, value=value, text=text
        )
        for (module, _situation, indicator), (value, text) in answers.items()
    )
    # The audit event names the event only: the response is not linked to the person.
    audit_record(
        action="events.feedback.given",
        actor=registration.user,
        target=registration.event,
    )
    return response


def feedback_results(event: Event, language: str) -> tuple[int, list[QuestionResult]]:
    """(number of responses, per-question results). Two queries."""
    count = event.feedback.count()
    if event.feedback_template is None:
        return count, []
    rows = list(
        FeedbackAnswer.objects.filter(response__event=event).values_list(
            "module", "indicator", "value", "text"
        )
    )
    results: list[QuestionResult] = []
    for module in event.feedback_template.definition["modules"]:
        for indicator in module["indicators"]:
            mine = [(v, t) for m, i, v, t in rows if m == module["key"] and i == indicator["key"]]
            kind = indicator["kind"]
            if kind == "text":
                texts = sorted(t for _v, t in mine if t)
                results.append(
                    QuestionResult(
                        indicator["key"],
                        indicator["text"][language],
                        kind,
                        len(texts),
                        None,
                        [],
                        texts,
                    )
                )
                continue
            values = [v for v, _t in mine if v is not None]
            scale = ["1", "2", "3", "4", "5"] if kind == "likert" else ["1", "0"]
            distribution = [(s, sum(1 for v in values if str(v) == s)) for s in scale]
            not_applicable = sum(1 for v, _t in mine if v is None)
            if indicator["allow_na"]:
                distribution.append(("na", not_applicable))
            if values:
                mean = sum(values) / len(values)
                average: float | None = round(mean * 100 if kind == "yesno" else mean, 1)
            else:
                average = None
            results.append(
                QuestionResult(
                    indicator["key"],
                    indicator["text"][language],
                    kind,
                    len(values),
                    average,
                    distribution,
                    [],
                )
            )
    return count, results
