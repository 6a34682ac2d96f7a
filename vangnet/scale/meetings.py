"""Meetings over three years and the next two months: attendance, agendas, approved minutes.

A case or mixed meeting discusses cases open on its day (new since the previous meeting,
reviews, proposed closures); every meeting has topics. Held meetings have a record of each
item and, a week later, approved minutes; planned ones have an agenda only.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.db import models

from vangnet.cells.models import Role
from vangnet.meetings.models import (
    AgendaItem,
    Attendance,
    ItemKind,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    MinutesApproval,
)
from vangnet.network.models import OrganisationStatus, Participation
from vangnet.scale import texts
from vangnet.scale.world import CasePlan, CellPlan, World, new_id, spread

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.network.models import Organisation
    from vangnet.scale.services import Scale

PLANNED_DAYS = 60
# A case meeting discusses about half of the cases open on its day, at most twelve.
AGENDA_SHARE = 0.5
AGENDA_MAXIMUM = 12
MINUTES_AFTER = datetime.timedelta(days=7)
KIND_TITLES = {
    MeetingKind.CASE: "Casusoverleg",
    MeetingKind.NETWORK: "Netwerkoverleg",
    MeetingKind.MIXED: "Casus- en netwerkoverleg",
}


class _Rows:
    def __init__(self) -> None:
        self.meetings: list[Meeting] = []
        self.invited: list[models.Model] = []
        self.attendances: list[Attendance] = []
        self.items: list[AgendaItem] = []
        self.approvals: list[MinutesApproval] = []


def meetings_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("meetings")
    rows = _Rows()
    per_cell = spread(scale.meetings, [plan.weight for plan in world.cells])
    for plan, count in zip(world.cells, per_cell, strict=True):
        _cell_meetings(world, rng, plan, count, rows)
    return {
        "meetings": world.insert(Meeting, rows.meetings),
        "invitations": world.insert(MeetingInvitation, rows.invited),
        "attendances": world.insert(Attendance, rows.attendances),
        "agenda items": world.insert(AgendaItem, rows.items),
        "minutes approvals": world.insert(MinutesApproval, rows.approvals),
    }


def _cell_meetings(
    world: World, rng: random.Random, plan: CellPlan, count: int, rows: _Rows
) -> None:
    if count == 0:
        return
    core = [
        o
        for o in plan.organisations
        if o.participation == Participation.CORE and o.status == OrganisationStatus.ACTIVE
    ]
    attendees = _attendees(plan, core)
    first = world.start_day
    span = (world.today + datetime.timedelta(days=PLANNED_DAYS) - first).days
    previous: datetime.datetime | None = None
    cases = sorted(plan.cases, key=lambda c: c.opened_at)
    for k in range(count):
        offset = (k + rng.uniform(0.2, 0.8)) * span / count
        day = first + datetime.timedelta(days=int(offset))
        starts = world.at(day, rng.choice([9.5, 14, 19]))
        kind = rng.choices(MeetingKind.values, [60, 15, 25])[0]
        meeting = Meeting(
            id=new_id(rng),
            cell_id=plan.cell.pk,
            kind=kind,
            title=f"{KIND_TITLES[MeetingKind(kind)]} {day:%d-%m-%Y}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=f"Gemeentehuis {plan.municipalities[0].name_nl}, vergaderzaal {k % 3 + 1}",
            chair=plan.leads[Role.MAYOR] if rng.random() < 0.3 else plan.coordinator,
            created_at=world.past(starts - datetime.timedelta(days=rng.randint(14, 30))),
        )
        held = meeting.ends_at < world.end
        if held:
            meeting.held_at = meeting.ends_at
        rows.meetings.append(meeting)
        plan.meetings.append((meeting.pk, meeting.created_at))
        world.event(
            meeting.created_at,
            "meetings.meeting.created",
            actor=plan.coordinator,
            cell=plan.cell.pk,
            target=meeting,
            data={"kind": kind},
        )
        rows.invited += [
            MeetingInvitation(cell_id=plan.cell.pk, meeting_id=meeting.pk, organisation=o)
            for o in core
        ]
        rows.attendances += _attendance(rng, meeting, attendees, held=held)
        on_agenda = [] if kind == MeetingKind.NETWORK else _cases_on(rng, cases, starts)
        rows.items += _items(rng, meeting, on_agenda, previous, held=held)
        if held and meeting.ends_at + MINUTES_AFTER < world.end and rng.random() < 0.95:
            rows.approvals.append(_approve(world, rng, plan, meeting))
        previous = starts


def _attendees(plan: CellPlan, core: list[Organisation]) -> list[tuple[User, Organisation | None]]:
    """The leading roles who take part in meetings, and one member for each core partner."""
    people: list[tuple[User, Organisation | None]] = [
        (plan.coordinator, None),
        (plan.leads[Role.DEPUTY_COORDINATOR], None),
        (plan.leads[Role.INFORMATION_OFFICER], plan.organisations[0]),
        (plan.leads[Role.PREVENTION_OFFICIAL], plan.organisations[1]),
    ]
    for org in core:
        member = next((user for user, o in plan.members if o.pk == org.pk), None)
        if member is not None:
            people.append((member, org))
    return people


def _attendance(
    rng: random.Random,
    meeting: Meeting,
    attendees: list[tuple[User, Organisation | None]],
    *,
    held: bool,
) -> list[Attendance]:
    rows = []
    for user, org in attendees:
        present = held and rng.random() < 0.85
        rows.append(
            Attendance(
                id=new_id(rng),
                cell_id=meeting.cell_id,
                meeting=meeting,
                user=user,
                organisation=org,
                present=present,
                secrecy_acknowledged_at=(
                    meeting.starts_at + datetime.timedelta(minutes=5) if present else None
                ),
            )
        )
    return rows


def _cases_on(
    rng: random.Random, cases: list[CasePlan], moment: datetime.datetime
) -> list[CasePlan]:
    open_then = [
        c for c in cases if c.opened_at < moment and (c.closed_at is None or c.closed_at > moment)
    ]
    wanted = min(AGENDA_MAXIMUM, max(1, round(len(open_then) * AGENDA_SHARE)))
    return rng.sample(open_then, min(len(open_then), wanted))


def _items(
    rng: random.Random,
    meeting: Meeting,
    cases: list[CasePlan],
    previous: datetime.datetime | None,
    *,
    held: bool,
) -> list[AgendaItem]:
    rows = []
    for position, case in enumerate(sorted(cases, key=lambda c: c.opened_at), start=1):
        if previous is None or case.opened_at > previous:
            kind = ItemKind.NEW_CASE
        elif case.closed_at and case.closed_at - meeting.starts_at < datetime.timedelta(days=45):
            kind = ItemKind.CLOSURE
        else:
            kind = ItemKind.REVIEW
        rows.append(
            AgendaItem(
                id=new_id(rng),
                cell_id=meeting.cell_id,
                meeting=meeting,
                position=position,
                kind=kind,
                case_id=case.id,
                summary=rng.choice(texts.CASE_SUMMARIES) if held else "",
                decisions=rng.choice(texts.DECISIONS) if held else "",
                next_review=(
                    meeting.starts_at.date() + datetime.timedelta(days=90)
                    if held and kind != ItemKind.CLOSURE
                    else None
                ),
            )
        )
    topics = rng.sample(texts.TOPICS, rng.randint(2, 4) if not cases else rng.randint(1, 2))
    for position, title in enumerate(topics, start=len(rows) + 1):
        rows.append(
            AgendaItem(
                id=new_id(rng),
                cell_id=meeting.cell_id,
                meeting=meeting,
                position=position,
                kind=ItemKind.TOPIC,
                title=title,
                summary="Besproken; zie bijlage." if held else "",
                decisions="",
            )
        )
    return rows


def _approve(world: World, rng: random.Random, plan: CellPlan, meeting: Meeting) -> MinutesApproval:
    meeting.minutes_version = 1
    approved = meeting.ends_at + MINUTES_AFTER - datetime.timedelta(hours=rng.randint(0, 48))
    world.event(
        approved,
        "meetings.minutes.approved",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        target=meeting,
    )
    return MinutesApproval(
        id=new_id(rng),
        cell_id=plan.cell.pk,
        meeting=meeting,
        version=1,
        approved_by=plan.coordinator,
        approved_at=approved,
    )
