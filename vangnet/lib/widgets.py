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
from django.utils.choices import normalize_choices
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

# The key of the remembered markup, read cheaply from the choices on every render (escaping is
# left to a miss). A value: its text (which the selection is matched against) and whether that
# text is already HTML (marked safe); None for a top-level None, the empty value. A label: its
# text as HTML would give it (``__html__``) or as plain text, and which of the two it is, so that
# a label marked safe and a plain label that read the same never share an entry.
_Text = tuple[str, bool]
_Value = _Text | None
_Option = tuple[_Value, _Text]
_Choices = tuple[tuple[_Value, "_Text | tuple[_Option, ...]"], ...]


def _value(value: Any) -> _Value:
    if value is None:
        return None
    text = str(value)
    return text, hasattr(text, "__html__")


def _label(label: Any) -> _Text:
    if hasattr(label, "__html__"):
        return str(label.__html__()), True
    return str(label), False


def _key(choices: Any) -> _Choices:
    # A pair of plain text (exactly str: not marked safe, not lazy) is its own key, as it is:
    # the 285 municipalities of a filter cost no call each. Every other pair is turned into
    # (text, is HTML) parts, tuples that a plain pair's str items never equal.
    return tuple(
        item
        if type(item) is tuple and type(item[0]) is str and type(item[1]) is str
        else (
            _value(item[0]),
            tuple((_value(value), _label(label)) for value, label in item[1])
            if isinstance(item[1], list | tuple)
            else _label(item[1]),
        )
        for item in choices
    )


def _written(text: _Text) -> str:
    """As Django's template writes it (``conditional_escape``)."""
    return text[0] if text[1] else str(escape(text[0]))


def _options(choices: Any, selected: frozenset[str], state: list[bool]) -> list[str]:
    """``<option>`` markup of normalised ``choices``; only the first option matching is
    selected, as in Django's ``Select`` (``state[0]`` is set once one is)."""
    parts = []
    for value, label in choices:
        # As Django's template writes it: None inside a group is "None".
        text, safe = value if value is not None else ("None", True)
        flag = ""
        if not state[0] and text in selected:
            flag, state[0] = " selected", True
        parts.append(f'<option value="{_written((text, safe))}"{flag}>{_written(label)}</option>')
    return parts


@functools.lru_cache(maxsize=128)
def _rendered(choices: _Choices, selected: frozenset[str]) -> str:
    """The options of a select: the same for the same choices and selection."""
    state = [False]
    parts = []
    for group_value, group_label in choices:
        if type(group_value) is str:  # a pair of plain text (see _key)
            group_value, group_label = (group_value, False), (group_label, False)
        # As Django's Select.optgroups: a top-level None is the empty value, and a group
        # without a name is no <optgroup>.
        value = ("", True) if group_value is None else group_value
        # A label is (text, is HTML); a group is a tuple of options, possibly empty.
        if group_label and not isinstance(group_label[0], tuple):
            parts.extend(_options([(value, group_label)], selected, state))
        elif value[0]:
            inner = "".join(_options(group_label, selected, state))
            parts.append(f'<optgroup label="{_written(value)}">{inner}</optgroup>')
        else:
            parts.extend(_options(group_label, selected, state))
    return "".join(parts)


class FastSelect(forms.Select):
    """A ``forms.Select`` with the same markup, rendered without a template per option.

    Single choice only (``SelectMultiple`` keeps Django's rendering).
    """

    @property
    def choices(self) -> Any:
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        # Django normalises the choices on every assignment; pairs of plain text (the 285
        # municipalities of a filter, per request) are already in that form and kept as they
        # are, anything else is normalised as Django does.
        if type(value) is list:
            self._choices = [
                item
                if type(item) is tuple and len(item) == 2 and type(item[1]) is str
                else normalize_choices([item])[0]
                for item in value
            ]
        else:
            self._choices = normalize_choices(value)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = frozenset(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = _rendered(_key(self.choices), selected)
        # Every value, label, name and attribute here is escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>{options}</select>'
        )
