"""Flanders-wide figures for VVSG: aggregates only, suppressed below the thresholds (issue 9).

``insights_compute(year=..., province=...)`` returns an ``Insights`` for Flanders (``province``
None) or one province (a ``Province`` value). Every number is a count, a share or a mean over
cells, computed in the database (``values``/``annotate``/``Count``): the number of queries does
not grow with the number of cells. Labels are categories, types, years and provinces only:
never a cell's name, a case, a person or a free text (an unknown origin sector is "Other").

Which cells count
    Only ``Cell.objects.real()``: training (sandbox) cells never count, nor cells created after
    the reference date. A cell counts in one province: the one holding most of its
    municipalities (on a tie, that of its lowest NIS code), so the provinces add up to
    Flanders. Cell data counts only for the categories
    the cell shares (``vangnet.insights.sharing``): ``activity`` (meetings), ``network``
    (partners), ``scans`` (self-evaluation), ``signals`` and ``cases`` (off by default). The
    *population* of such a figure is the real cells in the province that share the category;
    ``basis_cells`` is that population (for the scan averages: the cells with a result).
    Counts of cells and municipalities covered (``cells_*``, ``municipalities_*``) are about
    the platform, not about a cell's data, and count every real cell created by the reference
    date (the end of the year, or now for the current year).

Suppression
    A figure or a series row resting on fewer than ``MINIMUM_CELLS`` cells has ``value=None``
    and ``suppressed=True`` (also the counts of cells themselves: 4 cells in a province show as
    "suppressed"). A figure derived from signals or cases is also suppressed when it counts
    fewer than ``MINIMUM_CASES`` signals or cases, zero included (so a suppressed row does not
    tell "none" from "a few").
    Secondary suppression (``_protect_areas``; reason ``SUPPRESSED_PROTECT``): Flanders minus
    the shown provinces gives the hidden provinces together, so for every figure the hidden
    provinces must be at least two that together rest on ``MINIMUM_CELLS`` cells (and
    ``MINIMUM_CASES`` signals or cases); the hidden rows of the signals breakdown, against its
    total, at least two holding ``MINIMUM_CASES``. Otherwise more is hidden, smallest first,
    until nothing changes. Trend rows rest on the cells of their year and count only records
    of cells that existed by its end.
    Coaching trajectories are VVSG's records but about named cells: they rest on the cells of
    the area. Helpdesk and events are VVSG's own records: not suppressed (``basis_cells`` 0).

Public (open data, ``public=True``)
    Counts of cells, municipalities covered, meetings per type, helpdesk figures, events and
    attendance, trajectories, their trends (but not the meetings trend: its past rows follow
    today's sharing choices, and could differ from a published year's frozen figure) and
    province breakdowns; the Flanders-wide scan module averages. Not public: cells without a
    meeting for six months, partner coverage (steering information for VVSG), scan averages per
    province (few cells), and everything derived from signals or cases.

Keys (figures): cells_total, cells_joint, cells_active, cells_without_meeting_6_months,
municipalities_covered, municipalities_total, municipalities_covered_share, meetings_total,
cells_socio_preventive_share, signals_total, cases_opened, trajectories_total,
trajectories_municipalities_reached, helpdesk_questions, helpdesk_local_governments,
helpdesk_within_sla_share (Flanders only), events_total, event_registrations, event_attended.
Series: meetings_by_kind, signals_by_origin, partner_sectors, scan_modules,
trajectories_by_category, trajectories_by_status, events_by_kind, cells_by_province and
municipalities_covered_by_province (Flanders only), and the trends trend_cells, trend_meetings,
trend_signals, trend_cases, trend_trajectories, trend_helpdesk_questions, trend_events.
A series row's figure key is ``<series key>.<row key>``.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from vangnet.cells.models import Cell, Municipality, Province
from vangnet.insights import sharing
from vangnet.insights.figures import (
    MINIMUM_CASES,
    MINIMUM_CELLS,
    SUPPRESSED_CASES,
    SUPPRESSED_CELLS,
    SUPPRESSED_PROTECT,
    Figure,
    Insights,
    Series,
)

TREND_YEARS = 5
ACTIVE_DAYS = 365  # "active": a meeting or a signal in the last 12 months
QUIET_MONTHS = 6  # "without a meeting for six months or more"


@dataclass(frozen=True)
class _Scope:
    year: int
    province: str | None
    start: datetime.datetime  # 1 January of the year, local time
    end: datetime.datetime  # 1 January of the next year
    as_of: datetime.datetime  # the reference moment: the end of the year, or now
    last_day: datetime.date  # the local date of the last day up to as_of
    now: datetime.datetime
    cells: QuerySet[Cell]  # the real cells in the province (or Flanders) created by as_of
    shared: Mapping[str, QuerySet[Cell]]  # per sharing category: the cells in scope sharing it

    @property
    def years(self) -> list[int]:
        return list(range(self.year - TREND_YEARS + 1, self.year + 1))

    @property
    def trend_start(self) -> datetime.datetime:
        return _year_start(self.years[0])


def _year_start(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1, tzinfo=timezone.get_default_timezone())


# --- building figures ---------------------------------------------------------------------


def _cell_figure(
    key: str,
    label: str,
    value: float | int | None,
    *,
    basis: int,
    items: int | None = None,
    unit: str = "",
    public: bool = False,
) -> Figure:
    """A figure from cell data: suppressed below MINIMUM_CELLS cells or (for signals and
    cases, ``items`` given) below MINIMUM_CASES items."""
    reason = ""
    if basis < MINIMUM_CELLS:
        reason = SUPPRESSED_CELLS
    elif items is not None and items < MINIMUM_CASES:
        reason = SUPPRESSED_CASES
    return Figure(
        key=key,
        label=label,
        value=None if reason else value,
        suppressed=bool(reason),
        basis_cells=basis,
        unit=unit,
        public=public,
        reason=reason,
        items=items,
    )


def _vvsg_figure(
    key: str, label: str, value: float | int | None, *, unit: str = "", public: bool = True
) -> Figure:
    """A figure from VVSG's own records (not cell data): never suppressed, counts only."""
    return Figure(key, label, value, False, 0, unit, public)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hide(figure: Figure) -> Figure:
    """Suppress a figure so that another suppressed figure cannot be worked out from it."""
    return dataclasses.replace(figure, value=None, suppressed=True, reason=SUPPRESSED_PROTECT)


