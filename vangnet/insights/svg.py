"""Simple bar charts as inline SVG, drawn on the server (a PDF cannot run Chart.js).

Every label is escaped; a suppressed row gets no bar, only the word "suppressed".
No external assets, no fonts beyond the generic sans-serif family.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vangnet.insights.figures import Series

ROW_HEIGHT = 18
LABEL_WIDTH = 170
BAR_AREA = 300
VALUE_WIDTH = 90
BAR_COLOUR = "#1e5aa8"


def _number(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def series_bar_svg(series: Series) -> SafeString:
    """A horizontal bar chart of one series: one bar per row, suppressed rows marked."""
    rows = series.rows
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = max(1, len(rows)) * ROW_HEIGHT + 6
    values = [float(f.value) for _label, f in rows if f.value is not None and not f.suppressed]
    top = max([v for v in values if v > 0], default=1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(series.label)}">'
    ]
    suppressed = escape(_("suppressed"))
    for index, (label, figure) in enumerate(rows):
        y = index * ROW_HEIGHT + 3
        text_y = y + ROW_HEIGHT - 6
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" font-size="9" '
            f'font-family="sans-serif">{escape(short)}</text>'
        )
        if figure.suppressed or figure.value is None:
            parts.append(
                f'<text x="{LABEL_WIDTH + 2}" y="{text_y}" font-size="9" font-style="italic" '
                f'fill="#555" font-family="sans-serif">{suppressed}</text>'
            )
            continue
        length = max(0.0, float(figure.value)) / top * BAR_AREA
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 5}" fill="{BAR_COLOUR}"/>'
        )
        value = escape(_number(figure.value) + (f" {figure.unit}" if figure.unit else ""))
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{text_y}" font-size="9" '
            f'font-family="sans-serif">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
