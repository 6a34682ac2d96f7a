"""VVSG's insights dashboard: Flanders-wide figures, aggregates only (issue 9).

The annual report and open-data views live in ``exports.py``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from vangnet.audit.services import audit_record
from vangnet.cells.models import Province
from vangnet.insights.figures import (
    MINIMUM_CASES,
    MINIMUM_CELLS,
    SUPPRESSED_CASES,
    SUPPRESSED_PROTECT,
    Figure,
    Series,
)
from vangnet.insights.metrics import figures_by_key, insights_compute_all
from vangnet.lib.aggregates import aggregate_cached
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.lib.widgets import FastSelect

FIRST_YEAR = 2018  # LIVC R cells exist since the law of 30 July 2018


def dashboard_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


class DashboardForm(forms.Form):
    # On every dashboard view: selects without a template per option.
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FastSelect,
    )
    province = forms.ChoiceField(label=gettext_lazy("Region"), required=False, widget=FastSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in dashboard_years()]  # type: ignore[attr-defined]
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", _("Flanders")),
            *Province.choices,
        ]


def suppression_note(figure: Figure) -> str:
    """Why a figure is suppressed, in a few words."""
    if figure.reason == SUPPRESSED_PROTECT:
        return _("hidden so that another suppressed figure cannot be worked out")
    if figure.reason == SUPPRESSED_CASES:
        return _("fewer than %(n)d signals or cases") % {"n": MINIMUM_CASES}
    return _("fewer than %(n)d cells") % {"n": MINIMUM_CELLS}


def _display(figure: Figure) -> dict[str, Any]:
    """A figure for the template: its text, or why it is suppressed."""
    if figure.suppressed or figure.value is None:
        if not figure.suppressed:
            text, note = "—", ""
        else:
            text, note = _("suppressed"), suppression_note(figure)
    else:
        value = figure.value
        number = (
            f"{value:.1f}"
            if isinstance(value, float) and not value.is_integer()
            else str(int(value))
        )
        text, note = f"{number} {figure.unit}".strip(), ""
    return {
        "key": figure.key,
        "label": figure.label,
        "text": text,
        "note": note,
        "suppressed": figure.suppressed,
        "public": figure.public,
    }


def _chart(series: Series, index: int) -> dict[str, Any]:
    values = [None if f.suppressed or f.value is None else f.value for _label, f in series.rows]
    return {
        "id": f"insights-chart-{index}",
        "type": "line" if series.kind == "trend" else "bar",
        "label": series.label,
        "kind": series.kind,
        "public": series.public,
        "rows": [(label, _display(f)) for label, f in series.rows],
        "shown": any(v is not None for v in values),
        "data": {
            "labels": [label for label, _f in series.rows],
            "unit": series.rows[0][1].unit if series.rows else "",
            "datasets": [{"label": series.label, "data": values}],
        },
    }


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Figures for a year, for Flanders or one province; VVSG staff only (others 403)."""
    if not request.user.is_vvsg_staff:
        raise PermissionDenied
    form = DashboardForm(request.GET if request.GET else None)
    year, province = timezone.localdate().year, None
    if form.is_bound:
        if form.is_valid():
            year = form.cleaned_data["year"] or year
            province = form.cleaned_data["province"] or None
        else:
            messages.warning(
                request, _("That year or region is not available; showing Flanders this year.")
            )
            form = DashboardForm(initial={"year": year, "province": ""})
    else:
        form = DashboardForm(initial={"year": year, "province": ""})
    flanders, provinces = aggregate_cached(
        f"insights:{year}", lambda: insights_compute_all(year=year)
    )
    insights = (
        flanders if province is None else next(a for a in provinces if a.province == province)
    )
    audit_record(
        action="insights.dashboard.viewed",
        request=request,
        data={"year": year, "province": province or ""},
    )
    figures = figures_by_key(insights.figures)
    cells_total = figures.get("cells_total")
    region = str(Province(province).label) if province else _("Flanders")
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "year": year,
            "region": region,
            "figures": [_display(f) for f in insights.figures],
            "charts": [_chart(s, i) for i, s in enumerate(insights.series) if s.kind != "trend"],
            "trends": [_chart(s, i) for i, s in enumerate(insights.series) if s.kind == "trend"],
            "no_cells": cells_total is None or cells_total.basis_cells == 0,
            "minimum_cells": MINIMUM_CELLS,
            "minimum_cases": MINIMUM_CASES,
        },
    )
