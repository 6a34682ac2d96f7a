"""The shape of Flanders-wide figures: what the dashboard, the annual report and open data show.

`metrics.insights_compute()` fills these; the renderers (dashboard, PDF/XLSX report, CSV/JSON open
data) only read them. A suppressed figure has no value: it rests on fewer than
`MINIMUM_CELLS` cells (or fewer than `MINIMUM_CASES` cases) and is shown as "suppressed".
"""

from __future__ import annotations

from dataclasses import dataclass, field

MINIMUM_CELLS = 5
MINIMUM_CASES = 10

SUPPRESSED_CELLS = "cells"  # rests on fewer than MINIMUM_CELLS cells
SUPPRESSED_CASES = "cases"  # counts fewer than MINIMUM_CASES signals or cases
# Hidden so that another suppressed figure cannot be worked out from it (by subtracting it
# from a total, or a province from Flanders).
SUPPRESSED_PROTECT = "protect"


@dataclass(frozen=True)
class Figure:
    key: str  # stable identifier, e.g. "cells_active" (used in open data and the dictionary)
    label: str  # translated label
    value: float | int | None  # None when suppressed
    suppressed: bool
    basis_cells: int  # how many cells the figure rests on
    unit: str = ""  # "", "%", "months", ...
    public: bool = False  # part of the open data
    # Why a figure is suppressed: SUPPRESSED_CELLS, SUPPRESSED_CASES or SUPPRESSED_PROTECT.
    reason: str = ""
    # For a figure counting signals or cases: that count, kept (also when suppressed) only so
    # that `metrics` can protect suppressed figures across areas. Never rendered or exported.
    items: int | None = field(default=None, repr=False)


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
