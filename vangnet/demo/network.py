"""The network and coaching part of the demo: bodies, a year of events, coaching trajectories.

Everything goes through the services of the events and coaching apps, as the pages would. The
event services refuse registrations and cancellations once an event has started, so every
event is first created a year (52 weeks) later than planned, filled with registrations and
cancellations, and then moved back to its date. Feedback is open only shortly after the end, so
a past event ends "a minute ago" for a moment while the services record attendance and the
anonymous feedback, and then goes back to its date. Timestamps that services set to "now"
(registrations, memberships, uploads, notes) are moved back afterwards, as the rest of the demo
does.

Each part is skipped once it exists, so running the demo again changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import MANAGING_ROLES, Cell, Membership
from vangnet.coaching.models import CoachingDocument, CoachingNote, Trajectory, TrajectoryStatus
from vangnet.coaching.services import (
    document_upload as coaching_document_upload,
)
from vangnet.coaching.services import (
    milestone_update,
    note_add,
    trajectory_create,
    trajectory_status_set,
)
from vangnet.demo.documents import document_upload
from vangnet.demo.network_content import (
    DEMO_BODIES,
    DEMO_EVENTS,
    DEMO_TRAJECTORIES,
    FEEDBACK_COMMENTS,
    MILESTONE_NOTES,
    DemoEvent,
    DemoTrajectory,
)
from vangnet.demo.people import DEMO_DOMAIN
from vangnet.events.models import (
    BodyDocument,
    BodyMembership,
    BodyRole,
    Event,
    EventSeries,
    NetworkBody,
    Registration,
    RegistrationStatus,
)
from vangnet.events.services import (
    attendance_record,
    body_document_upload,
    body_member_add,
    body_save,
    event_publish,
    event_save,
    event_series_create,
    feedback_submit,
    registration_cancel,
    registration_create,
)
from vangnet.knowledge.models import Item, ItemStatus

RANDOM_SEED = "vangnet-demo-network"
SHIFT = datetime.timedelta(weeks=52)  # created this much later, then moved back (same weekday)


def network_load(*, staff: User) -> None:
    now = timezone.now()
    bodies = _ensure_bodies(staff, now)
    _ensure_events(staff, bodies, now)
    _ensure_trajectories(staff, now)


def network_pointers() -> list[str]:
    """Where to look, for the summary the demo command prints."""
    events = Event.objects.filter(created_by__email__endswith=f"@{DEMO_DOMAIN}")
    now = timezone.now()
    return [
        f"Network: {NetworkBody.objects.count()} bodies and {events.count()} events "
        f"({events.filter(starts_at__lt=now).count()} past) at /events/ "
        "(VVSG: /events/manage/; a member: coordinator.mechelen@…)",
        f"Coaching: {Trajectory.objects.count()} trajectories at /coaching/ (VVSG staff); "
        "a cell's own view under /cells/<cell>/coaching/",
    ]


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _users(locals_: tuple[str, ...]) -> list[User]:
    """The personas that exist, in the given order (the support desk's may be absent)."""
    found = {u.email: u for u in User.objects.filter(email__in=[_email(x) for x in locals_])}
    return [found[_email(x)] for x in locals_ if _email(x) in found]


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


# --- Network bodies ---------------------------------------------------------------------------


def _ensure_bodies(staff: User, now: datetime.datetime) -> dict[str, NetworkBody]:
    existing = {
        b.name: b for b in NetworkBody.objects.filter(name__in=[s.name for s in DEMO_BODIES])
    }
    joined = now - datetime.timedelta(days=300)
    bodies: dict[str, NetworkBody] = {}
    for spec in DEMO_BODIES:
        body = existing.get(spec.name)
        if body is None:
            body = body_save(
                actor=staff,
                kind=spec.kind,
                name=spec.name,
                province=spec.province,
                description=spec.description,
                active=True,
            )
            NetworkBody.objects.filter(pk=body.pk).update(created_at=joined)
        members = set(
            BodyMembership.objects.filter(body=body, ended_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
        for index, user in enumerate(_users(spec.members)):
            if user.pk not in members:
                membership = body_member_add(
                    body=body,
                    user=user,
                    role=BodyRole.CHAIR if index == 0 else BodyRole.MEMBER,
                    actor=staff,
                )
                BodyMembership.objects.filter(pk=membership.pk).update(
                    joined_at=joined + datetime.timedelta(days=index)
                )
        if not BodyDocument.objects.filter(body=body).exists():
            document = body_document_upload(
                body=body,
                title=spec.document_title,
                upload=document_upload(
                    spec.document_kind, spec.document_title, list(spec.document)
                ),
                actor=staff,
            )
            BodyDocument.objects.filter(pk=document.pk).update(
                uploaded_at=now - datetime.timedelta(days=45)
            )
        bodies[spec.key] = body
    return bodies


# --- Events -----------------------------------------------------------------------------------


@dataclass
class Occurrence:
    spec: DemoEvent
    event: Event
    starts_at: datetime.datetime  # the planned moment (the event is created SHIFT later)
    ends_at: datetime.datetime


def _day(today: datetime.date, days: int, weekday: int) -> datetime.date:
    day = today + datetime.timedelta(days=days)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _ensure_events(staff: User, bodies: dict[str, NetworkBody], now: datetime.datetime) -> None:
    if Event.objects.filter(created_by=staff).exists():
        return
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - reproducible demo content, not a secret
    today = timezone.localdate(now)
    local_users, coordinators = _local_government_users()
    items = {
        item.title: item
        for item in Item.objects.filter(status=ItemStatus.PUBLISHED).exclude(audience="staff")
    }
    occurrences: list[Occurrence] = []
    for spec in DEMO_EVENTS:
        body = bodies.get(spec.body)
        data = {
            "kind": spec.kind,
            "title": spec.title,
            "description": spec.description,
            "body": body,
            "location": spec.location,
            "online_url": spec.online_url,
            "capacity": spec.capacity,
            "audience": spec.audience,
        }
        days = [_day(today, days, spec.weekday) for days in spec.days]
        if spec.series:
            series = event_series_create(
                actor=staff,
                name=spec.series,
                data=data,
                dates=[day + SHIFT for day in days],
                start=spec.start,
                end=spec.end,
                feedback=spec.feedback,
            )
            events = list(series.events.order_by("starts_at"))
            EventSeries.objects.filter(pk=series.pk).update(
                created_at=_at(days[0], spec.start) - datetime.timedelta(days=60)
            )
        else:
            start, end = _at(days[0] + SHIFT, spec.start), _at(days[0] + SHIFT, spec.end)
            events = [
                event_save(
                    actor=staff,
                    data={**data, "starts_at": start, "ends_at": end},
                    feedback=spec.feedback,
                )
            ]
        for day, event in zip(days, events, strict=True):
            event_publish(event=event, actor=staff)
            occurrences.append(Occurrence(spec, event, _at(day, spec.start), _at(day, spec.end)))
    for occurrence in occurrences:
        spec = occurrence.spec
        if spec.body:
            people = list(
                User.objects.filter(
                    body_memberships__body=occurrence.event.body_id,
                    body_memberships__ended_at__isnull=True,
                ).order_by("body_memberships__joined_at")
            )
            # Not everyone makes it to every meeting.
            people = [p for p in people if rng.random() < 0.85]
        else:
            pool = coordinators if spec.coordinators_only else local_users
            people = rng.sample(pool, min(spec.registrants, len(pool)))
        _register(rng, occurrence, people, now)
    for occurrence in occurrences:
        _move_back(occurrence)
    for occurrence in occurrences:
        if occurrence.ends_at < now:
            _afterwards(rng, staff, occurrence, items, now)


def _local_government_users() -> tuple[list[User], list[User]]:
    """The demo personas of local governments, and of those the coordinators and deputies."""
    with scopes_disabled():
        memberships = list(
            Membership.objects.real()  # a sandbox role is no real standing
            .filter(ended_at__isnull=True, user__email__endswith=f"@{DEMO_DOMAIN}")
            .select_related("user")
        )
    users = sorted({m.user for m in memberships}, key=lambda u: u.email)
    managing = {m.user.pk for m in memberships if m.role in MANAGING_ROLES}
    return users, [u for u in users if u.pk in managing]


def _register(
    rng: random.Random, occurrence: Occurrence, people: list[User], now: datetime.datetime
) -> None:
    """Registrations in order (a full event gets a waiting list), then the cancellations."""
    registrations = [registration_create(event=occurrence.event, user=user) for user in people]
    registered = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
    for registration in rng.sample(registered, min(occurrence.spec.cancels, len(registered))):
        registration_cancel(registration=registration, actor=registration.user)
    # Registration opened some six weeks before the event (and not after today).
    moment = min(
        occurrence.starts_at - datetime.timedelta(days=42), now - datetime.timedelta(days=10)
    )
    for registration in registrations:
        moment += datetime.timedelta(hours=rng.randint(2, 20))
        Registration.objects.filter(pk=registration.pk).update(created_at=min(moment, now))
    cancelled = min(moment + datetime.timedelta(days=3), now, occurrence.starts_at)
    Registration.objects.filter(event=occurrence.event, status=RegistrationStatus.CANCELLED).update(
        cancelled_at=cancelled
    )


def _move_back(occurrence: Occurrence) -> None:
    Event.objects.filter(pk=occurrence.event.pk).update(
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        created_at=occurrence.starts_at - datetime.timedelta(days=60),
        updated_at=occurrence.starts_at - datetime.timedelta(days=55),
    )
    occurrence.event.refresh_from_db()


def _afterwards(
    rng: random.Random,
    staff: User,
    occurrence: Occurrence,
    items: dict[str, Item],
    now: datetime.datetime,
) -> None:
    """Attendance, the anonymous feedback of some attendees, and the materials.

    Feedback is open for a while after the end only, so the event first ends a minute ago
    (as if the attendees answered right away) and then moves back to its own date.
    """
    event = occurrence.event
    length = occurrence.ends_at - occurrence.starts_at
    just_ended = now - datetime.timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(starts_at=just_ended - length, ends_at=just_ended)
    event.refresh_from_db()
    registered = list(event.registrations.filter(status=RegistrationStatus.REGISTERED))
    attended = {r.pk: rng.random() < 0.88 for r in registered}
    attendance_record(event=event, actor=staff, attended=attended)
    present = [r for r in registered if attended[r.pk]]
    for registration in rng.sample(present, min(occurrence.spec.responses, len(present))):
        feedback_submit(registration=registration, answers=_answers(rng))
    # The newest two of what was published by a week after the event.
    available = occurrence.ends_at + datetime.timedelta(days=7)
    published = [
        items[title]
        for title in occurrence.spec.materials
        if title in items and (items[title].published_at or available) <= available
    ]
    published.sort(key=lambda item: item.published_at or available, reverse=True)
    materials = published[:2]
    if materials:
        event_save(actor=staff, event=event, data={}, materials=materials)
    _move_back(occurrence)
    Event.objects.filter(pk=event.pk).update(
        updated_at=occurrence.ends_at + datetime.timedelta(days=2)
    )


def _answers(rng: random.Random) -> dict[tuple[str, str, str], tuple[int | None, str]]:
    """One feedback form: mostly satisfied, now and then less so, a comment sometimes."""

    def likert() -> int:
        return rng.choices((2, 3, 4, 5), weights=(1, 3, 8, 6))[0]

    return {
        ("event", "", "useful"): (likert(), ""),
        ("event", "", "content_quality"): (likert(), ""),
        ("event", "", "exchange"): (likert() if rng.random() < 0.9 else None, ""),
        ("event", "", "organisation"): (likert(), ""),
        ("event", "", "recommend"): (1 if rng.random() < 0.85 else 0, ""),
        ("event", "", "improvement"): (None, rng.choice(FEEDBACK_COMMENTS)),
    }


# --- Coaching trajectories --------------------------------------------------------------------


def _ensure_trajectories(staff: User, now: datetime.datetime) -> None:
    existing = set(
        Trajectory.objects.filter(title__in=[t.title for t in DEMO_TRAJECTORIES]).values_list(
            "title", flat=True
        )
    )
    names = {name for spec in DEMO_TRAJECTORIES for name in spec.cells}
    cells = {cell.name: cell for cell in Cell.objects.filter(name__in=names)}
    for spec in DEMO_TRAJECTORIES:
        chosen = [cells[name] for name in spec.cells if name in cells]
        if spec.title not in existing and chosen:
            _trajectory(staff, spec, chosen, now)


def _trajectory(
    staff: User, spec: DemoTrajectory, cells: list[Cell], now: datetime.datetime
) -> None:
    today = timezone.localdate(now)
    started_on = today - datetime.timedelta(days=spec.started_days_ago)
    ended_on = (
        today - datetime.timedelta(days=spec.ended_days_ago)
        if spec.ended_days_ago is not None
        else None
    )
    closed = spec.status == TrajectoryStatus.CLOSED
    trajectory = trajectory_create(
        coach=staff,
        title=spec.title,
        category=spec.category,
        cells=cells,
        started_on=started_on,
        ended_on=ended_on,
        actor=staff,
        status=TrajectoryStatus.ACTIVE if closed else spec.status,
    )
    last_done = started_on
    for milestone in list(trajectory.milestones.order_by("position"))[: spec.done]:
        planned = milestone.planned_on or started_on
        last_done = min(planned + datetime.timedelta(days=3), ended_on or today, today)
        milestone_update(
            milestone=milestone,
            actor=staff,
            planned_on=planned,
            done_on=last_done,
            note=MILESTONE_NOTES.get(milestone.kind, ""),
        )
    for days_ago, shared, text in spec.notes:
        note = note_add(trajectory=trajectory, author=staff, body=text, shared_with_cell=shared)
        CoachingNote.objects.filter(pk=note.pk).update(
            created_at=_at(today - datetime.timedelta(days=days_ago), datetime.time(15, 0))
        )
    if spec.document is not None:
        title, paragraphs = spec.document
        document = coaching_document_upload(
            trajectory=trajectory,
            title=title,
            upload=document_upload("pdf", title, list(paragraphs)),
            uploaded_by=staff,
            shared_with_cell=True,
        )
        CoachingDocument.objects.filter(pk=document.pk).update(
            uploaded_at=_at(started_on + datetime.timedelta(days=95), datetime.time(11, 0))
        )
    if closed:
        trajectory_status_set(trajectory=trajectory, status=TrajectoryStatus.CLOSED, actor=staff)
    created = _at(started_on, datetime.time(9, 0)) - datetime.timedelta(days=7)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        created_at=min(created, now),
        updated_at=min(_at(last_done, datetime.time(16, 0)), now),
    )
