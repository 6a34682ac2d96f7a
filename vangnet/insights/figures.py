"""The shape of Flanders-wide figures: what the dashboard, the annual report and open data show.

`metrics.insights_compute()` fills these; the renderers (dashboard, PDF/XLSX report, CSV/JSON open
data) only read them. A suppressed figure has no value: it rests on fewer than
`MINIMUM_CELLS` cells (or fewer than `MINIMUM_CASES` cases) and is shown as "suppressed".
"""

from __future__ import annotations

from dataclasses import dataclass, field

MINIMUM_CELLS = 5
MINIMUM_CASES = 10


@dataclass(frozen=True)
class Figure:
    key: str  # stable identifier, e.g. "cells_active" (used in open data and the dictionary)
    label: str  # translated label
    value: float | int | None  # None when suppressed
    suppressed: bool
    basis_cells: int  # how many cells the figure rests on
    unit: str = ""  # "", "%", "months", ...
    public: bool = False  # part of the open data


@dataclass(frozen=True)
class Series:
    """A breakdown or a trend: one figure per row label (a year, a province, a type...)."""

    key: str
    label: str
    kind: str  # "trend" (rows are years), "breakdown" (types, origins) or "province"
    rows: list[tuple[str, Figure]]
    public: bool = False


@dataclass(frozen=True)
class Insights:
    year: int
    province: str | None  # a Province value (NIS code) or None for Flanders
    figures: list[Figure] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
