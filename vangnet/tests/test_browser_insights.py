"""End to end (issue 9): VVSG's insights dashboard, from the support page to the annual report.

Five real cells in Limburg share their activity and held a meeting this year; the personas'
cells (Mechelen in Antwerpen, Wingene in West-Vlaanderen) are alone in their province, and four
cells in Vlaams-Brabant complete the picture: the provinces with fewer than five cells hold six
together, so Limburg's figures can be shown without exposing theirs (Flanders minus Limburg is
no single province). Vera
(VVSG staff) follows the link from the support page, reads the Flanders figures (the key
figures table, and Chart.js charts drawn from the same figures as the tables next to them),
switches to Antwerpen where the cell figures are suppressed, tries a year that does not exist,
and downloads the annual report as a PDF. Alice (a coordinator) is refused the dashboard.

The UI language is Dutch; strings of the dashboard that are not translated yet are matched in
either language, and the markers are checked through their ``suppressed`` class.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from vangnet.cells.models import Province
from vangnet.cells.reference import municipalities_load
from vangnet.insights.figures import MINIMUM_CELLS
from vangnet.insights.tests.conftest import add_meeting, make_cells
from vangnet.meetings.models import MeetingKind
from vangnet.tests_support.browser import (
    axe_violations,
    browser_page,
    sign_in_browser,
)
from vangnet.tests_support.personas import make_personas, make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = "/support/insights/"
REPORT = "/support/insights/report/"
CELLS_ON_THE_PLATFORM = re.compile(r"^(Cellen op het platform|Cells on the platform)$")
SUPPRESSED = re.compile(r"^(onderdrukt|suppressed)$")
SUPPRESSED_NOTE = re.compile(r"^(onderdrukt|suppressed) \(")
FLANDERS = re.compile(r"Vlaanderen|Flanders")
PROVINCES = [str(label) for _value, label in Province.choices]

# Every canvas has a Chart.js chart with a drawn (non-empty) bitmap.
CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll("canvas[data-chart]"));
  return canvases.length > 0 && typeof window.Chart === "function" && canvases.every(
    (c) => window.Chart.getChart(c) !== undefined && c.width > 0 && c.height > 0
  );
}"""
# What each chart drew: its labels and values, and the rows of the table next to it.
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart.getChart(canvas);
  const table = canvas.closest(".scan-chart").nextElementSibling;
  return {
    type: chart.config.type,
    labels: chart.data.labels,
    data: chart.data.datasets[0].data,
    rows: Array.from(table.querySelectorAll("tbody tr")).map((tr) => ({
      label: tr.querySelector("th").innerText,
      suppressed: tr.classList.contains("suppressed"),
      value: tr.querySelector("td").innerText,
    })),
  };
})"""


def figures_row(page, label: re.Pattern[str]) -> Any:
    rows = page.locator("main table.insights-figures tbody tr").filter(
        has=page.locator("th", has_text=label)
    )
    assert rows.count() == 1, rows.all_inner_texts()
    return rows


def test_vvsg_staff_reads_flanders_figures_switches_region_and_downloads_the_report(
    live_server,
):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    year = timezone.localdate().year
    chair = make_user("chair@example.org", "Voorzitter", enrolled=False)
    # A meeting held this year (ten days ago, or on 1 January early in the year).
    start_of_year = timezone.make_aware(dt.datetime(year, 1, 1, 0, 30))
    held = max(timezone.now() - dt.timedelta(days=10), start_of_year)
    limburg = make_cells(MINIMUM_CELLS, province=Province.LIMBURG.value, share=("activity",))
    for cell in limburg:
        add_meeting(cell, chair, starts_at=held)
    make_cells(MINIMUM_CELLS - 1, province=Province.VLAAMS_BRABANT.value)
    with scopes_disabled():
        assert personas.mechelen.municipalities.get().province_nis == Province.ANTWERPEN.value

    with browser_page() as page:
        # 1. From the support page to the dashboard: Flanders, this year.
        sign_in_browser(page, base, "vera@example.org", "**/support/")
        with page.expect_navigation():
            page.locator(f'main a[href="{DASHBOARD}"]').click()
        assert page.url == f"{base}{DASHBOARD}"
        assert re.search(FLANDERS, page.locator("main h1").inner_text())
        assert str(year) in page.locator("main h1").inner_text()

        # The key figures: eleven cells on the platform (Limburg 5, Vlaams-Brabant 4, the two
        # personas').
        cells_row = figures_row(page, CELLS_ON_THE_PLATFORM)
        assert cells_row.locator("td").first.inner_text() == "11"
        assert cells_row.get_attribute("class") is None

        # Every chart is drawn by Chart.js, from the figures in the table next to it.
        page.wait_for_function(CHARTS_DRAWN, timeout=10_000)
        charts = page.evaluate(CHARTS)
        for chart in charts:
            assert [row["label"] for row in chart["rows"]] == chart["labels"], chart
            for value, row in zip(chart["data"], chart["rows"], strict=True):
                # A suppressed figure is a gap in the chart (never a 0) and marked in the table.
                assert (value is None) == row["suppressed"], chart
                if value is None:
                    assert re.match(SUPPRESSED_NOTE, row["value"]), row
                else:
                    assert row["value"].split()[0] == f"{value:g}", row
        by_labels = {tuple(chart["labels"]): chart for chart in charts}
        with translation.override("nl"):
            meeting_kinds = tuple(str(label) for _value, label in MeetingKind.choices)
        assert by_labels[meeting_kinds]["type"] == "bar"
        assert by_labels[meeting_kinds]["data"] == [
            MINIMUM_CELLS if kind == MeetingKind.CASE else 0 for kind in MeetingKind.values
        ]
        per_province = dict(zip(PROVINCES, by_labels[tuple(PROVINCES)]["data"], strict=True))
        assert per_province == {
            name: MINIMUM_CELLS if name == "Limburg" else None for name in PROVINCES
        }
        trends = [chart for chart in charts if chart["type"] == "line"]
        assert trends and all(chart["labels"][-1] == str(year) for chart in trends)
        assert [chart["data"][-1] for chart in trends][:2] == [11, MINIMUM_CELLS]  # cells, meetings
        assert axe_violations(page) == []

        # 2. Antwerpen has one cell: its cell figures are suppressed, and say so.
        page.select_option("main select[name=province]", Province.ANTWERPEN.value)
        with page.expect_navigation():
            page.locator(f'main form[action="{DASHBOARD}"] button[type=submit]').click()
        assert f"province={Province.ANTWERPEN.value}" in page.url
        assert "Antwerpen" in page.locator("main h1").inner_text()
        cells_row = figures_row(page, CELLS_ON_THE_PLATFORM)
        assert cells_row.get_attribute("class") == "suppressed"
        assert re.fullmatch(SUPPRESSED, cells_row.locator("td em").inner_text())
        assert str(MINIMUM_CELLS) in cells_row.locator("td small").inner_text()
        suppressed = page.locator("main table.insights-figures tbody tr.suppressed")
        assert suppressed.count() >= 3
        for text in suppressed.locator("td em").all_inner_texts():
            assert re.fullmatch(SUPPRESSED, text), text
        assert page.locator("main select[name=province]").input_value() == (
            Province.ANTWERPEN.value
        )
        assert axe_violations(page) == []

        # 3. A year that does not exist: a warning, and Flanders this year again (no error).
        response = page.goto(f"{base}{DASHBOARD}?year=1900")
        assert response is not None and response.status == 200
        assert page.locator("main .message-warning").count() == 1
        assert re.search(FLANDERS, page.locator("main h1").inner_text())
        assert page.locator("main select[name=year]").input_value() == str(year)
        assert page.locator("main select[name=province]").input_value() == ""
        assert figures_row(page, CELLS_ON_THE_PLATFORM).locator("td").first.inner_text() == "11"

        # 4. The annual report of this year as a PDF.
        with page.expect_navigation():
            page.locator(f'main a[href="{REPORT}"]').click()
        assert page.url == f"{base}{REPORT}"
        assert axe_violations(page) == []
        form = page.locator(f'main form[action="{REPORT}"]')
        form.locator("select[name=year]").select_option(str(year))
        form.locator("input[type=radio][name=format][value=pdf]").check()
        with page.expect_download() as download_info:
            form.locator("button[type=submit]").click()
        download = download_info.value
        assert download.suggested_filename == f"vangnet-jaarrapport-{year}.pdf"
        content = download.path().read_bytes()
        assert content.startswith(b"%PDF"), content[:20]
        assert len(content) > 1000

    # 5. A coordinator is refused the dashboard and the report.
    client = Client()
    sign_in(client, personas.alice)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"{REPORT}{year}.pdf").status_code == 403
