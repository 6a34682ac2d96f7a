"""Signals, cases with their participants and factors, and the cases' actions.

Shaped like real use under the retention rules: a signal that became a case stays with it; a
signal that did not is at most six months old (older ones would have been purged); a closed
case is younger than its 24 months of keeping, or under a legal hold. Busier cells (see
``CellPlan.weight``) get more of everything.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vangnet.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseCounter,
    CaseStatus,
    ClosureReason,
    Dimension,
    Factor,
    FactorKind,
    Participant,
    PersonInformed,
)
from vangnet.cells.models import Role
from vangnet.intake.models import AgeBand, Category, Outcome, Signal, Urgency, YesNoUnknown
from vangnet.lib.blindindex import identity_index
from vangnet.lib.dates import add_months
from vangnet.network.models import SOCIO_PREVENTIVE_SECTORS, Organisation, OrganisationStatus
from vangnet.scale import texts
from vangnet.scale.world import CasePlan, CellPlan, World, new_id, spread

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.models import Municipality
    from vangnet.scale.services import Scale

CASE_MONTHS = 30  # cases are opened over the last 30 months
LOOSE_SIGNAL_DAYS = 180  # a signal without a case is kept six months after screening
SECOND_SIGNAL_SHARE = 0.2
RETENTION_SIGNAL_MONTHS = 6
RETENTION_CASE_MONTHS = 24
# (age band, youngest, oldest, weight): mostly young people, as in the field.
AGES = (
    (AgeBand.UNDER_12, 10, 11, 3),
    (AgeBand.AGE_12_17, 12, 17, 40),
    (AgeBand.AGE_18_25, 18, 25, 35),
    (AgeBand.AGE_26_40, 26, 40, 17),
    (AgeBand.OVER_40, 41, 65, 5),
)
PARTICIPANT_REASONS = (
    "Casemanager",
    "Begeleidt de jongere op school",
    "Volgt het gezin op",
    "Biedt psychologische ondersteuning",
    "Informatief betrokken",
)
FACTORS = [(d, k) for d in Dimension.values for k in FactorKind.values]


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: datetime.date
    band: str
    address: str
    municipality: Municipality

    def is_minor(self, on: datetime.date) -> bool:
        return (on - self.birth_date).days < 18 * 365.25


@dataclass
class Batch:
    """Rows of the casework stage, inserted together at the end."""

    signals: list[Signal]
    cases: list[Case]
    participants: list[Participant]
    factors: list[Factor]
    counters: list[CaseCounter]


def casework_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("casework")
    weights = [plan.weight for plan in world.cells]
    batch = Batch([], [], [], [], [])
    for plan, cases, signals in zip(
        world.cells, spread(scale.cases, weights), spread(scale.signals, weights), strict=True
    ):
        _cell_casework(world, rng, plan, batch, cases=cases, signals=signals)
    return {
        "cases": world.insert(Case, batch.cases),
        "case counters": world.insert(CaseCounter, batch.counters),
        "signals": world.insert(Signal, batch.signals),
        "participants": world.insert(Participant, batch.participants),
        "factors": world.insert(Factor, batch.factors),
    }


def _cell_casework(
    world: World, rng: random.Random, plan: CellPlan, batch: Batch, *, cases: int, signals: int
) -> None:
    reporters = _Reporters(rng, plan)
    cell_signals: list[Signal] = []
    linked = min(cases, signals)
    seconds = min(round(cases * SECOND_SIGNAL_SHARE), signals - linked)
    first_day = world.today - datetime.timedelta(days=round(CASE_MONTHS * 30.4))
    made = []
    for index in range(cases):
        person = _person(world, rng, plan)
        case = _case(world, rng, plan, person, world.day_between(rng, first_day, _yesterday(world)))
        made.append(case)
        own = [_case_signal(world, rng, plan, reporters, case, person)] if index < linked else []
        if index < seconds:
            own.append(_case_signal(world, rng, plan, reporters, case, person))
        cell_signals += own
        world.event(
            case.opened_at,
            "cases.case.opened",
            actor=case.opened_by,
            cell=plan.cell.pk,
            target=case,
            data={"signals": len(own)},
        )
        participants = _participants(world, rng, plan, case)
        batch.participants += participants
        batch.factors += _factors(rng, case)
        plan.cases.append(
            CasePlan(
                case.pk,
                case.opened_at,
                case.closed_at,
                list(dict.fromkeys(p.organisation_id for p in participants if p.organisation_id)),
            )
        )
    batch.counters += _codes(plan, made)
    batch.cases += made
    for _ in range(signals - linked - seconds):
        cell_signals.append(_loose_signal(world, rng, plan, reporters))
    batch.signals += cell_signals
    plan.signals = [(s.pk, s.created_at) for s in cell_signals]


def _yesterday(world: World) -> datetime.date:
    return world.today - datetime.timedelta(days=1)


def _person(world: World, rng: random.Random, plan: CellPlan) -> Person:
    band, youngest, oldest, _w = rng.choices(AGES, [a[3] for a in AGES])[0]
    age_days = rng.randint(youngest * 365, oldest * 365 + 364)
    municipality = rng.choice(plan.municipalities)
    return Person(
        name=texts.full_name(rng),
        birth_date=world.today - datetime.timedelta(days=age_days),
        band=band,
        address=texts.address(rng, municipality.name_nl),
        municipality=municipality,
    )


class _Reporters:
    """Who reports signals: the partners' members, the information officer for the police,
    the prevention official for the prevention service. The CAW (the partner persona's
    organisation) reports more than most."""

    def __init__(self, rng: random.Random, plan: CellPlan) -> None:
        self.rng = rng
        self.plan = plan
        self.active = [o for o in plan.organisations if o.status == OrganisationStatus.ACTIVE]
        self.by_organisation: dict[object, list[User]] = {}
        for user, org in plan.members:
            self.by_organisation.setdefault(org.pk, []).append(user)
        self.fallback = {
            plan.organisations[0].pk: plan.leads[Role.INFORMATION_OFFICER],
            plan.organisations[1].pk: plan.leads[Role.PREVENTION_OFFICIAL],
        }

    def pick(self) -> tuple[Organisation, User]:
        org = (
            self.plan.organisations[2] if self.rng.random() < 0.15 else self.rng.choice(self.active)
        )
        people = self.by_organisation.get(org.pk)
        if people:
            return org, self.rng.choice(people)
        return org, self.fallback.get(org.pk, self.plan.coordinator)


def _signal(
    world: World,
    rng: random.Random,
    plan: CellPlan,
    reporters: _Reporters,
    person: Person,
    received: datetime.date,
) -> Signal:
    org, reporter = reporters.pick()
    signal = Signal(
        id=new_id(rng),
        cell_id=plan.cell.pk,
        submitted_by=reporter,
        origin_organisation=org,
        origin_sector=org.sector,
        received_on=received,
        category=rng.choice(Category.values),
        urgency=rng.choices(Urgency.values, [80, 15, 5])[0],
        description=texts.signal_description(rng),
        professional_secret=rng.random() < 0.05,
        person_name=person.name,
        person_birth_date=person.birth_date.isoformat(),
        person_age_band=person.band,
        person_municipality=person.municipality if rng.random() < 0.8 else None,
        is_minor=person.is_minor(received),
        created_at=world.office_moment(rng, received),
        known_to_police=rng.choice(["", *YesNoUnknown.values]),
    )
    world.event(
        signal.created_at,
        "intake.signal.submitted",
        actor=reporter,
        cell=plan.cell.pk,
        target=signal,
        data={"urgency": signal.urgency, "category": signal.category},
    )
    return signal


def _screen(
    world: World,
    plan: CellPlan,
    signal: Signal,
    *,
    at: datetime.datetime,
    outcome: str,
    reason: str,
    redirected_to: str = "",
) -> None:
    signal.screened_at = at
    signal.screened_by = plan.coordinator
    signal.outcome = outcome
    signal.outcome_reason = reason
    signal.redirected_to = redirected_to
    world.event(
        at,
        "intake.signal.screened",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        target=signal,
        data={"outcome": outcome},
    )


def _case_signal(
    world: World,
    rng: random.Random,
    plan: CellPlan,
    reporters: _Reporters,
    case: Case,
    person: Person,
) -> Signal:
    received = case.opened_at.date() - datetime.timedelta(days=rng.randint(2, 30))
    signal = _signal(world, rng, plan, reporters, person, received)
    _screen(
        world,
        plan,
        signal,
        at=case.opened_at - datetime.timedelta(hours=rng.uniform(0.5, 3)),
        outcome=Outcome.CASE,
        reason=texts.SCREENING_REASONS[Outcome.CASE],
    )
    signal.case = case
    return signal


def _loose_signal(
    world: World, rng: random.Random, plan: CellPlan, reporters: _Reporters
) -> Signal:
    first = world.today - datetime.timedelta(days=LOOSE_SIGNAL_DAYS)
    received = world.day_between(rng, first, _yesterday(world))
    signal = _signal(world, rng, plan, reporters, _person(world, rng, plan), received)
    signal.delete_after = add_months(received, RETENTION_SIGNAL_MONTHS)
    if rng.random() < 0.92:
        screened = world.past(signal.created_at + datetime.timedelta(days=rng.uniform(0.1, 10)))
        outcome = rng.choices(
            [Outcome.REDIRECTED, Outcome.INFORMATION, Outcome.URGENT_POLICE], [45, 45, 10]
        )[0]
        _screen(
            world,
            plan,
            signal,
            at=screened,
            outcome=outcome,
            reason=texts.SCREENING_REASONS[outcome],
            redirected_to=rng.choice(texts.REDIRECTIONS) if outcome == Outcome.REDIRECTED else "",
        )
        signal.delete_after = add_months(screened.date(), RETENTION_SIGNAL_MONTHS)
    return signal


def _case(
    world: World, rng: random.Random, plan: CellPlan, person: Person, opened_on: datetime.date
) -> Case:
    birth = person.birth_date.isoformat()
    informed = rng.choices(PersonInformed.values, [40, 20, 10, 30])[0]
    case = Case(
        id=new_id(rng),
        cell_id=plan.cell.pk,
        person_name=person.name,
        person_birth_date=birth,
        person_address=person.address,
        identity_index=identity_index(cell_id=plan.cell.pk, name=person.name, birth_date=birth),
        is_minor=person.is_minor(opened_on),
        summary=rng.choice(texts.CASE_SUMMARIES),
        person_informed=informed,
        person_informed_reason=(
            "Informeren zou de begeleiding in gevaar brengen."
            if informed == PersonInformed.NO
            else None
        ),
        person_informed_deferred_until=(
            world.today + datetime.timedelta(days=rng.randint(10, 90))
            if informed == PersonInformed.DEFERRED
            else None
        ),
        opened_at=world.office_moment(rng, opened_on),
        opened_by=plan.leads[rng.choice([Role.COORDINATOR, Role.DEPUTY_COORDINATOR])],
    )
    elapsed = (world.today - opened_on).days
    if rng.random() < min(0.85, elapsed / 400):
        _close(world, rng, plan, case, elapsed)
    else:
        case.review_due = world.today + datetime.timedelta(days=rng.randint(-20, 80))
    return case


def _close(world: World, rng: random.Random, plan: CellPlan, case: Case, elapsed: int) -> None:
    days_open = rng.randint(min(60, elapsed - 1), max(min(60, elapsed - 1), min(elapsed - 1, 540)))
    closed_on = case.opened_at.date() + datetime.timedelta(days=days_open)
    # A case closed longer ago than its keeping period would have been purged.
    closed_on = max(closed_on, world.today - datetime.timedelta(days=700))
    case.status = CaseStatus.CLOSED
    case.closed_at = world.office_moment(rng, closed_on)
    case.closure_reason = rng.choice(ClosureReason.values)
    case.closure_outcome = "Zorg is verzekerd via het reguliere aanbod."
    case.delete_after = add_months(closed_on, RETENTION_CASE_MONTHS)
    if rng.random() < 0.01:
        case.legal_hold = True
        case.legal_hold_reason = "Lopend gerechtelijk onderzoek."
        case.legal_hold_review = world.today + datetime.timedelta(days=rng.randint(30, 180))
    world.event(
        case.closed_at,
        "cases.case.closed",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        target=case,
        data={"reason": case.closure_reason},
    )


def _codes(plan: CellPlan, cases: list[Case]) -> list[CaseCounter]:
    """Codes LIV-<year>-<nnn> in order of opening, and the counters that issued them."""
    numbers: Counter[int] = Counter()
    for case in sorted(cases, key=lambda c: (c.opened_at, c.pk)):
        year = case.opened_at.year
        numbers[year] += 1
        case.code = f"LIV-{year}-{numbers[year]:03d}"
    return [CaseCounter(cell_id=plan.cell.pk, year=y, last=n) for y, n in sorted(numbers.items())]


def _participants(
    world: World, rng: random.Random, plan: CellPlan, case: Case
) -> list[Participant]:
    """A case manager's organisation, one or two more partners, sometimes a named person;
    the partner persona's CAW takes part in about a third of the cases."""
    active = [o for o in plan.organisations[2:] if o.status == OrganisationStatus.ACTIVE]
    care = [o for o in active if o.sector in SOCIO_PREVENTIVE_SECTORS] or active
    chosen = [rng.choice(care)]
    others = [o for o in active if o not in chosen]
    chosen += rng.sample(others, min(len(others), rng.randint(1, 2)))
    caw = plan.organisations[2]
    if caw not in chosen and rng.random() < 0.25:
        chosen.append(caw)
    added = case.opened_at + datetime.timedelta(minutes=rng.randint(5, 120))
    rows = [
        Participant(
            id=new_id(rng),
            cell_id=plan.cell.pk,
            case=case,
            organisation=org,
            reason=PARTICIPANT_REASONS[0] if index == 0 else rng.choice(PARTICIPANT_REASONS[1:]),
            is_case_manager=index == 0,
            added_at=added,
            removed_at=(
                world.past(added + datetime.timedelta(days=rng.randint(30, 200)))
                if index > 0 and rng.random() < 0.05
                else None
            ),
        )
        for index, org in enumerate(chosen)
    ]
    if plan.members and rng.random() < 0.2:
        user, _org = rng.choice(plan.members)
        rows.append(
            Participant(
                id=new_id(rng),
                cell_id=plan.cell.pk,
                case=case,
                user=user,
                reason="Vertrouwenspersoon van de jongere",
                added_at=added,
            )
        )
    return rows


