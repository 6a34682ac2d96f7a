"""Template fragments rendered once per set of values and language, then reused.

The layout's header and the cell's menu are on every page and depend on a handful of values
(the reader's kind, their cells, the language, the links); rendering them through the template
engine was about a tenth of a cell page (issue 11). ``render_remembered`` renders a template
with *only* the plain values it is given (no request, no context processors), so the output is
a function of those values and the active language, and keeps the result per both.

What differs on every request goes through *holes*: the template sees a marker in their place
and each rendering puts the request's own text there (escaped, unless it is already safe). The
header's CSRF fields are one (``{{ csrf_field }}``, what ``{% csrf_token %}`` writes); a
``{% csrf_token %}`` in a template works too, with ``holes={"csrf_token": token}``.

Values are text, numbers, booleans, ``None``, UUIDs, and dicts, lists and tuples of those:
never model instances, whose identity is not what the template shows (a cell's name changes
without its primary key changing).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Distinct sets of values kept (per process): readers differ by their cells and kind, so this
# is about the number of cells times the languages, not the number of users.
MAX_REMEMBERED = 4096

T = TypeVar("T")
_PLAIN = (str, int, float, bool, type(None), uuid.UUID)
_lock = threading.Lock()
_remembered: dict[tuple[Any, ...], Any] = {}


def remembered(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """What ``make()`` gave for ``key`` (hashable) in this process, made on the first use.
    The store of every remembered fragment: at most ``MAX_REMEMBERED`` entries, emptied when
    full or when a setting changes."""
    found = _remembered.get(key)
    if found is None:
        found = make()
        with _lock:
            if len(_remembered) >= MAX_REMEMBERED:
                _remembered.clear()
            _remembered[key] = found
    return found


def _marker(name: str) -> str:
    # Private-use characters: escaping leaves them alone and no translation contains them.
    return f"\ue000{name}\ue001"


def _unmarked(value: Any) -> Any:
    """``value`` with the marker characters in its text replaced, so that a value (a cell's
    name, say) can never open a hole: only the template's own stand-ins do."""
    if isinstance(value, str):
        if "\ue000" in value or "\ue001" in value:
            return value.replace("\ue000", "\ufffd").replace("\ue001", "\ufffd")
        return value
    if isinstance(value, Mapping):
        return {key: _unmarked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_unmarked(item) for item in value)
    return value


def _frozen(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)  # True and 1 are equal as keys
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((key, _frozen(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_frozen(item) for item in value))
    raise TypeError(f"{type(value).__name__} is not a plain value for a remembered fragment")


def render_remembered(
    template_name: str, values: Mapping[str, Any], holes: Mapping[str, Any] | None = None
) -> SafeString:
    """``template_name`` rendered with ``values``, from memory after the first time.

    ``holes`` maps names the template uses to this request's text (escaped here, unless it
    is already safe); the template may use each hole any number of times.
    """
    holes = holes or {}
    key = (template_name, get_language(), tuple(sorted(holes)), _frozen(values))
    parts, order = remembered(key, lambda: _rendered(template_name, values, tuple(sorted(holes))))
    if not order:
        return mark_safe(parts[0])  # noqa: S308 - rendered by the template engine
    filled = [conditional_escape(holes[name]) for name in order]
    out = [parts[0]]
    for text, part in zip(filled, parts[1:], strict=True):
        out.append(text)
        out.append(part)
    return mark_safe("".join(out))  # noqa: S308 - escaped above or by the template engine


def _rendered(
    template_name: str, values: Mapping[str, Any], hole_names: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The template's output cut at each marker: (the text between, the hole at each cut)."""
    markers = {_marker(name): name for name in hole_names}
    stand_ins = {name: _marker(name) for name in hole_names}
    output = str(get_template(template_name).render({**_unmarked(values), **stand_ins}))
    parts: list[str] = []
    order: list[str] = []
    rest = output
    while True:
        positions = [(rest.find(marker), marker) for marker in markers if marker in rest]
        if not positions:
            parts.append(rest)
            break
        at, marker = min(positions)
        parts.append(rest[:at])
        order.append(markers[marker])
        rest = rest[at + len(marker) :]
    return tuple(parts), tuple(order)


def forget_remembered() -> None:
    """Render again on the next use (tests that change templates or translations)."""
    with _lock:
        _remembered.clear()


@receiver(setting_changed)
def _forget_on_setting_changed(**kwargs: Any) -> None:
    # Templates, languages and URLs are settings: a test that changes one renders anew.
    forget_remembered()
