"""Hand-made Insights for the renderer tests (no database needed)."""

from __future__ import annotations

from vangnet.cells.models import Province
from vangnet.insights.figures import Figure, Insights, Series


def fig(key: str, value: float | int | None, *, public: bool = True, unit: str = "") -> Figure:
    return Figure(
        key=key,
        label=f"Label {key}",
        value=value,
        suppressed=value is None,
        basis_cells=3 if value is None else 12,
        unit=unit,
        public=public,
    )


def sample(year: int = 2024, province: str | None = None) -> Insights:
    """Public and internal figures, a suppressed one, a breakdown and a trend."""
    return Insights(
        year=year,
        province=province,
        figures=[
            fig("cells_active", 42),
            fig("partner_share", 61.5, unit="%"),
            fig("helpdesk_questions", None),  # suppressed
            fig("internal_only", 7, public=False),
        ],
        series=[
            Series(
                key="meetings_by_type",
                label="Meetings by type",
                kind="breakdown",
                rows=[("Case <b>&", fig("meetings_by_type", 30)), ("Strategic", fig("m", None))],
                public=True,
            ),
            Series(
                key="cells_trend",
                label="Cells per year",
                kind="trend",
                rows=[(str(y), fig("cells_trend", 30 + y - 2020)) for y in range(2020, year + 1)],
                public=True,
            ),
            Series(
                key="internal_series",
                label="Internal",
                kind="breakdown",
                rows=[("x", fig("internal_series", 5, public=False))],
                public=False,
            ),
        ],
    )


def sample_areas(year: int = 2024) -> tuple[Insights, list[Insights]]:
    return sample(year), [sample(year, p.value) for p in Province]
