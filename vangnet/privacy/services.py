"""The privacy office of a cell (issue 10): what its data-protection officer reviews.

The DPO (and those who run or oversee the cell) see the cell's retention status and privacy
configuration here; never case content (the DPO reads a case only when added to it as a
participant, like anyone else).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from vangnet.cases.models import Case, CaseStatus
from vangnet.cells.models import Cell, CellProfile, Framework, Membership
from vangnet.intake.models import Signal

UPCOMING_DAYS = 90  # "upcoming deletions": within the next three months


@dataclass(frozen=True)
class DeletionDay:
    day: datetime.date
    signals: int
    cases: list[str]  # case codes (pseudonymous), never names


@dataclass(frozen=True)
class LegalHold:
    code: str
    reason: str
    review: datetime.date | None
    review_overdue: bool


@dataclass(frozen=True)
class RetentionStatus:
    today: datetime.date
    horizon: datetime.date
    deletions: list[DeletionDay]  # upcoming, by day
    overdue_signals: int  # past their date: deleted by the next purge_expired run
    overdue_cases: int
    holds: list[LegalHold]
    closed_without_date: list[str]  # closed cases without a deletion date (codes)
    open_without_review: list[str]  # open cases without a review date (codes)
    open_review_overdue: int
    keep_closed_case_months: int
    keep_signal_months: int


def retention_status(cell: Cell, *, today: datetime.date | None = None) -> RetentionStatus:
    """The cell's retention at a glance; call inside the cell's scope. A fixed number of
    queries."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    signals = dict(
        Signal.objects.filter(case__isnull=True, delete_after__lte=horizon)
        .values_list("delete_after")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cases = list(
        Case.objects.filter(status=CaseStatus.CLOSED)
        .order_by("delete_after", "code")
        .only("code", "delete_after", "legal_hold", "legal_hold_reason", "legal_hold_review")
    )
    upcoming: dict[datetime.date, list[str]] = {}
    overdue_cases = 0
    for case in cases:
        if case.legal_hold or case.delete_after is None:
            continue
        if case.delete_after < today:
            overdue_cases += 1
        elif case.delete_after <= horizon:
            upcoming.setdefault(case.delete_after, []).append(case.code)
    days = sorted({d for d in signals if d >= today} | set(upcoming))
    holds = [
        LegalHold(
            code=case.code,
            reason=case.legal_hold_reason or "",
            review=case.legal_hold_review,
            review_overdue=bool(case.legal_hold_review and case.legal_hold_review < today),
        )
        for case in cases
        if case.legal_hold
    ]
    open_cases = Case.objects.filter(status=CaseStatus.OPEN).aggregate(
        overdue=Count("pk", filter=Q(review_due__lt=today))
    )
    profile = CellProfile.objects.get()
    return RetentionStatus(
        today=today,
        horizon=horizon,
        deletions=[DeletionDay(d, signals.get(d, 0), upcoming.get(d, [])) for d in days],
        overdue_signals=sum(n for d, n in signals.items() if d < today),
        overdue_cases=overdue_cases,
        holds=holds,
        closed_without_date=[c.code for c in cases if not c.legal_hold and c.delete_after is None],
        open_without_review=list(
            Case.objects.filter(status=CaseStatus.OPEN, review_due__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        ),
        open_review_overdue=open_cases["overdue"] or 0,
        keep_closed_case_months=profile.retention_closed_case_months,
        keep_signal_months=profile.retention_signal_months,
    )


@dataclass(frozen=True)
class MemberSecurity:
    name: str
    roles: list[str]
    mfa: bool


def members_security(cell: Cell) -> list[MemberSecurity]:
    """Who has access to the cell, in which role, and whether their sign-in uses a second
    factor (R-18: individual accounts only, MFA). Two queries."""
    from vangnet.accounts.models import TOTPDevice
    from vangnet.cells.models import Role

    memberships = list(
        Membership.objects.real()
        .filter(cell=cell, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "role")
    )
    confirmed = set(
        TOTPDevice.objects.filter(
            user__in=[m.user_id for m in memberships], confirmed=True
        ).values_list("user_id", flat=True)
    )
    people: dict[object, MemberSecurity] = {}
    for membership in memberships:
        entry = people.get(membership.user_id)
        label = str(Role(membership.role).label)
        if entry is None:
            people[membership.user_id] = MemberSecurity(
                membership.user.full_name, [label], membership.user_id in confirmed
            )
        else:
            entry.roles.append(label)
    return list(people.values())


def framework_status(cell: Cell) -> Framework:
    return Framework.objects.select_related("approved_by").get(cell=cell)