def _factors(rng: random.Random, case: Case) -> list[Factor]:
    return [
        Factor(
            id=new_id(rng),
            cell_id=case.cell_id,
            case=case,
            dimension=dimension,
            kind=kind,
            note=rng.choice(texts.FACTOR_NOTES) if rng.random() < 0.5 else "",
        )
        for dimension, kind in rng.sample(FACTORS, rng.randint(2, 5))
    ]


# --- Actions -------------------------------------------------------------------------------------


def actions_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("actions")
    per_cell = spread(scale.actions, [plan.weight for plan in world.cells])
    actions: list[Action] = []
    for plan, count in zip(world.cells, per_cell, strict=True):
        if not plan.cases:
            continue
        extra = Counter(rng.choices(range(len(plan.cases)), k=max(0, count - len(plan.cases))))
        for index, case in enumerate(plan.cases):
            for _ in range((1 if index < count else 0) + extra[index]):
                actions.append(_action(world, rng, plan, case))
    return {"actions": world.insert(Action, actions)}


def _action(world: World, rng: random.Random, plan: CellPlan, case: CasePlan) -> Action:
    opened = case.opened_at
    due = opened.date() + datetime.timedelta(days=rng.randint(14, 150))
    created = world.past(opened + datetime.timedelta(days=rng.uniform(0, 45)))
    yesterday = _yesterday(world)
    status: str
    if case.closed_at is not None:
        status = ActionStatus.DONE if rng.random() < 0.9 else ActionStatus.CANCELLED
    elif due <= yesterday:
        status = rng.choices(ActionStatus.values, [40, 55, 5])[0]  # open: overdue
    else:
        status = rng.choices(ActionStatus.values, [85, 15, 0])[0]
    completed = None
    if status == ActionStatus.DONE:
        last = min(due, yesterday, case.closed_at.date() if case.closed_at else yesterday)
        completed = world.office_moment(rng, world.day_between(rng, created.date(), last))
    action = Action(
        id=new_id(rng),
        cell_id=plan.cell.pk,
        case_id=case.id,
        owner_id=rng.choice(case.organisation_ids),
        description=rng.choice(texts.ACTIONS),
        professional_secret=rng.random() < 0.05,
        due_date=due,
        status=status,
        created_at=created,
        completed_at=max(completed, created) if completed else None,
    )
    world.event(
        created,
        "cases.action.added",
        actor=plan.coordinator,
        cell=plan.cell.pk,
        object_type="cases.case",
        object_id=str(case.id),
        data={"action": str(action.pk)},
    )
    return action
