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

# A value as the options use it: its text (which the selection is matched against) and that text
# as written into the page (escaped, unless it was marked safe); None for a top-level None, the
# empty value. A label: its text as written into the page. The key of the remembered markup is
# made of exactly what is written, so a label marked safe and a plain label that reads the same
# never share an entry.
_Value = tuple[str, str] | None
_Option = tuple[_Value, str]
_Choices = tuple[tuple[_Value, "str | tuple[_Option, ...]"], ...]


def _value(value: Any) -> _Value:
    if value is None:
        return None
    text = str(value)
    return text, str(conditional_escape(text))


def _label(label: Any) -> str:
    return str(conditional_escape(label))


def _normalised(choices: Any) -> _Choices:
    return tuple(
        (
            _value(group_value),
            tuple((_value(value), _label(label)) for value, label in group_label)
            if isinstance(group_label, list | tuple)
            else _label(group_label),
        )
        for group_value, group_label in choices
    )


def _options(choices: Any, selected: frozenset[str], state: list[bool]) -> list[str]:
    """``<option>`` markup of normalised ``choices``; only the first option matching is
    selected, as in Django's ``Select`` (``state[0]`` is set once one is)."""
    parts = []
    for value, label in choices:
        # As Django's template writes it: None inside a group is "None".
        text, written = value if value is not None else ("None", "None")
        flag = ""
        if not state[0] and text in selected:
            flag, state[0] = " selected", True
        parts.append(f'<option value="{written}"{flag}>{label}</option>')
    return parts


@functools.lru_cache(maxsize=128)
def _rendered(choices: _Choices, selected: frozenset[str]) -> str:
    """The options of a select: the same for the same (normalised) choices and selection."""
    state = [False]
    parts = []
    for group_value, group_label in choices:
        # As Django's Select.optgroups: a top-level None is the empty value, and a group
        # without a name is no <optgroup>.
        value = ("", "") if group_value is None else group_value
        if not isinstance(group_label, tuple):
            parts.extend(_options([(value, group_label)], selected, state))
        elif value[0]:
            inner = "".join(_options(group_label, selected, state))
            parts.append(f'<optgroup label="{value[1]}">{inner}</optgroup>')
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
