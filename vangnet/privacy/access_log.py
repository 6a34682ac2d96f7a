"""Reviewing a cell's access log (issue 10, R-18): filters, anomaly hints, export, sign-off.

The log is the audit chain (``AuditEvent``) of the cell: who did what, when, on which object;
its data holds ids and counts only. Hints are leads for the DPO, not verdicts:
- a user who opened many different cases in the period;
- activity at night (22:00 to 06:00, Belgian time);
- activity in the cell after the user's membership ended (and with no other role left).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record
from vangnet.cases.models import Case
from vangnet.cells.models import Cell, Membership
from vangnet.privacy.models import AccessReview

MANY_CASES = 10  # different cases opened by one user in the period
NIGHT_START, NIGHT_END = 22, 6
CASE_VIEWS = ("cases.case.viewed", "cases.case.exported")


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    user_id: str = ""
    case_code: str = ""
    action: str = ""


@dataclass(frozen=True)
class Hint:
    kind: str  # "many_cases", "night", "after_membership"
    user: str  # the user's name
    text: str


def _bounds(filters: Filters) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(filters.end + datetime.timedelta(days=1), datetime.time.min)
    return start, end.replace(tzinfo=tz)


def events_for(cell: Cell, filters: Filters) -> QuerySet[AuditEvent]:
    """The cell's events in the period, filtered; newest first. An unknown case code matches
    nothing (never another cell's case: the lookup runs in the cell's scope)."""
    start, end = _bounds(filters)
    events = AuditEvent.objects.filter(cell_id=cell.pk, occurred_at__gte=start, occurred_at__lt=end)
    if filters.user_id:
        events = events.filter(actor_id=filters.user_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.case_code:
        case = Case.objects.filter(code__iexact=filters.case_code.strip()).first()
        if case is None:
            return events.none()
        events = events.filter(object_type="cases.case", object_id=str(case.pk))
    return events.order_by("-position")


def actions_in(cell: Cell) -> list[str]:
    return list(
        AuditEvent.objects.filter(cell_id=cell.pk)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def people_of(cell: Cell) -> list[tuple[str, str]]:
    """Everyone who was ever a member of the cell (ended memberships too): (id, name)."""
    rows = (
        Membership.objects.filter(cell=cell)
        .order_by("user__full_name")
        .values_list("user_id", "user__full_name")
        .distinct()
    )
    return [(str(pk), name) for pk, name in rows]


def names_for(events: list[AuditEvent]) -> dict[str, str]:
    ids = {e.actor_id for e in events if e.actor_id}
    return {
        str(pk): name for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "full_name")
    }


def case_codes_for(events: list[AuditEvent]) -> dict[str, str]:
    ids = {e.object_id for e in events if e.object_type == "cases.case"}
    return {str(pk): code for pk, code in Case.objects.filter(pk__in=ids).values_list("pk", "code")}


def hints_for(cell: Cell, filters: Filters) -> list[Hint]:
    """Anomaly hints in the period (the user, case and action filters do not apply). Three
    queries, whatever the number of events."""
    start, end = _bounds(filters)
    period = AuditEvent.objects.filter(
        cell_id=cell.pk, occurred_at__gte=start, occurred_at__lt=end
    ).exclude(actor_id="")
    opened: dict[str, set[str]] = defaultdict(set)
    night: dict[str, int] = defaultdict(int)
    last_seen: dict[str, datetime.datetime] = {}
    for actor, action, object_type, object_id, when in period.values_list(
        "actor_id", "action", "object_type", "object_id", "occurred_at"
    ).iterator():
        if action in CASE_VIEWS and object_type == "cases.case":
            opened[actor].add(object_id)
        hour = timezone.localtime(when).hour
        if hour >= NIGHT_START or hour < NIGHT_END:
            night[actor] += 1
        if actor not in last_seen or when > last_seen[actor]:
            last_seen[actor] = when
    ended: dict[str, datetime.datetime] = {}
    active: set[str] = set()
    for user_id, ended_at in Membership.objects.filter(cell=cell).values_list(
        "user_id", "ended_at"
    ):
        if ended_at is None:
            active.add(str(user_id))
        else:
            key = str(user_id)
            ended[key] = max(ended_at, ended.get(key, ended_at))
    names = dict(
        (str(pk), name)
        for pk, name in User.objects.filter(
            pk__in=set(opened) | set(night) | set(last_seen)
        ).values_list("pk", "full_name")
    )
    hints = []
    for actor, cases in sorted(opened.items()):
        if len(cases) >= MANY_CASES:
            hints.append(
                Hint(
                    "many_cases",
                    names.get(actor, ""),
                    _("opened %(n)d different cases in this period") % {"n": len(cases)},
                )
            )
    for actor, count in sorted(night.items()):
        hints.append(
            Hint(
                "night",
                names.get(actor, ""),
                _("%(n)d action(s) between 22:00 and 06:00") % {"n": count},
            )
        )
    for actor, when in sorted(last_seen.items()):
        if actor in ended and actor not in active and when > ended[actor]:
            hints.append(
                Hint(
                    "after_membership",
                    names.get(actor, ""),
                    _("active in the cell after their membership ended"),
                )
            )
    return hints


def access_review_sign_off(
    *, cell: Cell, filters: Filters, findings: str, user: User, request: Any = None
) -> AccessReview:
    """Record that ``user`` reviewed the log of the period, with the figures at that moment."""
    review = AccessReview.objects.create(
        cell=cell,
        period_start=filters.start,
        period_end=filters.end,
        reviewed_by=user,
        events=events_for(cell, Filters(filters.start, filters.end)).count(),
        hints=len(hints_for(cell, filters)),
        findings=findings.strip(),
    )
    audit_record(
        action="privacy.access_review.signed",
        actor=user,
        cell=cell,
        target=review,
        request=request,
        data={"start": filters.start.isoformat(), "end": filters.end.isoformat()},
    )
    return review
