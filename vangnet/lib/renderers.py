"""A form renderer that writes plain ``<input>`` widgets in Python.

Django renders every widget through a template: an ``<input>`` costs three template renders
(the widget's, ``input.html`` and ``attrs.html``), about 0.3 ms. The filters and forms on the
pages people load most (issue 11: pages within their budget against the floor) hold several.
``FastRenderer`` writes exactly what those templates write for the widgets whose template is
nothing but ``input.html``; every other template (selects, textareas, files, option lists) is
rendered by Django as before. ``lib/tests/test_renderers.py`` compares both renderers.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# Django's widget templates that are `{% include "django/forms/widgets/input.html" %}` only.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _stringformat(value: Any) -> str:
    """Django's ``stringformat:'s'`` filter, then the template's autoescaping."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031  # exactly the filter's formatting
    except (TypeError, ValueError):
        return ""
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308  # the filter is is_safe: safe input stays safe
    return str(conditional_escape(text))


def input_html(widget: dict[str, Any]) -> str:
    """What ``django/forms/widgets/input.html`` (with ``attrs.html``) renders for ``widget``."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}"',
        f' name="{conditional_escape(widget["name"])}"',
    ]
    value = widget["value"]
    if value != None:  # noqa: E711  # the template's `!= None`, which may call __ne__
        parts.append(f' value="{_stringformat(value)}"')
    for name, attr in widget["attrs"].items():
        if attr is not False:
            parts.append(f" {conditional_escape(name)}")
            if attr is not True:
                parts.append(f'="{_stringformat(attr)}"')
    parts.append(">")
    return "".join(parts)


class FastRenderer(DjangoTemplates):
    """Django's default form renderer, with ``<input>`` widgets written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES:
            # Every name, value and attribute is escaped in input_html.
            return SafeString(input_html(context["widget"]))
        return super().render(template_name, context, request)
