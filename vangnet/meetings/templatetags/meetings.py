"""Template tags of the meeting pages."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from vangnet.lib.markup import written
from vangnet.lib.templatefilters import RememberedCsrfTokenNode

register = template.Library()


@register.simple_tag(takes_context=True)
def agenda_items(
    context: Context, agenda: list[tuple[Any, str, str, str]], manage: bool
) -> SafeString:
    """The items of a meeting's agenda: ``agenda`` of (item, its URL, its move URL, its remove
    URL); with ``manage``, the forms to move and remove each (with the page's CSRF field).

    Built here rather than in the template: two forms per item were a fifth of the agenda's
    time in the template engine (issue 11). The same markup as the template wrote."""
    csrf = RememberedCsrfTokenNode().render(context) if manage else ""
    up, down, remove = (written(gettext(text)) for text in ("Move up", "Move down", "Remove"))
    parts = []
    for item, url, move_url, remove_url in agenda:
        if item.case:
            title = f"{written(item.kind_label)}: {written(item.case.code)}"
        else:
            title = written(item.title)
        forms = ""
        if manage:
            button = '\n        <button type="submit" name="direction" class="secondary outline"'
            forms = (
                f'\n      <form method="post" action="{written(move_url)}" class="inline-form">'
                f'{csrf}{button} value="up" aria-label="{up}">↑</button>'
                f'{button} value="down" aria-label="{down}">↓</button>'
                "\n      </form>"
                f'\n      <form method="post" action="{written(remove_url)}" class="inline-form">'
                f'{csrf}<button type="submit" class="secondary outline">{remove}</button></form>'
            )
        parts.append(f'<li>\n      <a href="{written(url)}">{title}</a>{forms}\n    </li>')
    # Every value above is escaped (written); the rest is fixed markup.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def attendance_boxes(invitees: list[tuple[Any, str]], present: Container[Any]) -> SafeString:
    """A checkbox per invitee, ticked for those marked present (``invitees``: (id, name))."""
    return mark_safe(  # noqa: S308  (every value escaped)
        "".join(
            f'\n      <label><input type="checkbox" name="present" value="{written(person_id)}"'
            f"{' checked' if person_id in present else ''}> {written(name)}</label>"
            for person_id, name in invitees
        )
    )
