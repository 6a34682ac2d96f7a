"""Template tags of the case pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from vangnet.lib.markup import csrf_field, written
from vangnet.lib.templatefilters import date

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


@register.simple_tag(takes_context=True)
def participant_rows(
    context: template.Context, participants: list[tuple[Any, str]], manage: bool
) -> SafeString:
    """The rows of the case page's participants: ``participants`` of (participant, the URL
    that removes them); the remove button only for those who manage the case.

    Built here for the reason of ``factor_rows``: a dozen values per row through the
    template engine (issue 11)."""
    manager = f' <span class="badge badge-ok">{written(gettext("case manager"))}</span>'
    until = written(gettext("until action"))
    # The markup around each row's URL (no str.format: a translation may contain braces).
    remove_before = '<td><form method="post" action="'
    remove_after = (
        f'" class="inline-form">{csrf_field(context)}'
        '<button type="submit" class="secondary outline">'
        f"{written(gettext('Remove'))}</button></form></td>"
    )
    rows = []
    for participant, url in participants:
        who = "".join(
            (
                written(participant.organisation.name) if participant.organisation else "",
                written(participant.user.full_name) if participant.user else "",
                manager if participant.is_case_manager else "",
            )
        )
        action = participant.until_action
        ends = f"{until} {written(date(action.due_date, 'DATE_FORMAT'))}" if action else "—"
        rows.append(
            f"<tr>\n      <td>{who}</td>\n      <td>{written(participant.reason)}</td>\n"
            f"      <td>{ends}</td>\n"
            + (f"      {remove_before}{written(url)}{remove_after}\n" if manage else "")
            + "    </tr>"
        )
    # Every value above is escaped (written); the rest is fixed markup.
    return mark_safe("".join(rows))  # noqa: S308


@register.simple_tag(takes_context=True)
def action_rows(
    context: template.Context,
    actions: list[tuple[Any, str]],
    case_open: bool,
    manage: bool,
    my_organisations: Any,
    today: Any,
) -> SafeString:
    """The rows of the case page's action plan: ``actions`` of (action, the URL that marks it
    done). Overdue open actions are flagged; the "mark done" button shows on an open case's
    open actions for those who manage the case or whose organisation owns the action."""
    secret_text = gettext("another professional's secret: left out of an access export")
    secret = f' <small class="muted">({written(secret_text)})</small>'
    done_before = '\n        <form method="post" action="'
    done_after = (
        f'" class="inline-form">{csrf_field(context)}'
        '<input type="hidden" name="status" value="done">'
        '<button type="submit" class="secondary outline">'
        f"{written(gettext('Mark done'))}</button></form>\n        "
    )
    rows = []
    for action, url in actions:
        due = written(date(action.due_date, "DATE_FORMAT"))
        is_open = action.status == "open"
        if is_open and action.due_date < today:
            due = f'<span class="badge badge-warn">{due}</span>'
        done = ""
        if case_open and is_open and (manage or action.owner_id in my_organisations):
            done = f"{done_before}{written(url)}{done_after}"
        rows.append(
            "<tr>\n"
            f"      <td>{written(action.owner.name)}</td><td>{written(action.description)}"
            f"{secret if action.professional_secret else ''}</td>\n"
            f"      <td>{due}</td>\n"
            f"      <td>{written(action.get_status_display())}\n        {done}\n      </td>\n"
            "    </tr>"
        )
    # Every value above is escaped (written); the rest is fixed markup.
    return mark_safe("".join(rows))  # noqa: S308
