"""Template tags of the helpdesk."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from vangnet.helpdesk.models import SLA_ANSWERED_LATE, SLA_OVERDUE, Question
from vangnet.lib.fragments import remembered
from vangnet.lib.markup import written
from vangnet.lib.templatefilters import date, truncatechars

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _when(value: Any, zone: Any, language: str | None) -> str:
    """A moment as the template's ``|date:"SHORT_DATETIME_FORMAT"`` shows it, where ``zone``
    and ``language`` are the current ones: remembered, since the queue shows the same
    deadlines request after request (converting and formatting cost about 30 µs each)."""
    local = timezone.template_localtime(value)  # type: ignore[attr-defined]  # not in stubs
    return written(date(local, "SHORT_DATETIME_FORMAT"))


def _forget(**kwargs: Any) -> None:
    """Settings that shape the result (time zone, formats) changed: tests only."""
    _when.cache_clear()


setting_changed.connect(_forget)


@register.simple_tag
def queue_rows(rows: list[tuple[Question, str, str]]) -> SafeString:
    """The rows of the staff queue: ``rows`` of (question, its SLA state, its URL).

    Built here rather than in the template: 25 rows of eight cells were a third of the
    queue's time in the template engine (issue 11). The same markup as the template wrote,
    dates in the current time zone and language (``lib.templatefilters.date``)."""
    overdue = (
        f' <span class="badge sla-breach">{written(gettext("Overdue: no first reply yet"))}</span>'
    )
    late = f' <span class="muted">{written(gettext("answered late"))}</span>'
    flags = {SLA_OVERDUE: overdue, SLA_ANSWERED_LATE: late}

    zone, language = timezone.get_current_timezone(), get_language()

    def when(value: Any) -> str:
        return _when(value, zone, language) if value is not None else ""

    parts = []
    for question, sla, url in rows:
        breached = ' class="sla-breached"' if sla == SLA_OVERDUE else ""
        assignee = question.assigned_to.full_name if question.assigned_to else ""
        parts.append(
            f"<tr{breached}>\n"
            f'    <td><a href="{written(url)}">{written(question.reference)}</a></td>\n'
            f"    <td>{written(truncatechars(question.subject, 80))}</td>\n"
            f"    <td>{written(question.municipality.name_nl)}</td>\n"
            f"    <td>{written(question.theme.name)}</td>\n"
            f"    <td>{when(question.created_at)}</td>\n"
            f"    <td>{when(question.due_at)}{flags.get(sla, '')}</td>\n"
            f"    <td>{written(assignee or '—')}</td>\n"
            f"    <td>{written(question.status_label)}</td>\n"
            "  </tr>"
        )
    # Every value above is escaped (written); the rest is fixed markup.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def queue_filter_fields(form: Any) -> SafeString:
    """The fields of the queue's filter form (``helpdesk/_queue_filters.html``), from memory
    when the same values were asked for with the same options: rendering them was about 8 %
    of the queue page (issue 11). ``form`` is a ``QueueFilterForm``.

    Kept (``lib.fragments.remembered``) per language, whether bound, the values of its fields,
    the fields in error and the identity of the option lists; each entry keeps its option lists
    alive, so no other list can take their id while the entry exists."""
    sources = form.option_sources
    if form.is_bound:
        data = form.data
        values = tuple(
            (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name))
            for name in form.fields
        )
        errors = tuple(sorted(form.errors))
    else:
        values = tuple((name, str(form.initial.get(name, ""))) for name in form.fields)
        errors = ()
    key = (
        "helpdesk/_queue_filters.html",
        get_language(),
        form.is_bound,
        values,
        errors,
        tuple(id(source) for source in sources),
    )
    markup, _sources = remembered(
        key, lambda: (render_to_string("helpdesk/_queue_filters.html", {"form": form}), sources)
    )
    return mark_safe(markup)  # noqa: S308 - rendered by the template engine
