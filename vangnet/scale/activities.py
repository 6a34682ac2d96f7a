"""VVSG's network activities and the cells' self-evaluations.

Events run over three years and the coming four months, with registrations (a waiting list
when full, attendance once held). Every cell has scan rounds about nine months apart: closed
ones with anonymous responses, sometimes one still open with unused links.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from vangnet.cells.models import MANAGING_ROLES, Role
from vangnet.events.models import (
    Event,
    EventAudience,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from vangnet.lib.tokens import token_hash
from vangnet.questionnaires.services import DEFAULT_SCAN, template_current
from vangnet.scale import texts
from vangnet.scale.world import CellPlan, World, new_id, spread
from vangnet.scans.models import (
    Answer,
    CoachingCategory,
    ImprovementAction,
    RespondentInvitation,
    Response,
    Round,
)

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.questionnaires.models import Template
    from vangnet.scale.services import Scale

PLANNED_EVENT_DAYS = 120
EVENT_KINDS = [k for k in EventKind.values if k != EventKind.TABLETOP_EXERCISE]
COORDINATOR_AUDIENCE_MINIMUM = 50  # smaller platforms invite everyone
ROUND_INTERVAL_DAYS = 270
ROUND_OPEN_DAYS = 21
# Besides the coordinator, a quarter of the other members answer (at least three).
ANSWERING_SHARE = 0.25
ANSWERING_MINIMUM = 3


# --- Events --------------------------------------------------------------------------------------


def events_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("events")
    everyone = [u for plan in world.cells for u in (*plan.cell_users, *plan.municipal_staff)]
    coordinators = [
        u for plan in world.cells for role, u in plan.leads.items() if role in MANAGING_ROLES
    ]
    events = [_event(world, rng, len(coordinators)) for _ in range(scale.events)]
    events.sort(key=lambda e: (e.starts_at, e.pk))
    open_events = [e for e in events if e.status != EventStatus.DRAFT]
    wanted = spread(scale.registrations, [rng.uniform(0.5, 1.5) for _ in open_events])
    registrations: list[Registration] = []
    carry = 0
    for event, count in zip(open_events, wanted, strict=True):
        pool = coordinators if event.audience == EventAudience.COORDINATORS else everyone
        take = min(len(pool), count + carry)
        carry += count - take
        registrations += _registrations(world, rng, event, rng.sample(pool, take))
    return {
        "events": world.insert(Event, events),
        "registrations": world.insert(Registration, registrations),
    }


def _event(world: World, rng: random.Random, coordinators: int) -> Event:
    last = world.today + datetime.timedelta(days=PLANNED_EVENT_DAYS)
    day = world.day_between(rng, world.start_day, last)
    starts = world.at(day, rng.choice([9.5, 13.5]))
    place = rng.choice(world.cells).municipalities[0]
    kind = rng.choice(EVENT_KINDS)
    planned = starts >= world.end
    status = EventStatus.PUBLISHED
    if rng.random() < 0.03:
        status = EventStatus.CANCELLED
    elif planned and rng.random() < 0.1:
        status = EventStatus.DRAFT
    created = world.past(starts - datetime.timedelta(days=rng.randint(30, 90)))
    author = rng.choice(world.staff)
    event = Event(
        id=new_id(rng),
        kind=kind,
        title=rng.choice(texts.EVENT_TITLES).format(p=place.province_nl, m=place.name_nl),
        description=texts.sentences(rng, texts.KNOWLEDGE_SENTENCES, 2),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=rng.choice([2, 3, 7])),
        location=f"Vergadercentrum {place.name_nl}",
        capacity=rng.choice([None, 20, 30, 40, 60, 120]),
        audience=(
            EventAudience.COORDINATORS
            if coordinators >= COORDINATOR_AUDIENCE_MINIMUM and rng.random() < 0.2
            else EventAudience.LOCAL_GOVERNMENT
        ),
        status=status,
        created_by=author,
        created_at=created,
        updated_at=created,
    )
    world.event(
        created,
        "events.event.created",
        actor=author,
        target=event,
        data={"kind": kind, "status": status, "promoted": 0},
    )
    return event


def _registrations(
    world: World, rng: random.Random, event: Event, people: list[User]
) -> list[Registration]:
    rows = []
    held = event.ends_at < world.end
    registered = 0
    for user in people:
        at = world.past(
            event.created_at + (event.starts_at - event.created_at) * rng.uniform(0.05, 0.9)
        )
        full = event.capacity is not None and registered >= event.capacity
        status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
        registered += status == RegistrationStatus.REGISTERED
        cancelled = rng.random() < 0.05
        attended = None
        if held and not cancelled and status == RegistrationStatus.REGISTERED:
            attended = rng.random() < 0.85
        rows.append(
            Registration(
                id=new_id(rng),
                event=event,
                user=user,
                status=RegistrationStatus.CANCELLED if cancelled else status,
                created_at=at,
                cancelled_at=world.past(at + datetime.timedelta(days=2)) if cancelled else None,
                attended=attended,
                feedback_given=bool(attended) and rng.random() < 0.3,
            )
        )
        world.event(
            at,
            "events.registration.created",
            actor=user,
            target=rows[-1],
            data={"event": str(event.pk), "status": status},
        )
    return rows


# --- Scans ---------------------------------------------------------------------------------------


class _ScanRows:
    def __init__(self) -> None:
        self.rounds: list[Round] = []
        self.invitations: list[RespondentInvitation] = []
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        self.improvements: list[ImprovementAction] = []


def scans_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("scans")
    template = template_current(DEFAULT_SCAN)
    rows = _ScanRows()
    per_cell = spread(scale.scan_rounds, [1.0] * len(world.cells))
    for plan, count in zip(world.cells, per_cell, strict=True):
        for index in range(count):
            _round(world, rng, plan, template, rows, index=index, age=count - index)
    return {
        "scan rounds": world.insert(Round, rows.rounds),
        "scan links": world.insert(RespondentInvitation, rows.invitations),
        "scan responses": world.insert(Response, rows.responses),
        "scan answers": world.insert(Answer, rows.answers),
        "improvement actions": world.insert(ImprovementAction, rows.improvements),
    }


def _round(
    world: World,
    rng: random.Random,
    plan: CellPlan,
    template: Template,
    rows: _ScanRows,
    *,
    index: int,
    age: int,
) -> None:
    latest = age == 1
    # Every cell has a closed round; a later one may still be open.
    still_open = latest and index > 0 and rng.random() < 0.3
    invitees = [(u, role) for role, u in plan.leads.items()] + [
        (u, Role.MEMBER) for u, _o in plan.members
    ]
    scan_round = _round_new(world, rng, plan, template, invitees, age=age, still_open=still_open)
    rows.rounds.append(scan_round)
    modules = [
        m
        for m in template.definition["modules"]
        if m["condition"] != "case_management" or scan_round.does_case_management
    ]
    others = [i for i in invitees if i[1] != Role.COORDINATOR]
    respondents = max(ANSWERING_MINIMUM, round(len(others) * ANSWERING_SHARE))
    answering = [
        (plan.coordinator, Role.COORDINATOR),
        *rng.sample(others, min(len(others), respondents)),
    ]
    if still_open:
        answering = answering[:2]
    for _user, role in answering:
        _response(rng, scan_round, modules, role, rows)
    if scan_round.closed_at is None:
        rows.invitations += [
            _link(rng, scan_round, role) for u, role in invitees if (u, role) not in answering
        ]
        return
    world.event(
        scan_round.closed_at,
        "scans.round.closed",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        target=scan_round,
        data={"responses": len(answering)},
    )
    if latest:
        scan_round.shared_with_vvsg = rng.random() < 0.4
        rows.improvements += _improvements(world, rng, scan_round, modules)


def _round_new(
    world: World,
    rng: random.Random,
    plan: CellPlan,
    template: Template,
    invitees: list[tuple[User, str]],
    *,
    age: int,
    still_open: bool,
) -> Round:
    """A round about nine months after the previous one; the latest may still be open."""
    if still_open:
        opened_on = world.today - datetime.timedelta(days=rng.randint(1, ROUND_OPEN_DAYS - 1))
    else:
        closed_on = world.today - datetime.timedelta(
            days=(age - 1) * ROUND_INTERVAL_DAYS + rng.randint(5, 60)
        )
        opened_on = closed_on - datetime.timedelta(days=ROUND_OPEN_DAYS)
    closed_on = opened_on + datetime.timedelta(days=ROUND_OPEN_DAYS)
    scan_round = Round(
        id=new_id(rng),
        cell_id=plan.cell.pk,
        template=template,
        title=f"Zelfevaluatie {opened_on.year}",
        does_case_management=rng.random() < 0.9,
        opened_at=world.at(opened_on, 10),
        opened_by=plan.coordinator,
        closed_at=None if still_open else world.at(closed_on, 17),
        invited_user_ids=sorted(str(u.pk) for u, _role in invitees),
    )
    world.event(
        scan_round.opened_at,
        "scans.round.opened",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        target=scan_round,
    )
    return scan_round


def _group(role: str) -> tuple[str, bool]:
    """What a link and a response keep of the respondent: the group, never the role."""
    coordinating = role in MANAGING_ROLES
    return ("coordinator" if coordinating else "partner"), coordinating


def _link(rng: random.Random, scan_round: Round, role: str) -> RespondentInvitation:
    group, coordinating = _group(role)
    return RespondentInvitation(
        id=new_id(rng),
        cell_id=scan_round.cell_id,
        round=scan_round,
        token_hash=token_hash(new_id(rng).hex),  # a link nobody holds
        role=group,
        sector="",
        is_coordinator=coordinating,
    )


def _response(
    rng: random.Random,
    scan_round: Round,
    modules: list[dict[str, Any]],
    role: str,
    rows: _ScanRows,
) -> None:
    group, coordinating = _group(role)
    response = Response(
        id=new_id(rng),
        cell_id=scan_round.cell_id,
        round=scan_round,
        role=group,
        sector="",
        is_coordinator=coordinating,
    )
    rows.responses.append(response)
    mood = rng.gauss(3.6 if coordinating else 3.3, 0.4)
    for module in modules:
        for situation in module["situations"] or [""]:
            for indicator in module["indicators"]:
                value, text = _answer(rng, indicator, mood)
                if value is None and text is None and indicator["kind"] == "text":
                    continue
                rows.answers.append(
                    Answer(
                        id=new_id(rng),
                        cell_id=scan_round.cell_id,
                        response=response,
                        module=module["key"],
                        situation=situation,
                        indicator=indicator["key"],
                        value=value,
                        text=text,
                    )
                )


def _answer(
    rng: random.Random, indicator: dict[str, Any], mood: float
) -> tuple[int | None, str | None]:
    if indicator["kind"] == "text":
        return None, (rng.choice(texts.SCAN_NOTES) if rng.random() < 0.15 else None)
    if indicator["allow_na"] and rng.random() < 0.04:
        return None, None  # not applicable
    if indicator["kind"] == "likert":
        value = min(5, max(1, round(mood + rng.gauss(0, 0.6))))
        return (6 - value if indicator["reverse"] else value), None
    return int(rng.random() < (mood - 1) / 4), None  # yes/no


def _improvements(
    world: World, rng: random.Random, scan_round: Round, modules: list[dict[str, Any]]
) -> list[ImprovementAction]:
    assert scan_round.closed_at is not None
    return [
        ImprovementAction(
            id=new_id(rng),
            cell_id=scan_round.cell_id,
            round=scan_round,
            module=module["key"],
            description=f"Werkpunt: {rng.choice(texts.SCAN_NOTES).lower()}",
            owner="Coördinator",
            due_date=world.today + datetime.timedelta(days=rng.randint(30, 180)),
            category=rng.choice(CoachingCategory.values),
            done=rng.random() < 0.2,
            created_at=world.past(scan_round.closed_at + datetime.timedelta(days=2)),
        )
        for module in rng.sample(modules, min(len(modules), rng.randint(2, 3)))
    ]