def _protect_rows(rows: list[tuple[str, Figure]], total: Figure) -> list[tuple[str, Figure]]:
    """Secondary suppression in a breakdown of signals or cases against its total. With the
    total shown, the hidden rows together are the total minus the shown rows: there must be
    at least two of them, holding at least MINIMUM_CASES together. With the total hidden to
    protect another figure, the rows must not add up to it: at least one row is hidden.
    Otherwise the smallest shown rows are hidden too."""
    out = list(rows)
    while True:
        hidden = [f for _label, f in out if f.suppressed]
        shown = [(i, f) for i, (_label, f) in enumerate(out) if not f.suppressed]
        if not shown:
            return out
        if total.suppressed:
            if total.reason != SUPPRESSED_PROTECT or hidden:
                return out
        elif not hidden or (
            len(hidden) >= 2 and sum(f.items or 0 for f in hidden) >= MINIMUM_CASES
        ):
            return out
        index, figure = min(shown, key=lambda pair: pair[1].items or 0)
        out[index] = (out[index][0], _hide(figure))


def _trend(
    key: str,
    label: str,
    counts: dict[int, int],
    scope: _Scope,
    *,
    basis: int | dict[int, int] | None,
    items: bool = False,
    public: bool,
) -> Series:
    """One row per year of the trend window; ``basis`` None: VVSG data (not suppressed)."""
    rows = []
    for year in scope.years:
        value = counts.get(year, 0)
        row_key = f"{key}.{year}"
        if basis is None:
            figure = _vvsg_figure(row_key, str(year), value, public=public)
        else:
            cells = basis[year] if isinstance(basis, dict) else basis
            figure = _cell_figure(
                row_key,
                str(year),
                value,
                basis=cells,
                items=value if items else None,
                public=public,
            )
        rows.append((str(year), figure))
    return Series(key=key, label=label, kind="trend", rows=rows, public=public)


def _cells_per_year(population: QuerySet[Cell], scope: _Scope) -> dict[int, int]:
    """For each year of the trend window: how many cells of ``population`` existed by its end
    (the basis of that year's row; one query)."""
    created = _per_year(population, "created_at")
    running = sum(n for y, n in created.items() if y < scope.years[0])
    out: dict[int, int] = {}
    for year in scope.years:
        running += created.get(year, 0)
        out[year] = running
    return out


