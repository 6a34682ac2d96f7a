"""Form widgets that render fast.

Django renders every ``<option>`` of a select through a template: a select with hundreds of
options (the 285 municipalities) costs tens of milliseconds per page. ``FastSelect`` builds the
same HTML in Python (issue 11: pages within their budget against the floor), and remembers the
options it rendered: the same choices with the same selection give the same markup, and a page's
filters show the same choices request after request.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _options(choices: Any, selected: frozenset[str], state: list[bool]) -> list[str]:
    """``<option>`` markup of ``choices``; only the first option matching is selected, as in
    Django's ``Select`` (``state[0]`` is set once one is)."""
    parts = []
    for value, label in choices:
        text = str(value)  # as Django's template writes it (None inside a group: "None")
        flag = ""
        if not state[0] and text in selected:
            flag, state[0] = " selected", True
        parts.append(
            f'<option value="{conditional_escape(text)}"{flag}>{conditional_escape(label)}</option>'
        )
    return parts


# A choice as the options are rendered from it: the value as text, except a None (which means
# the empty value at the top level), and the label as text (translated, when it is lazy).
_Option = tuple[str | None, str]
_Choices = tuple[tuple[str | None, "str | tuple[_Option, ...]"], ...]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _normalised(choices: Any) -> _Choices:
    return tuple(
        (
            _text(group_value),
            tuple((_text(value), str(label)) for value, label in group_label)
            if isinstance(group_label, list | tuple)
            else str(group_label),
        )
        for group_value, group_label in choices
    )


@functools.lru_cache(maxsize=128)
def _rendered(choices: _Choices, selected: frozenset[str]) -> str:
    """The options of a select: the same for the same (normalised) choices and selection."""
    state = [False]
    parts = []
    for group_value, group_label in choices:
        # As Django's Select.optgroups: a top-level None is the empty value, and a group
        # without a name is no <optgroup>.
        group_value = "" if group_value is None else group_value
        if not isinstance(group_label, tuple):
            parts.extend(_options([(group_value, group_label)], selected, state))
        elif group_value:
            inner = "".join(_options(group_label, selected, state))
            parts.append(f'<optgroup label="{conditional_escape(group_value)}">{inner}</optgroup>')
        else:
            parts.extend(_options(group_label, selected, state))
    return "".join(parts)


class FastSelect(forms.Select):
    """A ``forms.Select`` with the same markup, rendered without a template per option.

    Single choice only (``SelectMultiple`` keeps Django's rendering).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = frozenset(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = _rendered(_normalised(self.choices), selected)
        # Every value, label, name and attribute here is escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>{options}</select>'
        )
