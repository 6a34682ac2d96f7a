from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cases.services import case_open
from vangnet.cells.models import Cell, Province
from vangnet.coaching.models import CoachingCategory, TrajectoryStatus
from vangnet.coaching.services import trajectory_create
from vangnet.insights.figures import (
    MINIMUM_CASES,
    MINIMUM_CELLS,
    SUPPRESSED_CASES,
    SUPPRESSED_CELLS,
    SUPPRESSED_PROTECT,
    Insights,
)
from vangnet.insights.metrics import figures_by_key, insights_compute
from vangnet.insights.tests.conftest import (
    add_meeting,
    add_organisation,
    add_signals,
    make_cells,
    set_sharing,
)
from vangnet.network.models import Sector
from vangnet.scans import services as scan_services
from vangnet.scans.models import RespondentInvitation, Round
from vangnet.tests_support.personas import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ANTWERPEN = Province.ANTWERPEN.value
LIMBURG = Province.LIMBURG.value
ALL = ("network", "activity", "scans", "signals", "cases")


def this_year() -> int:
    return timezone.localdate().year


def figure(insights: Insights, key: str):
    return figures_by_key(insights.figures)[key]


def series(insights: Insights, key: str):
    return next(s for s in insights.series if s.key == key)


def row(insights: Insights, series_key: str, row_key: str):
    return next(f for _label, f in series(insights, series_key).rows if f.key.endswith(row_key))


def every_figure(insights: Insights):
    yield from insights.figures
    for s in insights.series:
        for _label, f in s.rows:
            yield f


