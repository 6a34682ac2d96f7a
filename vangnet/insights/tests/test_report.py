from __future__ import annotations

import io

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from vangnet.audit.models import AuditEvent
from vangnet.insights import report
from vangnet.insights.figures import Series
from vangnet.insights.svg import series_bar_svg
from vangnet.insights.tests._data import fig, sample, sample_areas
from vangnet.tests_support.personas import sign_in

PROVINCES = ["Antwerpen", "Vlaams-Brabant", "West-Vlaanderen", "Oost-Vlaanderen", "Limburg"]


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def fake_compute(monkeypatch):
    monkeypatch.setattr(report, "report_insights", lambda year: sample_areas(year))


def test_it_draws_an_svg_bar_per_row_and_escapes_labels(english):
    series = Series(
        key="k",
        label='Chart "<x>"',
        kind="breakdown",
        rows=[("<script>alert(1)</script>", fig("k", 10)), ("hidden", fig("k", None))],
    )
    svg = str(series_bar_svg(series))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 1  # no bar for the suppressed row
    assert "suppressed" in svg


def test_it_shows_suppressed_figures_as_a_word_never_as_a_number(english):
    assert report.figure_display(fig("x", None)) == "suppressed"
    assert report.figure_display(fig("x", 61.54, unit="%")) == "61.5 %"
    assert report.figure_display(fig("x", 0)) == "0"


def test_it_renders_the_report_html_with_title_method_provinces_trends_and_charts(english):
    flanders, provinces = sample_areas(2024)
    html = report.report_html(flanders, provinces=provinces)
    assert "annual report LIVC R 2024" in html
    assert "VVSG" in html
    assert "fewer than 5 cells" in html and "Training (sandbox) cells" in html
    for name in PROVINCES:
        assert name in html
    assert "Cells per year" in html and "Meetings by type" in html
    assert html.count("<svg") >= 2
    assert 'class="value suppressed">suppressed' in html
    assert "Case <b>" not in html and "Case &lt;b&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_it_makes_a_pdf(english):
    flanders, provinces = sample_areas(2024)
    pdf = report.report_pdf(flanders, provinces=provinces)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000


def test_it_makes_a_workbook_with_a_sheet_per_area_trends_and_notes(english):
    flanders, provinces = sample_areas(2024)
    book = load_workbook(io.BytesIO(report.report_xlsx(flanders, provinces=provinces)))
    assert book.sheetnames == ["Vlaanderen", *PROVINCES, "Trends", "Toelichting"]
    sheet = book["Vlaanderen"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Label cells_active"] == 42
    assert values["Label helpdesk_questions"] == "suppressed"  # not 0, not empty
    assert values["Strategic"] == "suppressed"
    trends = book["Trends"]
    assert trends["A1"].value == "Cells per year"
    assert [trends.cell(row=r, column=2).value for r in range(3, 8)] == [30, 31, 32, 33, 34]
    assert len(trends._charts) == 1
    notes = "\n".join(str(r[0]) for r in book["Toelichting"].iter_rows(values_only=True) if r[0])
    assert "fewer than 5 cells" in notes and "2024" in notes


def test_it_neutralises_formulas_in_the_workbook(english):
    flanders = sample(2024)
    flanders.figures.append(fig("evil", 1))
    object.__setattr__(flanders.figures[-1], "label", "=HYPERLINK(1)")
    book = load_workbook(io.BytesIO(report.report_xlsx(flanders, provinces=[])))
    labels = [row[0] for row in book["Vlaanderen"].iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in labels


# --- Views ------------------------------------------------------------------------------------


@time_machine.travel("2025-06-01 10:00 +02:00")
def test_it_gives_vvsg_staff_the_xlsx_and_audits_year_and_format(personas, client, fake_compute):
    sign_in(client, personas.vera)
    response = client.get("/support/insights/report/2024.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "vangnet-jaarrapport-2024.xlsx" in response["Content-Disposition"]
    load_workbook(io.BytesIO(response.content))
    event = AuditEvent.objects.get(action="insights.report.generated")
    assert event.data == {"year": 2024, "format": "xlsx"}
    assert event.actor_id == str(personas.vera.pk)


@time_machine.travel("2025-06-01 10:00 +02:00")
def test_it_gives_vvsg_staff_the_pdf(personas, client, fake_compute):
    sign_in(client, personas.vera)
    response = client.get("/support/insights/report/2025.pdf")  # the current year may be chosen
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.get(action="insights.report.generated").data["format"] == "pdf"


@time_machine.travel("2025-06-01 10:00 +02:00")
@pytest.mark.parametrize("path", ["2017.pdf", "2026.xlsx", "1.pdf"])
def test_it_404s_for_a_year_outside_2018_to_now(personas, client, fake_compute, path):
    sign_in(client, personas.vera)
    assert client.get(f"/support/insights/report/{path}").status_code == 404
    assert not AuditEvent.objects.filter(action="insights.report.generated").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "pim", "walter", "olaf", "mona"])
@pytest.mark.parametrize(
    "path", ["/support/insights/report/", "/support/insights/report/2024.xlsx"]
)
def test_it_refuses_the_report_to_everyone_but_vvsg_staff(
    personas, client, fake_compute, who, path
):
    sign_in(client, getattr(personas, who))
    assert client.get(path).status_code == 403
    assert not AuditEvent.objects.filter(action="insights.report.generated").exists()


@time_machine.travel("2025-06-01 10:00 +02:00")
def test_it_offers_a_form_that_leads_to_the_chosen_file(personas, client, english):
    sign_in(client, personas.vera)
    page = client.get("/support/insights/report/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="2018"' in content and 'value="2025"' in content and 'value="2026"' not in content
    response = client.get("/support/insights/report/", {"year": "2023", "format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == "/support/insights/report/2023.xlsx"


@time_machine.travel("2025-06-01 10:00 +02:00")
@pytest.mark.parametrize(
    "query", [{"year": "2017", "format": "pdf"}, {"year": "x", "format": "doc"}]
)
def test_it_answers_bad_choices_with_a_message(personas, client, english, query):
    sign_in(client, personas.vera)
    response = client.get("/support/insights/report/", query)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
