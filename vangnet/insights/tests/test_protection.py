"""Secondary suppression: no suppressed figure can be worked out from the figures shown, by
subtracting provinces from Flanders, rows from a total, or comparing years (issue 9)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vangnet.cells.models import Province
from vangnet.cells.services import cell_create
from vangnet.insights.figures import (
    MINIMUM_CASES,
    MINIMUM_CELLS,
    SUPPRESSED_PROTECT,
    Figure,
    Insights,
)
from vangnet.insights.metrics import insights_compute, insights_compute_all
from vangnet.insights.tests.conftest import (
    add_meeting,
    add_organisation,
    add_signals,
    free_codes,
    make_cells,
)
from vangnet.insights.tests.test_metrics import ALL, closed_round, figure, row, this_year
from vangnet.network.models import Sector
from vangnet.tests_support.personas import make_user

ANTWERPEN = Province.ANTWERPEN.value
BRABANT = Province.VLAAMS_BRABANT.value
LIMBURG = Province.LIMBURG.value


def _all_figures(area: Insights) -> dict[str, Figure]:
    out = {f.key: f for f in area.figures}
    for series in area.series:
        out.update({f.key: f for _label, f in series.rows})
    return out


def assert_no_province_follows_from_flanders(flanders: Insights, provinces: list[Insights]):
    """For every figure about cells shown for Flanders: the provinces hidden for it are none,
    or at least two that together rest on at least five cells (and ten signals or cases)."""
    whole = _all_figures(flanders)
    parts = [_all_figures(area) for area in provinces]
    for key, total in whole.items():
        if total.suppressed or total.basis_cells == 0:
            continue
        hidden = [p[key] for p in parts if key in p and p[key].suppressed]
        hidden = [f for f in hidden if f.basis_cells > 0]
        if not hidden:
            continue
        assert len(hidden) >= 2, key
        assert sum(f.basis_cells for f in hidden) >= MINIMUM_CELLS, key
        if total.items is not None:
            assert sum(f.items or 0 for f in hidden) >= MINIMUM_CASES, key


def test_joint_cells_are_not_counted_twice_when_provinces_are_hidden(staff):
    # Three joint cells over Antwerpen and Vlaams-Brabant, five cells in Limburg. Counted in
    # both provinces, the joint cells would look like six and Flanders minus Limburg would
    # give their figures; each cell counts in one province, so Limburg is hidden too.
    antwerpen, brabant = free_codes(3, ANTWERPEN), free_codes(3, BRABANT)
    joint = [
        cell_create(name=f"Gezamenlijk {n}", nis_codes=[a, b])
        for n, (a, b) in enumerate(zip(antwerpen, brabant, strict=True))
    ]
    for cell in joint + make_cells(5, province=LIMBURG):
        add_meeting(cell, staff)
    flanders, provinces = insights_compute_all(year=this_year())
    assert figure(flanders, "meetings_total").value == 8
    by_province = {area.province: area for area in provinces}
    assert figure(by_province[ANTWERPEN], "cells_total").basis_cells == 3
    assert figure(by_province[BRABANT], "cells_total").basis_cells == 0
    assert figure(by_province[LIMBURG], "meetings_total").reason == SUPPRESSED_PROTECT
    assert_no_province_follows_from_flanders(flanders, provinces)


def test_a_province_without_self_evaluations_does_not_skip_the_protection(db):
    user = make_user("scan@example.org", "Scan", enrolled=False)
    for cell in make_cells(3, province=ANTWERPEN):
        closed_round(cell, user, 1)
    for cell in make_cells(5, province=BRABANT):
        closed_round(cell, user, 5)
    flanders, provinces = insights_compute_all(year=this_year())
    assert not row(flanders, "scan_modules", ".structure").suppressed
    brabant = next(area for area in provinces if area.province == BRABANT)
    # Flanders (8 cells) and Brabant (5) would give Antwerpen's 3-cell average.
    assert row(brabant, "scan_modules", ".structure").reason == SUPPRESSED_PROTECT
    assert_no_province_follows_from_flanders(flanders, provinces)


def test_a_figure_hidden_to_protect_a_row_cannot_be_worked_out_from_flanders(staff):
    antwerpen = make_cells(5, province=ANTWERPEN, share=ALL)
    brabant = make_cells(5, province=BRABANT, share=ALL)
    police = add_organisation(antwerpen[0], Sector.LOCAL_POLICE)
    add_signals(antwerpen[0], staff, 3, organisation=police)
    schools = add_organisation(antwerpen[1], Sector.SCHOOLS)
    add_signals(antwerpen[1], staff, 12, organisation=schools)
    add_signals(brabant[0], staff, 20, organisation=add_organisation(brabant[0], Sector.SCHOOLS))
    add_signals(brabant[1], staff, 15, organisation=add_organisation(brabant[1], Sector.CAW))
    flanders, provinces = insights_compute_all(year=this_year())
    by_province = {area.province: area for area in provinces}
    # In Antwerpen, schools (12) is hidden so that police (3) does not follow from the total.
    assert row(by_province[ANTWERPEN], "signals_by_origin", ".schools").reason == (
        SUPPRESSED_PROTECT
    )
    # Flanders shows schools (32); minus Brabant's 20 it would give Antwerpen's 12, and with it
    # Antwerpen's police signals: Brabant's schools row is hidden as well.
    assert row(flanders, "signals_by_origin", ".schools").value == 32
    brabant_schools = row(by_province[BRABANT], "signals_by_origin", ".schools")
    assert brabant_schools.reason == SUPPRESSED_PROTECT
    assert_no_province_follows_from_flanders(flanders, provinces)


def test_a_cell_created_later_adds_nothing_to_an_earlier_trend_row(staff):
    last_year = this_year() - 1
    early = timezone.make_aware(datetime.datetime(last_year, 2, 1))
    cells = make_cells(5, share=ALL, created_at=early)
    police = add_organisation(cells[0], Sector.LOCAL_POLICE)
    add_signals(
        cells[0], staff, 10, organisation=police, received_on=datetime.date(last_year, 6, 1)
    )
    newcomer = make_cells(1, share=ALL)[0]  # this year, entering last year's signals
    add_signals(newcomer, staff, 3, received_on=datetime.date(last_year, 7, 1))
    past = insights_compute(year=last_year)
    assert figure(past, "signals_total").value == 10
    trend = row(insights_compute(year=this_year()), "trend_signals", f".{last_year}")
    assert trend.value == 10 and trend.basis_cells == 5


def test_many_mixed_provinces_leave_no_province_to_be_worked_out(staff):
    """A broader mix: provinces of 1 to 6 cells, signals of several origins, meetings."""
    sizes = {ANTWERPEN: 6, BRABANT: 2, LIMBURG: 1, Province.OOST_VLAANDEREN.value: 5}
    counts = [3, 12, 0, 7, 25, 1]
    index = 0
    for province, size in sizes.items():
        for cell in make_cells(size, province=province, share=ALL):
            add_meeting(cell, staff)
            sector = (Sector.LOCAL_POLICE, Sector.CAW, Sector.SCHOOLS)[index % 3]
            count = counts[index % len(counts)]
            if count:
                add_signals(cell, staff, count, organisation=add_organisation(cell, sector))
            index += 1
    flanders, provinces = insights_compute_all(year=this_year())
    assert figure(flanders, "cells_total").value == 14
    assert_no_province_follows_from_flanders(flanders, provinces)
    # And within each area, the hidden origins never stand alone against a shown total.
    for area in (flanders, *provinces):
        total = figure(area, "signals_total")
        if total.suppressed:
            continue
        origins = next(s for s in area.series if s.key == "signals_by_origin").rows
        hidden = [f for _label, f in origins if f.suppressed]
        assert not hidden or (
            len(hidden) >= 2 and sum(f.items or 0 for f in hidden) >= MINIMUM_CASES
        )