class TestCellThreshold:
    def test_four_cells_are_suppressed_and_five_are_shown_for_flanders(self, staff):
        cells = make_cells(4)
        for cell in cells:
            add_meeting(cell, staff)
        four = insights_compute(year=this_year())
        for key in ("cells_total", "cells_active", "meetings_total", "municipalities_covered"):
            assert figure(four, key).suppressed and figure(four, key).value is None
            assert figure(four, key).basis_cells == 4
        assert row(four, "meetings_by_kind", ".case").suppressed
        add_meeting(make_cells(1)[0], staff)
        five = insights_compute(year=this_year())
        assert figure(five, "cells_total").value == MINIMUM_CELLS
        assert figure(five, "cells_active").value == 5
        assert figure(five, "meetings_total").value == 5
        assert row(five, "meetings_by_kind", ".case").value == 5
        assert not row(five, "meetings_by_kind", ".network").suppressed

    def test_a_suppressed_province_cannot_be_worked_out_from_flanders(self, staff):
        for cell in make_cells(4, province=LIMBURG) + make_cells(5, province=ANTWERPEN):
            add_meeting(cell, staff)
        limburg = insights_compute(year=this_year(), province=LIMBURG)
        antwerpen = insights_compute(year=this_year(), province=ANTWERPEN)
        flanders = insights_compute(year=this_year())
        assert figure(limburg, "meetings_total").suppressed
        assert figure(limburg, "meetings_total").reason == SUPPRESSED_CELLS
        assert figure(limburg, "cells_total").value is None
        # Flanders (9) minus Antwerpen (5) would give Limburg's 4: Antwerpen is hidden too.
        assert figure(flanders, "meetings_total").value == 9
        for key in ("meetings_total", "cells_total", "cells_active"):
            assert figure(antwerpen, key).suppressed
            assert figure(antwerpen, key).reason == SUPPRESSED_PROTECT
        assert row(antwerpen, "trend_meetings", f".{this_year()}").suppressed
        by_province = {f.key: f for _label, f in series(flanders, "cells_by_province").rows}
        assert by_province[f"cells_by_province.{LIMBURG}"].suppressed
        assert by_province[f"cells_by_province.{ANTWERPEN}"].suppressed
        # No province breakdown inside a province.
        assert not any(s.kind == "province" for s in antwerpen.series)

    def test_suppressed_provinces_that_together_hold_five_cells_leave_the_others_shown(self, staff):
        cells = (
            make_cells(3, province=LIMBURG)
            + make_cells(2, province=Province.VLAAMS_BRABANT.value)
            + make_cells(5, province=ANTWERPEN)
        )
        for cell in cells:
            add_meeting(cell, staff)
        antwerpen = insights_compute(year=this_year(), province=ANTWERPEN)
        assert figure(antwerpen, "meetings_total").value == 5
        assert figure(insights_compute(year=this_year()), "meetings_total").value == 10
        assert figure(
            insights_compute(year=this_year(), province=LIMBURG), "meetings_total"
        ).suppressed

    def test_a_figure_for_a_past_year_counts_only_the_cells_that_existed_then(self, staff):
        last_year = this_year() - 1
        early = timezone.make_aware(datetime.datetime(last_year, 3, 1))
        old = make_cells(1, created_at=early)[0]
        for _n in range(7):
            add_meeting(old, staff, starts_at=early + datetime.timedelta(days=30))
        make_cells(4)  # this year: they did not exist last year
        past = insights_compute(year=last_year)
        assert figure(past, "cells_total").suppressed
        assert figure(past, "meetings_total").suppressed
        assert figure(past, "meetings_total").basis_cells == 1
        now = insights_compute(year=this_year())
        last = row(now, "trend_meetings", f".{last_year}")
        assert last.suppressed and last.basis_cells == 1
        assert row(now, "trend_cells", f".{last_year}").suppressed

    def test_a_fifth_cell_in_the_province_lifts_the_suppression(self, staff):
        cells = make_cells(4, province=LIMBURG)
        assert figure(
            insights_compute(year=this_year(), province=LIMBURG), "cells_total"
        ).suppressed
        cells += make_cells(1, province=LIMBURG)
        limburg = insights_compute(year=this_year(), province=LIMBURG)
        assert figure(limburg, "cells_total").value == 5
        assert figure(limburg, "municipalities_covered").value == 5

    def test_a_joint_cell_over_two_provinces_counts_in_one_of_them(self):
        make_cells(4, province=ANTWERPEN)
        make_cells(5, province=Province.VLAAMS_BRABANT.value)
        codes = [
            make_cells(1, province=ANTWERPEN)[0].municipalities.get().nis_code,
            make_cells(1, province=Province.VLAAMS_BRABANT.value)[0].municipalities.get().nis_code,
        ]
        # The two single cells were only a way to find free codes: one joint cell takes them.
        with scopes_disabled():  # a cell's rows in every tenant table go with it
            Cell.objects.filter(municipalities__nis_code__in=codes).delete()
        from vangnet.cells.services import cell_create

        cell_create(name="Gezamenlijke cel", nis_codes=codes)
        antwerpen = insights_compute(year=this_year(), province=ANTWERPEN)
        brabant = insights_compute(year=this_year(), province=Province.VLAAMS_BRABANT.value)
        flanders = insights_compute(year=this_year())
        # One municipality in each: the tie goes to the province of the lowest NIS code.
        assert figure(antwerpen, "cells_total").value == 5
        assert figure(antwerpen, "cells_joint").value == 1
        assert figure(antwerpen, "municipalities_covered").value == 6  # both of the joint cell
        assert figure(brabant, "cells_total").value == 5
        assert figure(brabant, "municipalities_covered").value == 5
        # The provinces add up to Flanders.
        assert figure(flanders, "cells_total").value == 10
        assert figure(flanders, "municipalities_covered").value == 11

    def test_sandbox_cells_never_count(self, staff):
        cells = make_cells(5, share=ALL)
        for cell in cells:
            add_meeting(cell, staff)
            add_signals(cell, staff, 2)
        assert figure(insights_compute(year=this_year()), "cells_total").value == 5
        Cell.objects.filter(pk=cells[0].pk).update(is_sandbox=True)  # as a training cell is
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "cells_total").suppressed
        assert figure(flanders, "meetings_total").suppressed
        assert figure(flanders, "signals_total").suppressed
        assert figure(flanders, "meetings_total").basis_cells == 4

    def test_an_unknown_province_is_refused(self):
        with pytest.raises(ValueError):
            insights_compute(year=this_year(), province="99999")