def _existing_then(queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    """Only rows of cells that existed by the end of the row's year (``field``): a trend row
    rests on the cells of its year (``_cells_per_year``), so a cell created later that enters
    back-dated records adds nothing to an earlier row."""
    return queryset.annotate(row_year=ExtractYear(field)).filter(
        cell__created_at__year__lte=F("row_year")
    )


def _per_year(queryset: QuerySet[Any], field: str) -> dict[int, int]:
    """Counts per calendar year (local time) in one grouped query."""
    rows = (
        queryset.annotate(y=ExtractYear(field)).values("y").annotate(n=Count("pk", distinct=True))
    )
    return {row["y"]: row["n"] for row in rows.order_by()}


# --- the scope ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every area needs, read once: each real cell's province, and who shares what."""

    province_of: Mapping[Any, str]  # cell id -> the province the cell counts in
    shared_ids: Mapping[str, list[Any]]  # sharing category -> ids of the cells sharing it


def _context() -> _Context:
    """Two queries. A cell counts in exactly one province, the one holding most of its
    municipalities (on a tie, the province of its lowest NIS code): the provinces then add up
    to Flanders, so the suppression across areas can reason on sums."""
    through = Cell.municipalities.through
    codes: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for cell_id, nis_code, province in through.objects.filter(
        cell__in=Cell.objects.real()
    ).values_list("cell_id", "municipality__nis_code", "municipality__province_nis"):
        codes[cell_id].append((nis_code, province))
    province_of = {}
    for cell_id, municipalities in codes.items():
        counts = Counter(province for _code, province in municipalities)
        most = max(counts.values())
        province_of[cell_id] = min(
            (code, province) for code, province in municipalities if counts[province] == most
        )[1]
    return _Context(province_of=province_of, shared_ids=sharing.sharing_cell_ids())


def _scope(year: int, province: str | None, now: datetime.datetime, context: _Context) -> _Scope:
    if province is not None and province not in Province.values:
        raise ValueError(f"unknown province: {province!r}")
    start, end = _year_start(year), _year_start(year + 1)
    as_of = min(now, end)
    # Only the cells that existed then: a cell created later never counts for an earlier year.
    cells = Cell.objects.real().filter(created_at__lt=as_of)
    if province is not None:
        cells = cells.filter(
            pk__in=[pk for pk, where in context.province_of.items() if where == province]
        )
    ids = context.shared_ids
    shared = {key: cells.filter(pk__in=ids[key]) for key in sharing.CATEGORY_KEYS}
    return _Scope(
        year=year,
        province=province,
        start=start,
        end=end,
        as_of=as_of,
        last_day=timezone.localtime(as_of - datetime.timedelta(microseconds=1)).date(),
        now=now,
        cells=cells,
        shared=shared,
    )


# --- the figures --------------------------------------------------------------------------


def _platform(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    existing = scope.cells
    counts = existing.annotate(m=Count("municipalities")).aggregate(
        total=Count("pk"), joint=Count("pk", filter=Q(m__gt=1))
    )
    total = counts["total"] or 0
    # The municipalities of the area's cells (a joint cell's all count where the cell counts,
    # so the provinces add up to Flanders), against the municipalities of the area.
    covered = Municipality.objects.filter(cells__in=existing).distinct().count()
    municipalities = Municipality.objects.all()
    if scope.province is not None:
        municipalities = municipalities.filter(province_nis=scope.province)
    all_municipalities = municipalities.count()
    figures = [
        _cell_figure("cells_total", _("Cells on the platform"), total, basis=total, public=True),
        _cell_figure(
            "cells_joint",
            _("Joint cells (several municipalities)"),
            counts["joint"],
            basis=total,
            public=True,
        ),
        _cell_figure(
            "municipalities_covered",
            _("Municipalities with a cell"),
            covered,
            basis=total,
            public=True,
        ),
        # The number of municipalities is reference data, not about any cell.
        _vvsg_figure("municipalities_total", _("Municipalities"), all_municipalities),
        _cell_figure(
            "municipalities_covered_share",
            _("Share of municipalities with a cell"),
            _share(covered, all_municipalities),
            basis=total,
            unit="%",
            public=True,
        ),
    ]
    # Cells created per year, cumulated: the cells on the platform at the end of each year.
    cumulated = _cells_per_year(Cell.objects.real().filter(pk__in=scope.cells), scope)
    series = [
        _trend(
            "trend_cells",
            _("Cells on the platform at the end of the year"),
            cumulated,
            scope,
            basis=cumulated,
            public=True,
        )
    ]
    return figures, series


def _province_tables(provinces: Sequence[Insights]) -> list[Series]:
    """Cells and municipalities covered per province, for Flanders: the provinces' own
    (protected) figures under the Flanders keys."""
    tables = []
    for key, label, source in (
        ("cells_by_province", _("Cells per province"), "cells_total"),
        (
            "municipalities_covered_by_province",
            _("Municipalities with a cell per province"),
            "municipalities_covered",
        ),
    ):
        rows = []
        for area in provinces:
            name = str(Province(area.province or "").label)
            figure = figures_by_key(area.figures)[source]
            rows.append(
                (name, dataclasses.replace(figure, key=f"{key}.{area.province}", label=name))
            )
        tables.append(Series(key, label, "province", rows, True))
    return tables


def _activity(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.intake.models import Signal
    from vangnet.meetings.models import Meeting, MeetingKind

    population = scope.shared[sharing.ACTIVITY]
    basis = population.count()
    window = scope.as_of - datetime.timedelta(days=ACTIVE_DAYS)
    recent_meeting = Meeting.objects.filter(
        cell=OuterRef("pk"), starts_at__gt=window, starts_at__lt=scope.as_of
    )
    recent_signal = Signal.objects.filter(
        cell=OuterRef("pk"),
        received_on__gt=timezone.localtime(window).date(),
        received_on__lte=scope.last_day,
    )
    # A signal makes a cell active only if the cell shares its signals.
    active = population.filter(
        Exists(recent_meeting) | (Q(pk__in=scope.shared[sharing.SIGNALS]) & Exists(recent_signal))
    ).count()
    from vangnet.coaching.services import add_months

    quiet_since = scope.as_of - (scope.as_of.date() - add_months(scope.as_of.date(), -QUIET_MONTHS))
    # Among the cells that existed six months ago (a new cell is not "without a meeting").
    quiet = (
        population.filter(created_at__lte=quiet_since)
        .annotate(last=Max("meetings__starts_at", filter=Q(meetings__starts_at__lt=scope.as_of)))
        .filter(Q(last__isnull=True) | Q(last__lte=quiet_since))
        .count()
    )
    held = Meeting.objects.filter(cell__in=population, starts_at__lte=scope.now)
    per_kind = dict(
        held.filter(starts_at__gte=scope.start, starts_at__lt=scope.end)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = [
        _cell_figure(
            "cells_active",
            _("Active cells (a meeting or a signal in the last 12 months)"),
            active,
            basis=basis,
            public=True,
        ),
        _cell_figure(
            "cells_without_meeting_6_months",
            _("Cells without a meeting for six months or more"),
            quiet,
            basis=basis,
        ),
        _cell_figure(
            "meetings_total",
            _("Meetings held"),
            sum(per_kind.values()),
            basis=basis,
            public=True,
        ),
    ]
    rows = [
        (
            str(label),
            _cell_figure(
                f"meetings_by_kind.{kind}",
                str(label),
                per_kind.get(kind, 0),
                basis=basis,
                public=True,
            ),
        )
        for kind, label in MeetingKind.choices
    ]
    series = [
        Series("meetings_by_kind", _("Meetings per type"), "breakdown", rows, True),
        _trend(
            "trend_meetings",
            _("Meetings held per year"),
            _per_year(
                _existing_then(
                    held.filter(starts_at__gte=scope.trend_start, starts_at__lt=scope.end),
                    "starts_at",
                ),
                "starts_at",
            ),
            scope,
            basis=_cells_per_year(population, scope),
            # Not open data: a past year's row follows today's sharing choices, so it could
            # differ from that year's frozen figure by one cell's meetings.
            public=False,
        ),
    ]
    return figures, series


def _signals_and_cases(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.cases.models import Case
    from vangnet.intake.models import Signal
    from vangnet.network.models import Sector

    population = scope.shared[sharing.SIGNALS]
    basis = population.count()
    signals = Signal.objects.filter(cell__in=population)
    in_year = signals.filter(received_on__gte=scope.start.date(), received_on__lt=scope.end.date())
    by_origin: Counter[str] = Counter()
    for origin, n in in_year.values_list("origin_sector").annotate(n=Count("pk")).order_by():
        # Only known sector keys become labels; anything else is "other", blank "unknown".
        key = origin if origin in Sector.values else ("unknown" if not origin else Sector.OTHER)
        by_origin[key] += n
    total = sum(by_origin.values())
    choices = [*Sector.choices, ("unknown", _("Unknown"))]
    rows = [
        (
            str(label),
            _cell_figure(
                f"signals_by_origin.{key}",
                str(label),
                by_origin.get(key, 0),
                basis=basis,
                items=by_origin.get(key, 0),
            ),
        )
        for key, label in choices
    ]
    total_figure = _cell_figure(
        "signals_total", _("Signals received"), total, basis=basis, items=total
    )
    rows = _protect_rows(rows, total_figure)
    signal_trend = _per_year(
        _existing_then(
            signals.filter(
                received_on__gte=scope.trend_start.date(), received_on__lt=scope.end.date()
            ),
            "received_on",
        ),
        "received_on",
    )

    case_population = scope.shared[sharing.CASES]
    case_basis = case_population.count()
    cases = Case.objects.filter(
        cell__in=case_population, opened_at__gte=scope.trend_start, opened_at__lt=scope.end
    )
    case_trend = _per_year(_existing_then(cases, "opened_at"), "opened_at")
    opened = case_trend.get(scope.year, 0)
    figures = [
        total_figure,
        _cell_figure("cases_opened", _("Cases opened"), opened, basis=case_basis, items=opened),
    ]
    series = [
        Series("signals_by_origin", _("Signals per origin sector"), "breakdown", rows, False),
        _trend(
            "trend_signals",
            _("Signals received per year"),
            signal_trend,
            scope,
            basis=_cells_per_year(population, scope),
            items=True,
            public=False,
        ),
        _trend(
            "trend_cases",
            _("Cases opened per year"),
            case_trend,
            scope,
            basis=_cells_per_year(case_population, scope),
            items=True,
            public=False,
        ),
    ]
    return figures, series


def _network(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.network.models import (
        SOCIO_PREVENTIVE_SECTORS,
        Organisation,
        OrganisationStatus,
        Sector,
    )

    population = scope.shared[sharing.NETWORK]
    basis = population.count()
    active = Organisation.objects.filter(
        cell__in=population, status=OrganisationStatus.ACTIVE, created_at__lt=scope.as_of
    )
    socio = active.filter(sector__in=SOCIO_PREVENTIVE_SECTORS).values("cell_id").distinct().count()
    per_sector = dict(
        active.values_list("sector").annotate(n=Count("cell_id", distinct=True)).order_by()
    )
    rows = [
        (
            str(label),
            _cell_figure(
                f"partner_sectors.{key}",
                str(label),
                _share(per_sector.get(key, 0), basis),
                basis=basis,
                unit="%",
            ),
        )
        for key, label in Sector.choices
    ]
    figures = [
        _cell_figure(
            "cells_socio_preventive_share",
            _("Share of cells with an active socio-preventive partner"),
            _share(socio, basis),
            basis=basis,
            unit="%",
        )
    ]
    series = [
        Series(
            "partner_sectors",
            _("Share of cells with an active partner per sector"),
            "breakdown",
            rows,
            False,
        )
    ]
    return figures, series


def _scans(scope: _Scope) -> list[Series]:
    """Module averages over the latest closed round of each sharing cell (with enough
    respondents to show results), like the scans benchmark; three queries."""
    from vangnet.questionnaires.scoring import module_results
    from vangnet.questionnaires.services import DEFAULT_SCAN
    from vangnet.scans.models import Answer, Response, Round
    from vangnet.scans.services import (
        ANONYMITY_MINIMUM,
        applicable_modules,
        rounds_with_shared_templates,
    )

    rounds = rounds_with_shared_templates(
        Round.objects.filter(
            cell__in=scope.shared[sharing.SCANS],
            template__slug=DEFAULT_SCAN,  # modules of one questionnaire, as the benchmark
            closed_at__isnull=False,
            closed_at__lt=scope.as_of,
        ).order_by("cell_id", "-closed_at")
    )
    responses: dict[Any, list[tuple[Any, bool]]] = defaultdict(list)
    for pk, round_id, coordinator in Response.objects.filter(
        round__in=[r.pk for r in rounds]
    ).values_list("pk", "round_id", "is_coordinator"):
        responses[round_id].append((pk, coordinator))
    latest: dict[Any, Any] = {}
    for scan_round in rounds:
        if len(responses[scan_round.pk]) >= ANONYMITY_MINIMUM:
            latest.setdefault(scan_round.cell_id, scan_round)
    language = (get_language() or "nl")[:2]
    titles: dict[str, str] = {}
    scores: dict[str, list[float]] = defaultdict(list)
    # One round at a time (answers streamed in round order): at Flanders scale the latest
    # rounds hold ~100,000 answers, which need not all be in memory at once.
    rows_by_round = itertools.groupby(
        Answer.objects.filter(response__round__in=[r.pk for r in latest.values()])
        .order_by("response__round_id", "response_id")
        .values_list(
            "response__round_id", "response_id", "module", "situation", "indicator", "value"
        )
        .iterator(chunk_size=5000),
        key=lambda row: row[0],
    )
    rounds_by_id = {r.pk: r for r in latest.values()}
    for round_id, round_rows in rows_by_round:
        scan_round = rounds_by_id[round_id]
        answers: dict[Any, dict[tuple[str, str, str], int | None]] = defaultdict(dict)
        for _round, response_id, module_key, situation, indicator, value in round_rows:
            answers[response_id][(module_key, situation, indicator)] = value
        for module in applicable_modules(scan_round):
            key = module["key"]
            titles.setdefault(key, str(module["title"].get(language) or module["title"]["nl"]))
            per_respondent = [
                (
                    coordinator,
                    {(s, i): v for (m, s, i), v in answers[pk].items() if m == key},
                )
                for pk, coordinator in responses[scan_round.pk]
            ]
            score = module_results(module, per_respondent).score
            if score is not None:
                scores[key].append(score)
    public = scope.province is None
    rows = [
        (
            title,
            _cell_figure(
                f"scan_modules.{key}",
                title,
                round(statistics.fmean(scores[key]), 1) if scores[key] else None,
                basis=len(scores[key]),
                public=public,
            ),
        )
        for key, title in titles.items()
    ]
    return [
        Series(
            "scan_modules",
            _("Self-evaluation: average module score (0 to 100)"),
            "breakdown",
            rows,
            public,
        )
    ]


def _coaching(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.coaching.models import CoachingCategory, Trajectory, TrajectoryStatus

    start, end = scope.start.date(), scope.end.date()
    # VVSG's own records, but about named cells: a province with few cells could be singled
    # out ("the one cell in X is being reactivated"), so these rest on the cells in scope.
    cells = scope.cells.count()
    trajectories = Trajectory.objects.filter(cells__in=scope.cells).distinct()
    in_year = trajectories.filter(started_on__lt=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    ids = Trajectory.objects.filter(pk__in=in_year.values("pk"))
    by_category = dict(ids.values_list("category").annotate(n=Count("pk")).order_by())
    by_status = dict(ids.values_list("status").annotate(n=Count("pk")).order_by())
    municipalities = Municipality.objects.filter(
        cells__in=scope.cells, cells__coaching_trajectories__in=ids.values("pk")
    )
    if scope.province is not None:
        municipalities = municipalities.filter(province_nis=scope.province)
    reached = municipalities.distinct().count()
    started = _per_year(
        Trajectory.objects.filter(
            pk__in=trajectories.values("pk"),
            started_on__gte=scope.trend_start.date(),
            started_on__lt=end,
        ),
        "started_on",
    )
    figures = [
        _cell_figure(
            "trajectories_total",
            _("Coaching trajectories"),
            sum(by_category.values()),
            basis=cells,
            public=True,
        ),
        _cell_figure(
            "trajectories_municipalities_reached",
            _("Municipalities reached by coaching"),
            reached,
            basis=cells,
            public=True,
        ),
    ]
    series = [
        Series(
            "trajectories_by_category",
            _("Coaching trajectories per category"),
            "breakdown",
            [
                (
                    str(label),
                    _cell_figure(
                        f"trajectories_by_category.{key}",
                        str(label),
                        by_category.get(key, 0),
                        basis=cells,
                        public=True,
                    ),
                )
                for key, label in CoachingCategory.choices
            ],
            True,
        ),
        Series(
            "trajectories_by_status",
            _("Coaching trajectories per status"),
            "breakdown",
            [
                (
                    str(label),
                    _cell_figure(
                        f"trajectories_by_status.{key}",
                        str(label),
                        by_status.get(key, 0),
                        basis=cells,
                        public=True,
                    ),
                )
                for key, label in TrajectoryStatus.choices
            ],
            True,
        ),
        _trend(
            "trend_trajectories",
            _("Coaching trajectories started per year"),
            started,
            scope,
            basis=_cells_per_year(scope.cells, scope),
            public=True,
        ),
    ]
    return figures, series


def _helpdesk(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.helpdesk.models import Question
    from vangnet.helpdesk.services import statistics_for_year

    questions = Question.objects.all()
    if scope.province is None:
        stats = statistics_for_year(scope.year, now=scope.now)
        asked, governments = stats.questions, stats.local_governments
        sla = stats.within_sla_share
    else:
        questions = questions.filter(municipality__province_nis=scope.province)
        counts = questions.filter(created_at__gte=scope.start, created_at__lt=scope.end).aggregate(
            n=Count("pk"), governments=Count("municipality_id", distinct=True)
        )
        asked, governments, sla = counts["n"], counts["governments"], None
    figures = [
        _vvsg_figure("helpdesk_questions", _("Helpdesk questions"), asked),
        _vvsg_figure(
            "helpdesk_local_governments", _("Local governments that asked a question"), governments
        ),
    ]
    if scope.province is None:
        figures.append(
            _vvsg_figure(
                "helpdesk_within_sla_share",
                _("Share of questions with a first reply in time"),
                round(100 * sla, 1) if sla is not None else None,
                unit="%",
            )
        )
    trend = _per_year(
        questions.filter(created_at__gte=scope.trend_start, created_at__lt=scope.end),
        "created_at",
    )
    series = [
        _trend(
            "trend_helpdesk_questions",
            _("Helpdesk questions per year"),
            trend,
            scope,
            basis=None,
            public=True,
        )
    ]
    return figures, series


def _events(scope: _Scope) -> tuple[list[Figure], list[Series]]:
    from vangnet.events.models import Event, EventKind, EventStatus, Registration
    from vangnet.events.models import RegistrationStatus as Status

    events = Event.objects.filter(status=EventStatus.PUBLISHED)
    if scope.province is not None:  # events of a province's network body
        events = events.filter(body__province=scope.province)
    in_year = events.filter(starts_at__gte=scope.start, starts_at__lt=scope.end)
    per_kind = dict(in_year.values_list("kind").annotate(n=Count("pk")).order_by())
    people = Registration.objects.filter(event__in=in_year).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    figures = [
        _vvsg_figure("events_total", _("Events"), sum(per_kind.values())),
        _vvsg_figure("event_registrations", _("Registrations"), people["registered"]),
        _vvsg_figure("event_attended", _("Attendances"), people["attended"]),
    ]
    series = [
        Series(
            "events_by_kind",
            _("Events per kind"),
            "breakdown",
            [
                (
                    str(label),
                    _vvsg_figure(f"events_by_kind.{key}", str(label), per_kind.get(key, 0)),
                )
                for key, label in EventKind.choices
            ],
            True,
        ),
        _trend(
            "trend_events",
            _("Events per year"),
            _per_year(
                events.filter(starts_at__gte=scope.trend_start, starts_at__lt=scope.end),
                "starts_at",
            ),
            scope,
            basis=None,
            public=True,
        ),
    ]
    return figures, series


def _area_compute(
    year: int, province: str | None, now: datetime.datetime, context: _Context
) -> Insights:
    """The figures of one area, each suppressed on its own (no protection across areas)."""
    scope = _scope(year, province, now, context)
    figures: list[Figure] = []
    series: list[Series] = []
    for part in (
        _platform,
        _activity,
        _network,
        _signals_and_cases,
        _coaching,
        _helpdesk,
        _events,
    ):
        more_figures, more_series = part(scope)
        figures += more_figures
        series += more_series
    series += _scans(scope)
    return Insights(year=year, province=province, figures=figures, series=_ordered(series))


def insights_compute_all(
    *, year: int, now: datetime.datetime | None = None
) -> tuple[Insights, list[Insights]]:
    """Flanders and every province (in ``Province`` order) for ``year``, suppression applied
    consistently across them (see ``_protect_areas``)."""
    moment = now or timezone.now()
    with scopes_disabled():  # aggregates over every real cell; nothing per cell leaves here
        context = _context()
        flanders = _area_compute(year, None, moment, context)
        provinces = [_area_compute(year, p.value, moment, context) for p in Province]
    flanders, provinces = _protect_areas(flanders, provinces)
    flanders = dataclasses.replace(
        flanders, series=_ordered([*flanders.series, *_province_tables(provinces)])
    )
    return flanders, provinces


def insights_compute(
    *, year: int, province: str | None = None, now: datetime.datetime | None = None
) -> Insights:
    """The figures of ``year`` for Flanders (``province`` None) or one province (a
    ``Province`` value; anything else is a ValueError). Every area is computed, so that a
    figure suppressed in one area cannot be worked out from the others; see the module
    docstring for the rules, the keys and which figures are public."""
    if province is not None and province not in Province.values:
        raise ValueError(f"unknown province: {province!r}")
    flanders, provinces = insights_compute_all(year=year, now=now)
    if province is None:
        return flanders
    return next(area for area in provinces if area.province == province)


# --- protection across areas --------------------------------------------------------------


def _figure_slots(area: Insights) -> dict[str, tuple[int, int | None]]:
    """Where each figure of an area lives: key -> (index in figures, None) or (series index,
    row index)."""
    slots: dict[str, tuple[int, int | None]] = {}
    for index, figure in enumerate(area.figures):
        slots[figure.key] = (index, None)
    for s_index, series in enumerate(area.series):
        for r_index, (_label, figure) in enumerate(series.rows):
            slots[figure.key] = (s_index, r_index)
    return slots


class _Area:
    """A mutable copy of an area's figures, to suppress more of them."""

    def __init__(self, insights: Insights) -> None:
        self.insights = insights
        self.figures = list(insights.figures)
        self.rows = [list(series.rows) for series in insights.series]
        self.slots = _figure_slots(insights)

    def get(self, key: str) -> Figure | None:
        slot = self.slots.get(key)
        if slot is None:
            return None
        index, row = slot
        return self.figures[index] if row is None else self.rows[index][row][1]

    def hide(self, key: str) -> None:
        index, row = self.slots[key]
        if row is None:
            self.figures[index] = _hide(self.figures[index])
        else:
            label, figure = self.rows[index][row]
            self.rows[index][row] = (label, _hide(figure))

    def series_rows(self, key: str) -> list[tuple[str, Figure]] | None:
        for index, series in enumerate(self.insights.series):
            if series.key == key:
                return self.rows[index]
        return None

    def build(self) -> Insights:
        series = [
            dataclasses.replace(s, rows=rows)
            for s, rows in zip(self.insights.series, self.rows, strict=True)
        ]
        return dataclasses.replace(self.insights, figures=self.figures, series=series)


def _group_safe(hidden: Sequence[Figure], counts_items: bool) -> bool:
    """Whether the hidden figures of a group may be known together (as Flanders minus the
    shown provinces): they rest on no cell at all, or on at least MINIMUM_CELLS cells (and
    MINIMUM_CASES signals or cases) in at least two areas, so that the sum does not give one
    area's figure (also not one hidden only to protect another)."""
    members = [f for f in hidden if f.basis_cells > 0]
    if not members:
        return True
    if len(members) < 2 or sum(f.basis_cells for f in members) < MINIMUM_CELLS:
        return False
    return not counts_items or sum(f.items or 0 for f in members) >= MINIMUM_CASES


def _protect_key(flanders: _Area, provinces: list[_Area], key: str) -> bool:
    """Flanders is the sum of the provinces (each cell counts in one province), so Flanders
    minus the shown provinces gives the hidden provinces together: that group must be safe,
    or more provinces (the smallest first), and at last Flanders, are hidden. A Flanders
    figure hidden to protect another must not be the sum of shown provinces either. A
    province without the figure (e.g. no self-evaluation rows) counts as holding nothing.
    Returns whether anything was hidden."""
    total = flanders.get(key)
    if total is None or total.basis_cells == 0:
        return False  # not cell data (VVSG's own records)
    counts_items = total.items is not None

    def parts() -> list[tuple[_Area, Figure]]:
        return [(area, f) for area in provinces if (f := area.get(key)) is not None]

    def smallest_shown() -> _Area | None:
        shown = [(a, f) for a, f in parts() if not f.suppressed and f.basis_cells > 0]
        if not shown:
            return None
        return min(shown, key=lambda pair: (pair[1].basis_cells, pair[1].items or 0))[0]

    if total.suppressed:
        if total.reason != SUPPRESSED_PROTECT:
            return False  # rests on too few itself: so does every province
        if any(f.suppressed and f.basis_cells > 0 for _a, f in parts()):
            return False
        area = smallest_shown()
        if area is None:
            return False
        area.hide(key)
        return True
    changed = False
    while True:
        hidden = [f for _a, f in parts() if f.suppressed]
        if _group_safe(hidden, counts_items):
            return changed
        area = smallest_shown()
        if area is None:
            flanders.hide(key)
            return True
        area.hide(key)
        changed = True


def _protect_areas(
    flanders: Insights, provinces: list[Insights]
) -> tuple[Insights, list[Insights]]:
    """Secondary suppression, repeated until nothing changes (it only ever hides more): per
    figure key, Flanders against the provinces; per area, the signals breakdown against its
    total (a figure hidden for one rule can expose another)."""
    whole = _Area(flanders)
    parts = [_Area(area) for area in provinces]
    keys = list(whole.slots)
    changed = True
    while changed:
        changed = False
        for key in keys:
            changed |= _protect_key(whole, parts, key)
        for area in (whole, *parts):
            rows = area.series_rows("signals_by_origin")
            total = area.get("signals_total")
            if rows is None or total is None:
                continue
            protected = _protect_rows(rows, total)
            if protected != rows:
                rows[:] = protected
                changed = True
    return whole.build(), [area.build() for area in parts]


def _ordered(series: Sequence[Series]) -> list[Series]:
    """Breakdowns and province tables first, trends last (the order of the dashboard)."""
    return sorted(series, key=lambda s: s.kind == "trend")


def figures_by_key(items: Iterable[Figure]) -> dict[str, Figure]:
    return {figure.key: figure for figure in items}
