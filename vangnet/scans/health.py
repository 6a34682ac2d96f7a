"""Cell health: indicators a cell's own data can tell about its functioning.

Aggregates only: counts, shares, medians and dates. No names, case codes or free text ever leave
this module, so the result may be shown next to a scan's answers or discussed in coaching.

The period is the 12 calendar months ending with `today`'s month, so that the monthly trend adds
up to the signal count. Call `cell_health` inside ``scope(cell=cell.pk)``.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from vangnet.cases.models import Case, CaseStatus
from vangnet.cases.reminders import overdue_counts
from vangnet.cells.models import Cell, CellProfile, Membership, Role
from vangnet.intake.models import Signal, TrendSignal
from vangnet.lib.dates import add_months
from vangnet.meetings.models import Meeting, MeetingKind
from vangnet.meetings.services import rhythm
from vangnet.network.models import Sector
from vangnet.network.services import coverage_for_cell

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = Literal["ok", "warning", "unknown"]
OK: Status = "ok"
WARNING: Status = "warning"
UNKNOWN: Status = "unknown"

PERIOD_MONTHS = 12
UNKNOWN_SECTOR = "unknown"
# A share of police signals from which the cell is warned (inclusive), in percent.
POLICE_SHARE_WARNING = 80
# A median wait for a screening decision above this many days is flagged.
SCREENING_DAYS_WARNING = 30
# A scan is due again after this many months.
SCAN_INTERVAL_MONTHS = 12


# --- Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorCount:
    sector: str  # a `Sector` value, or "unknown" for signals without an origin sector
    label: str
    count: int


@dataclass(frozen=True)
class SignalSources:
    total: int
    by_sector: tuple[SectorCount, ...]  # most signals first; sectors without signals left out
    police: int
    police_share: float | None  # 0..1 of all signals; None without signals
    police_warning: bool
    trend: tuple[tuple[str, int], ...]  # ("YYYY-MM", count) for 12 months, oldest first
    trend_signals: int  # trend signals (without a person), counted apart

    @property
    def police_percent(self) -> int | None:
        return None if self.police_share is None else round(self.police_share * 100)


@dataclass(frozen=True)
class MeetingKindCount:
    kind: str  # a `MeetingKind` value
    label: str
    count: int  # meetings of this kind in the period
    months_since_last: int | None  # calendar months since the last one; None = never


@dataclass(frozen=True)
class MeetingRhythm:
    total: int
    by_kind: tuple[MeetingKindCount, ...]  # in `MeetingKind` order
    has_open_cases: bool


@dataclass(frozen=True)
class CaseFollowUp:
    open_cases: int
    closed_cases: int  # closed in the period
    screened_signals: int  # signals screened in the period
    median_days_to_decision: float | None  # None when no signal was screened in the period
    overdue_actions: int
    overdue_reviews: int


@dataclass(frozen=True)
class Indicator:
    key: str
    label: StrOrPromise
    value: str  # the value(s) in one short phrase
    status: Status
    explanation: StrOrPromise  # what it means and why it matters
    guidance: StrOrPromise  # what to do about it
    details: tuple[tuple[str, str], ...] = ()  # (label, value) lines under the value

    @property
    def is_warning(self) -> bool:
        return self.status == WARNING


@dataclass(frozen=True)
class CellHealth:
    today: datetime.date
    period_start: datetime.date
    signals: SignalSources
    active_socio_preventive_partners: int
    partner_warning: bool
    meetings: MeetingRhythm
    cases: CaseFollowUp
    coordinator_fte: Decimal | None
    has_deputy_coordinator: bool
    months_since_scan: int | None  # None = never scanned
    indicators: tuple[Indicator, ...]
    fact_values: dict[str, str]  # keyed by scan module: a short fact sentence each
    trend_json: dict[str, Any]  # {"labels": [...], "datasets": [{"label": ..., "data": [...]}]}

    @property
    def warnings(self) -> int:
        return sum(1 for indicator in self.indicators if indicator.is_warning)

    def indicator(self, key: str) -> Indicator:
        return next(indicator for indicator in self.indicators if indicator.key == key)


@dataclass(frozen=True)
class _Figures:
    signals: SignalSources
    partners: int
    meetings: MeetingRhythm
    cases: CaseFollowUp
    fte: Decimal | None
    has_deputy: bool
    months_since_scan: int | None


# --- Computation ---------------------------------------------------------------------------


def _month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _signal_sources(cell: Cell, start: datetime.date, today: datetime.date) -> SignalSources:
    months = [_month_key(add_months(start, i)) for i in range(PERIOD_MONTHS)]
    per_month: Counter[str] = Counter()
    per_sector: Counter[str] = Counter()
    rows = (
        Signal.objects.filter(cell=cell, received_on__gte=start, received_on__lte=today)
        .annotate(month=TruncMonth("received_on"))
        .values("origin_sector", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        per_month[_month_key(row["month"])] += row["n"]
        per_sector[row["origin_sector"] or UNKNOWN_SECTOR] += row["n"]
    total = sum(per_sector.values())
    police = per_sector[Sector.LOCAL_POLICE]
    known = total - per_sector[UNKNOWN_SECTOR]
    # Integer arithmetic: 4 of 5 is exactly 80 %, without a rounding surprise.
    police_warning = total > 0 and (
        police * 100 >= POLICE_SHARE_WARNING * total or (known > 0 and police == known)
    )
    labels = dict(Sector.choices)
    by_sector = tuple(
        SectorCount(
            sector=sector,
            label=str(labels.get(sector, _("Unknown"))),
            count=count,
        )
        for sector, count in sorted(per_sector.items(), key=lambda item: (-item[1], item[0]))
    )
    trend_signals = TrendSignal.objects.filter(
        cell=cell, received_on__gte=start, received_on__lte=today
    ).count()
    return SignalSources(
        total=total,
        by_sector=by_sector,
        police=police,
        police_share=police / total if total else None,
        police_warning=police_warning,
        trend=tuple((month, per_month[month]) for month in months),
        trend_signals=trend_signals,
    )


def _meeting_rhythm(cell: Cell, start: datetime.date, today: datetime.date) -> MeetingRhythm:
    # Held meetings only: planned ones in the future do not count.
    until = min(timezone.now(), _local_midnight(today + datetime.timedelta(days=1)))
    counts = dict(
        Meeting.objects.filter(
            cell=cell, starts_at__gte=_local_midnight(start), starts_at__lt=until
        )
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "n")
    )
    last = rhythm(cell, today)
    by_kind = tuple(
        MeetingKindCount(
            kind=kind,
            label=str(label),
            count=counts.get(kind, 0),
            months_since_last=last["months"][kind],
        )
        for kind, label in MeetingKind.choices
    )
    return MeetingRhythm(
        total=sum(k.count for k in by_kind),
        by_kind=by_kind,
        has_open_cases=bool(last["has_open_cases"]),
    )


def _case_follow_up(cell: Cell, start: datetime.date, today: datetime.date) -> CaseFollowUp:
    begin, end = _local_midnight(start), _local_midnight(today + datetime.timedelta(days=1))
    counts = Case.objects.filter(cell=cell).aggregate(
        open=Count("id", filter=Q(status=CaseStatus.OPEN)),
        closed=Count(
            "id",
            filter=Q(status=CaseStatus.CLOSED, closed_at__gte=begin, closed_at__lt=end),
        ),
    )
    screened = Signal.objects.filter(
        cell=cell, screened_at__gte=begin, screened_at__lt=end
    ).values_list("received_on", "screened_at")
    days = [
        max(0, (timezone.localtime(screened_at).date() - received_on).days)
        for received_on, screened_at in screened
    ]
    actions, reviews = overdue_counts(cell, today)
    return CaseFollowUp(
        open_cases=counts["open"],
        closed_cases=counts["closed"],
        screened_signals=len(days),
        median_days_to_decision=float(statistics.median(days)) if days else None,
        overdue_actions=actions,
        overdue_reviews=reviews,
    )


def cell_health(
    cell: Cell, today: datetime.date, *, last_scan_at: datetime.datetime | None = None
) -> CellHealth:
    """The cell's health indicators over the 12 months ending with `today`'s month."""
    start = add_months(today.replace(day=1), -(PERIOD_MONTHS - 1))
    signals = _signal_sources(cell, start, today)
    partners = coverage_for_cell(cell).active_socio_preventive
    meetings = _meeting_rhythm(cell, start, today)
    cases = _case_follow_up(cell, start, today)
    fte = CellProfile.objects.filter(cell=cell).values_list("coordinator_fte", flat=True).first()
    has_deputy = Membership.objects.filter(
        cell=cell,
        role=Role.DEPUTY_COORDINATOR,
        ended_at__isnull=True,
        user__is_active=True,
    ).exists()
    months_since_scan = None
    if last_scan_at is not None:
        scanned = (
            timezone.localtime(last_scan_at) if timezone.is_aware(last_scan_at) else last_scan_at
        )
        months_since_scan = _months_between(scanned.date(), today)

    figures = _Figures(signals, partners, meetings, cases, fte, has_deputy, months_since_scan)
    return CellHealth(
        today=today,
        period_start=start,
        signals=signals,
        active_socio_preventive_partners=partners,
        partner_warning=partners == 0,
        meetings=meetings,
        cases=cases,
        coordinator_fte=fte,
        has_deputy_coordinator=has_deputy,
        months_since_scan=months_since_scan,
        indicators=_indicators(figures),
        fact_values=_facts(figures),
        trend_json={
            "labels": [month for month, _count in signals.trend],
            "datasets": [
                {"label": str(_("Signals")), "data": [count for _month, count in signals.trend]}
            ],
        },
    )


# --- Wording -------------------------------------------------------------------------------


def _number(value: float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal):
        value = value.normalize()
    return number_format(value)


def _months_ago(months: int | None) -> str:
    if months is None:
        return _("never")
    if months == 0:
        return _("this month")
    return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}


def _signals_phrase(count: int) -> str:
    return ngettext("%(count)d signal", "%(count)d signals", count) % {"count": count}


def _police_phrase(signals: SignalSources) -> str:
    if not signals.total:
        return _("No signals in the last 12 months")
    return _("%(police)d of %(signals)s (%(percent)s%%) from the local police") % {
        "police": signals.police,
        "signals": _signals_phrase(signals.total),
        "percent": signals.police_percent,
    }


def _indicators(f: _Figures) -> tuple[Indicator, ...]:
    signals, partners, meetings, cases = f.signals, f.partners, f.meetings, f.cases
    fte, has_deputy, months_since_scan = f.fte, f.has_deputy, f.months_since_scan
    known = signals.total - sum(s.count for s in signals.by_sector if s.sector == UNKNOWN_SECTOR)
    network_held = any(
        k.count for k in meetings.by_kind if k.kind in (MeetingKind.NETWORK, MeetingKind.MIXED)
    )
    median = cases.median_days_to_decision
    return (
        Indicator(
            key="signals_received",
            label=gettext_lazy("Signals received"),
            value=_("%(signals)s and %(trends)s in the last 12 months")
            % {
                "signals": _signals_phrase(signals.total),
                "trends": ngettext(
                    "%(count)d trend signal", "%(count)d trend signals", signals.trend_signals
                )
                % {"count": signals.trend_signals},
            },
            status=WARNING if not (signals.total or signals.trend_signals) else OK,
            explanation=gettext_lazy(
                "Concerns about a person, and trend signals without a person, that reached the "
                "cell. A cell that hears little is often not known well enough by the partners "
                "who first notice that someone is drifting off."
            ),
            guidance=gettext_lazy(
                "Present the cell to schools, the CLB, youth work, welfare and care partners: "
                "what a signal is, how to pass it on and what happens with it. Invite partners "
                "to report local trends as well."
            ),
        ),
        Indicator(
            key="signal_sources",
            label=gettext_lazy("Sources of signals"),
            value=_police_phrase(signals),
            status=UNKNOWN if not known else WARNING if signals.police_warning else OK,
            explanation=gettext_lazy(
                "The share of signals that come from the local police. An LIVC R is a "
                "socio-preventive consultation: when (nearly) all signals come from the police "
                "(80% or more), the early concerns that schools, youth work, welfare and care "
                "see do not reach the cell."
            ),
            guidance=gettext_lazy(
                "Invite socio-preventive partners (CAW, CLB, OCMW, youth and street work, "
                "mental health care) to the cell; explain the cell to the schools and the CLB; "
                "agree with each partner how they pass on a concern; and record the origin "
                "organisation of every signal."
            ),
            details=tuple((s.label, str(s.count)) for s in signals.by_sector),
        ),
        Indicator(
            key="socio_preventive_partners",
            label=gettext_lazy("Active socio-preventive partners"),
            value=ngettext("%(count)d active partner", "%(count)d active partners", partners)
            % {"count": partners},
            status=WARNING if partners == 0 else OK,
            explanation=gettext_lazy(
                "Partners whose work is support and prevention: welfare, education, youth work, "
                "care, housing, employment. They bring in early signals and carry the support "
                "after a case consultation."
            ),
            guidance=gettext_lazy(
                "Map the local welfare and education partners, invite them to a network meeting "
                "to explain the cell, and add them as partners invited per case."
            ),
        ),
        Indicator(
            key="meeting_rhythm",
            label=gettext_lazy("Meeting rhythm"),
            value=ngettext(
                "%(count)d meeting in the last 12 months",
                "%(count)d meetings in the last 12 months",
                meetings.total,
            )
            % {"count": meetings.total},
            status=WARNING if not (meetings.total and network_held) else OK,
            explanation=gettext_lazy(
                "Meetings per kind in the last 12 months and how long ago the last one of each "
                "kind was held. A cell that only meets when there are cases loses its partners: "
                "a network or thematic meeting at least once a year keeps the cell known and "
                "ready."
            ),
            guidance=gettext_lazy(
                "Plan a network or thematic meeting: let a partner present its work, discuss a "
                "local trend or the trend signals, practise with a tabletop exercise, or review "
                "the partner map together."
            ),
            details=tuple(
                (
                    k.label,
                    _("%(count)d (last: %(last)s)")
                    % {"count": k.count, "last": _months_ago(k.months_since_last)},
                )
                for k in meetings.by_kind
            ),
        ),
        Indicator(
            key="case_follow_up",
            label=gettext_lazy("Case follow-up"),
            value=_("%(open)d open cases, %(closed)d closed in the last 12 months")
            % {"open": cases.open_cases, "closed": cases.closed_cases},
            status=WARNING if cases.overdue_actions or cases.overdue_reviews else OK,
            explanation=gettext_lazy(
                "Open and closed cases, and the actions and case reviews past their date. "
                "Overdue actions and reviews mean that the support agreed in the cell may have "
                "stalled."
            ),
            guidance=gettext_lazy(
                "Go through the overdue actions with the organisations that own them, put the "
                "overdue reviews on the next case consultation, and close cases where the risk "
                "is reduced or regular care has taken over."
            ),
            details=(
                (_("Overdue actions"), str(cases.overdue_actions)),
                (_("Overdue case reviews"), str(cases.overdue_reviews)),
            ),
        ),
        Indicator(
            key="screening_time",
            label=gettext_lazy("Time to a screening decision"),
            value=(
                _("No signal screened in the last 12 months")
                if median is None
                else _("Median %(days)s days over %(signals)s")
                % {"days": _number(median), "signals": _signals_phrase(cases.screened_signals)}
            ),
            status=(
                UNKNOWN if median is None else WARNING if median > SCREENING_DAYS_WARNING else OK
            ),
            explanation=gettext_lazy(
                "The median number of days from the date of a signal to the screening decision, "
                "over the signals screened in the last 12 months. A partner who passes on a "
                "concern needs a timely answer; a long wait discourages the next signal."
            ),
            guidance=gettext_lazy(
                "Screen new signals with the information officer within a few weeks, for "
                "example on a fixed day every week or fortnight, and tell the referring partner "
                "what was decided."
            ),
        ),
        Indicator(
            key="coordinator_capacity",
            label=gettext_lazy("Coordinator capacity"),
            value=_("Not recorded") if fte is None else _("%(fte)s FTE") % {"fte": _number(fte)},
            status=UNKNOWN if fte is None else WARNING if fte <= 0 else OK,
            explanation=gettext_lazy(
                "The time the coordinator has for the cell. The coordinator runs the intake, "
                "the agenda, the minutes and the follow-up: the role is crucial and needs time "
                "set aside for it."
            ),
            guidance=gettext_lazy(
                "Record the coordinator's capacity in the cell profile and agree it with the "
                "mayor. When it is too small for the work, raise it with the municipal "
                "management or ask VVSG for coaching."
            ),
        ),
        Indicator(
            key="deputy_coordinator",
            label=gettext_lazy("Deputy coordinator"),
            value=_("Yes") if has_deputy else _("No"),
            status=OK if has_deputy else WARNING,
            explanation=gettext_lazy(
                "Whether someone can take over when the coordinator is absent or leaves. "
                "Without a deputy the cell depends on one person and its know-how is easily "
                "lost."
            ),
            guidance=gettext_lazy(
                "Appoint a deputy coordinator among the cell's members, let them take part in "
                "meetings and screening, and keep the handover file up to date."
            ),
        ),
        Indicator(
            key="last_scan",
            label=gettext_lazy("Last scan"),
            value=_months_ago(months_since_scan),
            status=(
                WARNING
                if months_since_scan is None or months_since_scan > SCAN_INTERVAL_MONTHS
                else OK
            ),
            explanation=gettext_lazy(
                "How long ago the cell evaluated its structure and functioning with a scan. "
                "Regular evaluation shows what works and what needs improving, instead of "
                "relying on gut feeling."
            ),
            guidance=gettext_lazy(
                "Run a scan with the coordinator and the partners about once a year, discuss "
                "the results in a network meeting, and agree on a few improvement actions."
            ),
        ),
    )


def _facts(f: _Figures) -> dict[str, str]:
    signals, partners, meetings, cases = f.signals, f.partners, f.meetings, f.cases
    fte, has_deputy, months_since_scan = f.fte, f.has_deputy, f.months_since_scan
    median = cases.median_days_to_decision
    return {
        "signal_sources": _("In the last 12 months: %(sources)s; %(trends)s.")
        % {
            "sources": (_police_phrase(signals) if signals.total else _signals_phrase(0)),
            "trends": ngettext(
                "%(count)d trend signal", "%(count)d trend signals", signals.trend_signals
            )
            % {"count": signals.trend_signals},
        },
        "socio_preventive_partners": ngettext(
            "The cell has %(count)d active socio-preventive partner.",
            "The cell has %(count)d active socio-preventive partners.",
            partners,
        )
        % {"count": partners},
        "meeting_rhythm": _("Meetings in the last 12 months: %(kinds)s.")
        % {
            "kinds": "; ".join(
                _("%(kind)s: %(count)d (last: %(last)s)")
                % {"kind": k.label, "count": k.count, "last": _months_ago(k.months_since_last)}
                for k in meetings.by_kind
            )
        },
        "case_follow_up": _(
            "%(open)d open cases, %(closed)d closed in the last 12 months; "
            "median time to a screening decision: %(median)s; "
            "overdue: %(actions)d actions, %(reviews)d case reviews."
        )
        % {
            "open": cases.open_cases,
            "closed": cases.closed_cases,
            "median": (
                _("unknown")
                if median is None
                else ngettext("%(days)s day", "%(days)s days", round(median))
                % {"days": _number(median)}
            ),
            "actions": cases.overdue_actions,
            "reviews": cases.overdue_reviews,
        },
        "knowledge_transfer": _(
            "Coordinator capacity: %(fte)s; deputy coordinator: %(deputy)s; last scan: %(scan)s."
        )
        % {
            "fte": _("not recorded") if fte is None else _("%(fte)s FTE") % {"fte": _number(fte)},
            "deputy": _("yes") if has_deputy else _("no"),
            "scan": _months_ago(months_since_scan),
        },
    }
