"""The annual report for a chosen year: a PDF (WeasyPrint) and an XLSX workbook (openpyxl).

Both only read `Insights` (aggregates computed by `metrics.insights_compute`): never a case, a
person or a free text. A suppressed figure shows the word "suppressed", never a number or 0.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.cells.models import Province
from vangnet.insights.figures import MINIMUM_CASES, MINIMUM_CELLS, Figure, Insights, Series
from vangnet.insights.svg import series_bar_svg
from vangnet.lib.pdf import html_to_pdf
from vangnet.lib.spreadsheet import spreadsheet_safe

FIRST_YEAR = 2018  # LIVC R cells exist since 2018; earlier years have no figures.


def report_years() -> range:
    """The years a report can be made for: 2018 up to and including the current year."""
    return range(FIRST_YEAR, timezone.localdate().year + 1)


def report_insights(year: int) -> tuple[Insights, list[Insights]]:
    """Flanders and each province for one year (computed, suppression applied)."""
    from vangnet.insights.metrics import insights_compute_all

    return insights_compute_all(year=year)


def province_name(code: str | None) -> str:
    if code is None:
        return _("Flanders")
    try:
        return str(Province(code).label)
    except ValueError:
        return code


def figure_display(figure: Figure) -> str:
    """The value as text: "suppressed" for a suppressed figure, else the number and unit."""
    if figure.suppressed or figure.value is None:
        return _("suppressed")
    value = figure.value
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.1f}"
    else:
        text = str(int(value))
    return f"{text} {figure.unit}".strip() if figure.unit else text


def method_paragraphs() -> list[str]:
    return [
        _(
            "This report contains aggregates only. They are computed from non-personal data "
            "(counts, dates, categories and scores) and never show a case, a person or a "
            "free text."
        ),
        _(
            "A figure that rests on fewer than %(cells)d cells, or on fewer than %(cases)d "
            "cases, is suppressed and marked as such: it is not shown, not even as 0."
        )
        % {"cells": MINIMUM_CELLS, "cases": MINIMUM_CASES},
        _(
            "Some figures above the thresholds are suppressed too, so that a suppressed "
            "figure cannot be worked out by subtracting: a province from Flanders, or the "
            "shown rows of a breakdown from its total. A figure for a past year counts only "
            "the cells that existed then."
        ),
        _(
            "Each cell decides which categories of its figures it shares with VVSG; figures "
            "of a cell count only in the categories it shares. Training (sandbox) cells used "
            "for tabletop exercises never count."
        ),
    ]


@dataclass(frozen=True)
class _Row:
    label: str
    display: str
    suppressed: bool


def _rows(figures: Sequence[Figure]) -> list[_Row]:
    return [_Row(f.label, figure_display(f), f.suppressed or f.value is None) for f in figures]


def _series_block(series: Series) -> dict[str, Any]:
    return {
        "label": series.label,
        "kind": series.kind,
        "svg": series_bar_svg(series),
        "rows": [
            _Row(label, figure_display(f), f.suppressed or f.value is None)
            for label, f in series.rows
        ],
    }


def report_context(flanders: Insights, provinces: Sequence[Insights]) -> dict[str, Any]:
    return {
        "year": flanders.year,
        "generated_on": timezone.localdate(),
        "method": method_paragraphs(),
        "flanders_rows": _rows(flanders.figures),
        "breakdowns": [_series_block(s) for s in flanders.series if s.kind != "trend"],
        "trends": [_series_block(s) for s in flanders.series if s.kind == "trend"],
        "provinces": [
            {
                "name": province_name(p.province),
                "rows": _rows(p.figures),
                "breakdowns": [_series_block(s) for s in p.series if s.kind != "trend"],
            }
            for p in provinces
        ],
    }


def report_html(flanders: Insights, *, provinces: Sequence[Insights]) -> str:
    """The report as self-contained HTML (inline CSS and SVG), the input for the PDF."""
    return render_to_string("insights/report_pdf.html", report_context(flanders, provinces))


def report_pdf(flanders: Insights, *, provinces: Sequence[Insights]) -> bytes:
    """The annual report as PDF, rendered by WeasyPrint without any network access."""
    return html_to_pdf(report_html(flanders, provinces=provinces))


# --- XLSX -------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Drop what XLSX cannot hold first, then neutralise (the other order lets "\x01=" through).
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return spreadsheet_safe(value)


def _value(figure: Figure) -> Any:
    if figure.suppressed or figure.value is None:
        return _("suppressed")
    return figure.value


def _figures_sheet(workbook: Any, title: str, insights: Insights) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    sheet.append([_cell(f"{province_name(insights.province)} {insights.year}")])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append([_("Figure"), _("Value"), _("Unit"), _("Key")])
    for cell in sheet[3]:
        cell.font = bold
    for f in insights.figures:
        sheet.append([_cell(f.label), _cell(_value(f)), _cell(f.unit), _cell(f.key)])
    for series in insights.series:
        if series.kind == "trend":
            continue
        sheet.append([])
        sheet.append([_cell(series.label)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for label, f in series.rows:
            sheet.append([_cell(label), _cell(_value(f)), _cell(f.unit), _cell(series.key)])
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["D"].width = 28


def _trends_sheet(workbook: Any, flanders: Insights) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title="Trends")
    bold = Font(bold=True)
    trends = [s for s in flanders.series if s.kind == "trend"]
    if not trends:
        sheet.append([_("No trends for this year.")])
        return
    row = 1
    for series in trends:
        sheet.cell(row=row, column=1, value=_cell(series.label)).font = bold
        sheet.cell(row=row + 1, column=1, value=_("Year")).font = bold
        sheet.cell(row=row + 1, column=2, value=_("Value")).font = bold
        first = row + 2
        for offset, (label, f) in enumerate(series.rows):
            sheet.cell(row=first + offset, column=1, value=_cell(label))
            sheet.cell(row=first + offset, column=2, value=_cell(_value(f)))
        last = first + max(len(series.rows), 1) - 1
        if series.rows:
            chart = BarChart()
            chart.title = _cell(series.label)
            chart.legend = None
            chart.height = 6
            chart.width = 14
            chart.add_data(Reference(sheet, min_col=2, min_row=first, max_row=last))
            chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
            sheet.add_chart(chart, f"D{row}")
        row = max(last + 2, row + 14)  # leave room for the chart
    sheet.column_dimensions["A"].width = 40


def _notes_sheet(workbook: Any, year: int) -> None:
    sheet = workbook.create_sheet(title="Toelichting")
    sheet.append([_cell(_("Vangnet: annual report LIVC R %(year)d") % {"year": year})])
    sheet.append([_cell(_("VVSG"))])
    sheet.append([])
    for paragraph in method_paragraphs():
        sheet.append([_cell(paragraph)])
    sheet.append([])
    sheet.append([_cell(_('"%(word)s" marks a suppressed figure.') % {"word": _("suppressed")})])
    sheet.column_dimensions["A"].width = 120


def report_xlsx(flanders: Insights, *, provinces: Sequence[Insights]) -> bytes:
    """The annual report as a workbook: Vlaanderen, one sheet per province, Trends, Toelichting."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    _figures_sheet(workbook, "Vlaanderen", flanders)
    for insights in provinces:
        _figures_sheet(workbook, province_name(insights.province), insights)
    _trends_sheet(workbook, flanders)
    _notes_sheet(workbook, flanders.year)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
