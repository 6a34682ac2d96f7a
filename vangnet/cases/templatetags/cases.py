"""Template tags of the case pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from vangnet.lib.markup import written

register = template.Library()


@register.simple_tag
def factor_rows(dimensions: list[tuple[str, Any, Any, Any]], manage: bool) -> SafeString:
    """The rows of the case page's checklist: per dimension, its risk and its protective
    factor, each a checkbox and a headline note for those who manage the case, the note (or a
    dash) for the others. ``dimensions``: (value, label, risk factor or None, protective
    factor or None).

    Built here rather than in the template: nine rows of two cells with a dozen values each
    were a tenth of the case page's time in the template engine (issue 11)."""
    present, note = written(gettext("present")), written(gettext("Note"))
    kinds = (
        ("risk", written(gettext("risk factor"))),
        ("protective", written(gettext("protective factor"))),
    )
    rows = []
    for value, label, *factors in dimensions:
        name, text = written(value), written(label)
        cells = []
        for (kind, kind_label), factor in zip(kinds, factors, strict=True):
            if manage:
                checked = " checked" if factor else ""
                shown = written(factor.note) if factor else ""
                cells.append(
                    f'<td><label><input type="checkbox" name="{name}__{kind}"{checked}> '
                    f'{present}</label><input type="text" name="{name}__{kind}__note" '
                    f'value="{shown}" aria-label="{note}: {text}, {kind_label}" maxlength="500">'
                    "</td>"
                )
            else:
                cells.append(f"<td>✔ {written(factor.note)}</td>" if factor else "<td>—</td>")
        rows.append(f'<tr>\n  <th scope="row">{text}</th>\n  {cells[0]}\n  {cells[1]}\n</tr>')
    # Every value above is escaped (written); the rest is fixed markup.
    return mark_safe("".join(rows))  # noqa: S308