class TestCaseThreshold:
    def test_nine_signals_are_suppressed_and_ten_are_shown(self, staff):
        cells = make_cells(5, province=ANTWERPEN, share=ALL)
        caw = add_organisation(cells[0], Sector.CAW)
        add_signals(cells[0], staff, MINIMUM_CASES - 1, organisation=caw)
        for insights in (
            insights_compute(year=this_year()),
            insights_compute(year=this_year(), province=ANTWERPEN),
        ):
            assert figure(insights, "signals_total").suppressed
            assert row(insights, "signals_by_origin", ".caw").suppressed
            assert series(insights, "trend_signals").rows[-1][1].suppressed
        add_signals(cells[0], staff, 1, organisation=caw)
        for insights in (
            insights_compute(year=this_year()),
            insights_compute(year=this_year(), province=ANTWERPEN),
        ):
            assert figure(insights, "signals_total").value == 10
            assert series(insights, "trend_signals").rows[-1][1].value == 10
            assert row(insights, "signals_by_origin", ".schools").suppressed  # zero: too few
            # Shown, the CAW row would tell that every other origin is zero.
            assert row(insights, "signals_by_origin", ".caw").reason == SUPPRESSED_PROTECT

    def test_nine_cases_are_suppressed_and_ten_are_shown(self, staff):
        cells = make_cells(5, share=ALL)

        def open_cases(count: int) -> None:
            with scope(cell=cells[1].pk):
                for number in range(count):
                    case_open(
                        cell=cells[1],
                        person_name=f"Persoon {number}",
                        person_birth_date=None,
                        opened_by=staff,
                    )

        open_cases(9)
        assert figure(insights_compute(year=this_year()), "cases_opened").suppressed
        open_cases(1)
        assert figure(insights_compute(year=this_year()), "cases_opened").value == 10

    def test_ten_signals_of_four_sharing_cells_stay_suppressed(self, staff):
        cells = make_cells(4, share=ALL) + make_cells(1)  # the fifth does not share signals
        add_signals(cells[0], staff, 20)
        add_signals(cells[4], staff, 20)
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "signals_total").suppressed
        assert figure(flanders, "signals_total").basis_cells == 4

    def test_suppressed_origins_are_not_left_to_be_worked_out_from_the_total(self, staff):
        cells = make_cells(5, share=ALL)
        counts = (
            (Sector.LOCAL_POLICE, 30),
            (Sector.CAW, 12),
            (Sector.SCHOOLS, 11),
            (Sector.CLB, 3),
        )
        for sector, count in counts:
            add_signals(cells[0], staff, count, organisation=add_organisation(cells[0], sector))
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "signals_total").value == 56
        assert row(flanders, "signals_by_origin", ".clb").reason == SUPPRESSED_CASES
        # 56 - 30 - 12 - 11 would give the 3 CLB signals (the other origins are zero): the
        # smallest shown origin is hidden with it, so the hidden rows together hold 14.
        assert row(flanders, "signals_by_origin", ".schools").reason == SUPPRESSED_PROTECT
        assert row(flanders, "signals_by_origin", ".caw").value == 12
        assert row(flanders, "signals_by_origin", ".local_police").value == 30

    def test_signals_of_a_small_province_cannot_be_worked_out_from_flanders(self, staff):
        big = make_cells(5, province=ANTWERPEN, share=ALL)
        small = make_cells(5, province=LIMBURG, share=ALL)
        police = add_organisation(big[0], Sector.LOCAL_POLICE)
        add_signals(big[0], staff, 20, organisation=police)
        add_signals(
            small[0], staff, 4, organisation=add_organisation(small[0], Sector.LOCAL_POLICE)
        )
        flanders = insights_compute(year=this_year())
        antwerpen = insights_compute(year=this_year(), province=ANTWERPEN)
        limburg = insights_compute(year=this_year(), province=LIMBURG)
        assert figure(flanders, "signals_total").value == 24
        assert figure(limburg, "signals_total").reason == SUPPRESSED_CASES
        # 24 - 20 would give Limburg's 4 signals.
        assert figure(antwerpen, "signals_total").reason == SUPPRESSED_PROTECT


class TestSharing:
    def test_a_cell_that_does_not_share_signals_is_not_in_the_origin_mix(self, staff):
        sharing = make_cells(5, share=ALL)
        silent = make_cells(1, share=("network", "activity", "scans"))[0]
        for cell in sharing:
            add_signals(cell, staff, 2, organisation=add_organisation(cell, Sector.CAW))
        add_signals(silent, staff, 30, organisation=add_organisation(silent, Sector.SCHOOLS))
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "signals_total").value == 10
        assert row(flanders, "signals_by_origin", ".schools").suppressed
        assert figure(flanders, "signals_total").basis_cells == 5

    def test_signals_make_a_cell_active_only_when_it_shares_them(self, staff):
        cells = make_cells(5)  # default: activity yes, signals no
        add_signals(cells[0], staff, 1)
        assert figure(insights_compute(year=this_year()), "cells_active").value == 0
        set_sharing(cells[0], ALL)
        assert figure(insights_compute(year=this_year()), "cells_active").value == 1

    def test_a_cell_that_stops_sharing_activity_leaves_the_meeting_figures(self, staff):
        cells = make_cells(5)
        for cell in cells:
            add_meeting(cell, staff)
        assert figure(insights_compute(year=this_year()), "meetings_total").value == 5
        set_sharing(cells[0], ["network"])
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "meetings_total").suppressed
        assert figure(flanders, "cells_total").value == 5  # the platform count stays


