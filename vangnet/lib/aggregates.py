"""A short-lived per-process cache for figures computed across every cell.

Such figures (the VVSG insights dashboard, the self-evaluation benchmark) cost many queries and
change slowly; keeping them ``VANGNET_AGGREGATE_CACHE_SECONDS`` keeps those pages fast at
Flanders scale (issue 11). They hold aggregates only, never a person's data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def aggregate_cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from the last ``VANGNET_AGGREGATE_CACHE_SECONDS``."""
    seconds = settings.VANGNET_AGGREGATE_CACHE_SECONDS
    if not seconds:
        return compute()
    full_key = f"vangnet:aggregate:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value
