"""Views: the annual report for VVSG staff, and the public open data with its dictionary."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from vangnet.audit.services import audit_record
from vangnet.insights import opendata, report
from vangnet.insights.figures import MINIMUM_CASES, MINIMUM_CELLS
from vangnet.insights.models import Publication
from vangnet.insights.services import publication_for_year
from vangnet.lib.typealias import AuthenticatedHttpRequest

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (to print or hand out)")), ("xlsx", _("XLSX (spreadsheet)"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        years = list(reversed(report.report_years()))
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in years]
        field.initial = years[1] if len(years) > 1 else years[0]


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_vvsg_staff:
        raise PermissionDenied


@require_GET
def report_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """VVSG staff pick a year and a format; a valid choice leads to the file."""
    _require_staff(request)
    form = ReportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        name = "insights:report_" + form.cleaned_data["format"]
        return redirect(name, year=form.cleaned_data["year"])
    status = 400 if form.is_bound else 200
    context = {"form": form, "minimum_cells": MINIMUM_CELLS, "minimum_cases": MINIMUM_CASES}
    return render(request, "insights/report.html", context, status=status)


def _report(request: AuthenticatedHttpRequest, year: int, fmt: str) -> HttpResponse:
    _require_staff(request)
    if year not in report.report_years():
        raise Http404
    flanders, provinces = report.report_insights(year)
    if fmt == "pdf":
        content = report.report_pdf(flanders, provinces=provinces)
    else:
        content = report.report_xlsx(flanders, provinces=provinces)
    audit_record(
        action="insights.report.generated", request=request, data={"year": year, "format": fmt}
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="vangnet-jaarrapport-{year}.{fmt}"'
    return response


@require_GET
def report_pdf(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    return _report(request, year, "pdf")


@require_GET
def report_xlsx(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    return _report(request, year, "xlsx")


# --- Open data (public) -----------------------------------------------------------------------
# A published year is computed once and stored (``models.Publication``): anonymous requests
# cost one indexed read, and a later change in what a cell shares cannot alter a published
# year (comparing two downloads would otherwise single out that cell). The project's
# NoStoreMiddleware still marks the responses no-store.


@login_not_required
@require_safe
def opendata_index(request: HttpRequest) -> HttpResponse:
    context = {
        "years": list(reversed(opendata.opendata_years())),
        "entries": opendata.dictionary_entries(),
        "licence": opendata.LICENCE,
        "suppression_nl": opendata.SUPPRESSION_NL,
        "suppression_en": opendata.SUPPRESSION_EN,
        "columns": opendata.CSV_COLUMNS,
    }
    return render(request, "insights/opendata.html", context)


def _published(year: int) -> Publication:
    if year not in opendata.opendata_years():
        raise Http404
    return publication_for_year(year)


@login_not_required
@require_safe
def opendata_csv(request: HttpRequest, year: int) -> HttpResponse:
    response = HttpResponse(_published(year).csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vangnet-figures-{year}.csv"'
    return response


@login_not_required
@require_safe
def opendata_json(request: HttpRequest, year: int) -> HttpResponse:
    return HttpResponse(_published(year).json, content_type="application/json; charset=utf-8")


@login_not_required
@require_safe
def opendata_dictionary(request: HttpRequest) -> HttpResponse:
    return HttpResponse(opendata.dictionary_json(), content_type="application/json; charset=utf-8")
