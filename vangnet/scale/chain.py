"""The audit log: the events of everything generated, plus daily use, as one valid hash chain.

The stages before this one left an event for each thing they made (a signal submitted, a case
opened, an action added, ...). This stage adds what people do every day — sign in, open cases,
signals and agendas, read member and partner lists, work the helpdesk queue — on real ids, by
members of the cell (VVSG staff for the support desk), more on weekdays and in busier cells,
until the scale's number of events is reached. Then everything is chained in time order from
the current head of the chain (under the chain's lock), exactly as ``audit_record`` would:
``audit_verify`` accepts the result.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import itertools
import json
import random
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import connection

from vangnet.audit.models import GENESIS_HASH, AuditEvent
from vangnet.audit.services import AUDIT_CHAIN_LOCK_KEY, compute_hash
from vangnet.cells.models import Role
from vangnet.scale.world import CasePlan, CellPlan, Event, World, new_id, rows_insert, spread

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.scale.services import Scale

CHUNK = 5000
REPORT_EVERY = 200_000
CASE_READERS = (Role.COORDINATOR, Role.DEPUTY_COORDINATOR, Role.MAYOR, Role.INFORMATION_OFFICER)
WEEKEND_SHARE = 0.15
RETRIES = 5
T = TypeVar("T")


def audit_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("audit")
    owed = sorted(world.events, key=lambda e: e.at)
    world.events = []
    daily = _Daily(world, rng)
    stream = heapq.merge(
        owed, daily.events(max(0, scale.audit_events - len(owed))), key=lambda e: e.at
    )
    return {"audit events": _chain(world, rng, stream)}


def _chain(world: World, rng: random.Random, stream: Iterator[Event]) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK_KEY])
    head = AuditEvent.objects.order_by("-position").values("position", "hash").first()
    position = head["position"] if head else 0
    previous = head["hash"] if head else GENESIS_HASH
    written = 0
    for chunk in _batched(stream):
        rows = []
        for event in chunk:
            position += 1
            row = AuditEvent(
                position=position,
                occurred_at=event.at.astimezone(datetime.UTC),
                actor_id=event.actor,
                actor_role="",
                cell_id=event.cell,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                request_id=new_id(rng).hex,
                # Exactly what the database gives back (enum members become plain strings).
                data=json.loads(json.dumps(event.data)) if event.data else {},
                prev_hash=previous,
            )
            row.hash = previous = compute_hash(row)
            rows.append(row)
        rows_insert(AuditEvent, rows)
        before, written = written, written + len(rows)
        if before // REPORT_EVERY != written // REPORT_EVERY:
            world.say(f"           audit: {written:,} events chained")
    return written


def _batched(stream: Iterator[Event]) -> Iterator[tuple[Event, ...]]:
    # itertools.batched arrives with Python 3.12.
    while chunk := tuple(itertools.islice(stream, CHUNK)):
        yield chunk


class _Timeline(Generic[T]):
    """Things in the order they came into existence."""

    def __init__(self, dated: list[tuple[T, datetime.datetime]]) -> None:
        ordered = sorted(dated, key=lambda pair: pair[1])
        self.items = [item for item, _at in ordered]
        self.times = [at for _item, at in ordered]


class _Daily:
    """Everyday use: who looks at what, when."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.cells = [plan for plan in world.cells if plan.cases or plan.meetings]
        self.cum_weights = list(itertools.accumulate(plan.weight for plan in self.cells))
        self.readers = {
            plan.number: [u for role, u in plan.leads.items() if role in CASE_READERS]
            for plan in self.cells
        }
        self.users = {plan.number: plan.cell_users for plan in self.cells}
        self.cases = {
            plan.number: _Timeline([(c, c.opened_at) for c in plan.cases]) for plan in self.cells
        }
        self.signals = {plan.number: _Timeline(plan.signals) for plan in self.cells}
        self.meetings = {plan.number: _Timeline(plan.meetings) for plan in self.cells}
        self.questions = _Timeline(world.questions)
        self.by_organisation: dict[object, list[User]] = {}
        for plan in self.cells:
            for user, org in plan.members:
                self.by_organisation.setdefault(org.pk, []).append(user)
        self.kinds: list[tuple[Callable[[CellPlan, datetime.datetime], Event | None], int]] = [
            (self.login, 18),
            (self.case_viewed, 30),
            (self.signal_viewed, 12),
            (self.agenda_viewed, 12),
            (self.members_viewed, 8),
            (self.partners_viewed, 8),
            (self.question_viewed, 6),
            (self.queue_viewed, 4),
            (self.dashboard_viewed, 2),
        ]

    def events(self, total: int) -> Iterator[Event]:
        world, rng = self.world, self.rng
        days = [
            world.start_day + datetime.timedelta(days=n)
            for n in range((world.today - world.start_day).days)
        ]
        per_day = spread(total, [1.0 if d.weekday() < 5 else WEEKEND_SHARE for d in days])
        makers = [maker for maker, _weight in self.kinds]
        weights = list(itertools.accumulate(weight for _maker, weight in self.kinds))
        for day, count in zip(days, per_day, strict=True):
            midnight = world.at(day, 0)
            for hours in sorted(rng.uniform(7.5, 19.5) for _ in range(count)):
                at = midnight + datetime.timedelta(hours=hours)
                plan = rng.choices(self.cells, cum_weights=self.cum_weights)[0]
                yield self._one(plan, at, makers, weights)

    def _one(
        self,
        plan: CellPlan,
        at: datetime.datetime,
        makers: list[Callable[[CellPlan, datetime.datetime], Event | None]],
        weights: list[int],
    ) -> Event:
        # Early on a cell has no cases or signals yet: then people do something else.
        for _ in range(RETRIES):
            event = self.rng.choices(makers, cum_weights=weights)[0](plan, at)
            if event is not None:
                return event
        return self.login(plan, at)

    # Each maker returns an event, or None when the cell has nothing of that kind yet then.

    def _pick(self, timeline: _Timeline[T], at: datetime.datetime) -> T | None:
        """Any of the things that existed at ``at`` (None if there were none yet)."""
        existing = bisect.bisect_left(timeline.times, at)
        return timeline.items[self.rng.randrange(existing)] if existing else None

    def login(self, plan: CellPlan, at: datetime.datetime) -> Event:
        user = self.rng.choice(self.users[plan.number])
        return Event(at, "accounts.login.succeeded", str(user.pk), None, "", "", {"factor": "totp"})

    def case_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        case = self._pick(self.cases[plan.number], at)
        if case is None:
            return None
        user = self._case_reader(plan, case)
        return Event(
            at, "cases.case.viewed", str(user.pk), plan.cell.pk, "cases.case", str(case.id), None
        )

    def _case_reader(self, plan: CellPlan, case: CasePlan) -> User:
        if self.rng.random() < 0.25:
            partners = [
                u for org_id in case.organisation_ids for u in self.by_organisation.get(org_id, [])
            ]
            if partners:
                return self.rng.choice(partners)
        return self.rng.choice(self.readers[plan.number])

    def signal_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        signal_id = self._pick(self.signals[plan.number], at)
        if signal_id is None:
            return None
        user = self.rng.choice(self.readers[plan.number])
        return Event(
            at,
            "intake.signal.viewed",
            str(user.pk),
            plan.cell.pk,
            "intake.signal",
            str(signal_id),
            None,
        )

    def agenda_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        meeting_id = self._pick(self.meetings[plan.number], at)
        if meeting_id is None:
            return None
        user = self.rng.choice(self.users[plan.number])
        return Event(
            at,
            "meetings.agenda.viewed",
            str(user.pk),
            plan.cell.pk,
            "meetings.meeting",
            str(meeting_id),
            None,
        )

    def members_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event:
        user = self.rng.choice(self.users[plan.number])
        cell = plan.cell
        return Event(
            at, "cells.members.viewed", str(user.pk), cell.pk, "cells.cell", str(cell.pk), None
        )

    def partners_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event:
        user = self.rng.choice(self.users[plan.number])
        return Event(at, "network.partners.viewed", str(user.pk), plan.cell.pk, "", "", None)

    def question_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        question_id = self._pick(self.questions, at)
        if question_id is None or not self.world.staff:
            return None
        staff = self.rng.choice(self.world.staff)
        return Event(
            at,
            "helpdesk.question.viewed",
            str(staff.pk),
            None,
            "helpdesk.question",
            str(question_id),
            None,
        )

    def queue_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        if not self.world.staff:
            return None
        staff = self.rng.choice(self.world.staff)
        data = {"questions": self.rng.randint(10, 60)}
        return Event(at, "helpdesk.queue.viewed", str(staff.pk), None, "", "", data)

    def dashboard_viewed(self, plan: CellPlan, at: datetime.datetime) -> Event | None:
        if not self.world.staff:
            return None
        staff = self.rng.choice(self.world.staff)
        data = {"year": at.year, "province": ""}
        return Event(at, "insights.dashboard.viewed", str(staff.pk), None, "", "", data)