class TestFigures:
    def test_cells_without_a_meeting_for_six_months(self, staff):
        long_ago = timezone.now() - datetime.timedelta(days=200)
        cells = make_cells(5, created_at=long_ago - datetime.timedelta(days=30))
        add_meeting(cells[0], staff, starts_at=long_ago)
        add_meeting(cells[1], staff)
        make_cells(1)  # new this month: not "without a meeting for six months"
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "cells_without_meeting_6_months").value == 4
        assert figure(flanders, "cells_active").value == 2

    def test_the_share_of_cells_with_a_socio_preventive_partner(self):
        cells = make_cells(5)
        add_organisation(cells[0], Sector.CAW)
        add_organisation(cells[1], Sector.LOCAL_POLICE)
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "cells_socio_preventive_share").value == 20.0
        assert row(flanders, "partner_sectors", ".local_police").value == 20.0

    def test_scan_module_averages_need_five_cells_with_a_result(self):
        user = make_user("scan@example.org", "Scan", enrolled=False)
        cells = make_cells(5)
        for cell, value in zip(cells[:4], (3, 3, 3, 3), strict=True):
            closed_round(cell, user, value)
        four = insights_compute(year=this_year())
        assert all(f.suppressed for _label, f in series(four, "scan_modules").rows)
        closed_round(cells[4], user, 5)
        five = insights_compute(year=this_year())
        structure = row(five, "scan_modules", ".structure")
        # four cells at 50 and one at 100 → 60 (as the scans benchmark)
        assert structure.value == 60.0 and structure.basis_cells == 5
        assert series(five, "scan_modules").public  # Flanders-wide averages are open data
        province = insights_compute(
            year=this_year(), province=cells[0].municipalities.get().province_nis
        )
        assert not series(province, "scan_modules").public

    def test_trajectories_are_counted_and_hidden_in_a_province_with_few_cells(self):
        vera = make_user("coach@example.org", "Coach", platform_role="vvsg_staff", enrolled=False)
        cells = make_cells(5, province=LIMBURG)
        lonely = make_cells(1, province=ANTWERPEN)[0]
        for cell in (cells[0], lonely):
            trajectory_create(
                coach=vera,
                title="Opstart",
                category=CoachingCategory.choices[0][0],
                cells=[cell],
                started_on=timezone.localdate(),
                actor=vera,
                status=TrajectoryStatus.ACTIVE,
            )
        flanders = insights_compute(year=this_year())
        assert figure(flanders, "trajectories_total").value == 2
        assert figure(flanders, "trajectories_municipalities_reached").value == 2
        # "The one cell of Antwerpen is being coached" must not show, nor follow from
        # Flanders minus Limburg.
        antwerpen = insights_compute(year=this_year(), province=ANTWERPEN)
        assert figure(antwerpen, "trajectories_total").reason == SUPPRESSED_CELLS
        limburg = insights_compute(year=this_year(), province=LIMBURG)
        assert figure(limburg, "trajectories_total").reason == SUPPRESSED_PROTECT

    def test_trends_cover_five_years_and_only_counts(self):
        flanders = insights_compute(year=2025)
        trends = [s for s in flanders.series if s.kind == "trend"]
        assert trends and all(
            [label for label, _f in s.rows] == ["2021", "2022", "2023", "2024", "2025"]
            for s in trends
        )

    def test_every_figure_has_a_unique_key(self):
        flanders = insights_compute(year=this_year())
        keys = [f.key for f in every_figure(flanders)] + [s.key for s in flanders.series]
        assert len(keys) == len(set(keys))

    def test_a_suppressed_figure_never_carries_a_value(self, staff):
        for cell in make_cells(3, share=ALL):
            add_meeting(cell, staff)
            add_signals(cell, staff, 4)
        for insights in (
            insights_compute(year=this_year()),
            insights_compute(year=this_year(), province=ANTWERPEN),
        ):
            assert all(f.value is None for f in every_figure(insights) if f.suppressed)


class TestQueries:
    def test_the_number_of_queries_does_not_grow_with_the_cells(self, staff):
        def build(count: int) -> None:
            for cell in make_cells(count, share=ALL):
                add_meeting(cell, staff)
                add_signals(cell, staff, 2, organisation=add_organisation(cell))
                closed_round(cell, staff, 4)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                insights_compute(year=this_year())
            return len(captured.captured_queries)

        build(3)
        small = queries()
        build(6)
        assert queries() == small


def closed_round(cell: Cell, user, value: int) -> Round:
    """A closed self-evaluation round with three identical anonymous responses."""
    with scope(cell=cell.pk):
        scan_round = scan_services.round_open(
            cell=cell, title="Ronde", does_case_management=True, opened_by=user
        )
    definition = scan_round.template.definition
    answers: dict[tuple[str, str, str], tuple[int | None, str]] = {
        (m["key"], s, i["key"]): (value, "")
        for m in definition["modules"]
        for s in (m["situations"] or [""])
        for i in m["indicators"]
        if i["kind"] == "likert"
    }
    for number in range(scan_services.ANONYMITY_MINIMUM):
        with scope(cell=cell.pk):
            invitation = RespondentInvitation.objects.create(
                cell=cell, round=scan_round, token_hash=f"{scan_round.pk}-{number}", role="member"
            )
        scan_services.response_submit(invitation=invitation, answers=answers)
    with scope(cell=cell.pk):
        scan_services.round_close(scan_round=scan_round, user=user)
    return scan_round
