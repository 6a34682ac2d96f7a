"""URLs without walking the resolver again and again (issue 11: pages within their budget
against the floor).

``reverse()`` walks the resolver for every call (30-50 µs): on a list of 50 rows that is about a
millisecond of each request. ``RowUrl``: a list reverses its row URL once, with a placeholder for
the row's id, and fills in each row's id. ``reverse_remembered``: the ``{% url %}`` tag of every
template (``lib/templatefilters.py``) remembers the URLs it reversed.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A UUID that no row has: it marks where the row's id goes.
_PLACEHOLDER = uuid.UUID("00000000-0000-4000-8000-00000000feed")


class RowUrl:
    """``reverse(viewname, kwargs={**kwargs, row_kwarg: pk})`` for many ``pk`` at once.

    >>> case_url = RowUrl("cases:case", "case_id", cell_id=cell.pk)
    >>> case_url(case.pk) == reverse("cases:case", kwargs={"cell_id": cell.pk, "case_id": case.pk})
    True
    """

    def __init__(self, viewname: str, row_kwarg: str, **kwargs: Any) -> None:
        url = reverse(viewname, kwargs={**kwargs, row_kwarg: _PLACEHOLDER})
        marker = str(_PLACEHOLDER)
        if url.count(marker) != 1:
            raise ImproperlyConfigured(f"{viewname}: {row_kwarg} must appear once in the URL")
        self.prefix, self.suffix = url.split(marker)

    def __call__(self, pk: uuid.UUID) -> str:
        if not isinstance(pk, uuid.UUID):
            raise TypeError(f"a row id is a UUID, not {type(pk).__name__}")
        return f"{self.prefix}{pk}{self.suffix}"


def urlconf_key() -> tuple[str, str, str, str]:
    """What the result of ``reverse()`` depends on besides its arguments: the script prefix,
    the URLconf (a request's own, or the project's) and the active language."""
    return (
        get_script_prefix(),
        str(get_urlconf() or ""),
        str(settings.ROOT_URLCONF),
        get_language() or "",
    )


@functools.lru_cache(maxsize=4096)
def _reversed(
    key: tuple[str, str, str, str],
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
) -> str:
    return reverse(viewname, args=args, kwargs=dict(kwargs), current_app=current_app)


# Ids only. Text arguments are never remembered: the bearer tokens of invitation, scan, survey,
# calendar and password-reset links are text, and stay out of the process's memory.
_REMEMBERED = frozenset({int, uuid.UUID})


def reverse_remembered(
    viewname: str,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``reverse()``, its results remembered per URLconf, script prefix and language.

    A reverse walks the resolver (30-50 µs); a page's template asks for the same dozen URLs on
    every request. Only URLs whose arguments are all exactly ``int`` or ``UUID`` are remembered
    (any other argument, text included, sends the call to ``reverse()``); ``NoReverseMatch`` is
    raised as by ``reverse()`` and not remembered.
    """
    values = [*args, *(kwargs or {}).values()]
    if not isinstance(viewname, str) or any(type(v) not in _REMEMBERED for v in values):
        # Values that are equal but read differently (1, True, 1.0, Decimal), that carry more
        # than their text (model instances) or that may be secret (text) go to reverse().
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    items = tuple(sorted((kwargs or {}).items()))
    return _reversed(urlconf_key(), viewname, tuple(args), items, current_app)


def _forget(**kwargs: Any) -> None:
    """URLconf or settings changed (tests only): forget every remembered URL."""
    _reversed.cache_clear()


setting_changed.connect(_forget)
