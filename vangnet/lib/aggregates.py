"""A short-lived per-process cache for figures computed across every cell.

Such figures (the VVSG insights dashboard, the self-evaluation benchmark) cost many queries and
change slowly; keeping them ``VANGNET_AGGREGATE_CACHE_SECONDS`` keeps those pages fast at
Flanders scale (issue 11). They hold aggregates only, never a person's data.

The values stay in this process as the objects ``compute()`` returned, not in Django's cache:
its local-memory backend pickles a value on every ``set`` and unpickles it on every ``get``,
which for the self-evaluation benchmark (every cell's latest scores) cost about 4 ms of each
request. Callers share the objects, so they must not change them (none does: they read
figures and build their own rows). At most ``MAX_ENTRIES`` figures are kept; the oldest go first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

MAX_ENTRIES = 512

_store: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()
# The lock of each figure being computed now (see aggregate_cached).
_computing: dict[str, threading.Lock] = {}


def aggregate_cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from the last ``VANGNET_AGGREGATE_CACHE_SECONDS``.

    One thread of the process computes a missing figure; the others asking for it meanwhile
    wait for that value instead of computing it too (the self-evaluation benchmark takes
    seconds at Flanders scale: four threads computing it at once took four times as long).
    ``compute`` must not ask for a figure itself: two threads could wait for each other."""
    seconds = settings.VANGNET_AGGREGATE_CACHE_SECONDS
    if not seconds:
        return compute()
    entry = _store.get(key)
    if entry is not None and entry[0] > time.monotonic():
        value: T = entry[1]
        return value
    with _lock:
        computing = _computing.setdefault(key, threading.Lock())
    try:
        with computing:
            entry = _store.get(key)
            if entry is not None and entry[0] > time.monotonic():
                kept: T = entry[1]
                return kept
            now = time.monotonic()
            value = compute()
            with _lock:
                _store.pop(key, None)
                _store[key] = (now + seconds, value)
                while len(_store) > MAX_ENTRIES:
                    _store.popitem(last=False)
            return value
    finally:
        # Whether it worked or failed, the key's lock goes once nobody holds it: figures
        # keyed by a date or a round would otherwise leave a lock each behind.
        with _lock:
            if _computing.get(key) is computing and not computing.locked():
                del _computing[key]


def aggregates_forget() -> None:
    """Forget every kept figure (tests; a deployment waits for the period to end)."""
    with _lock:
        _store.clear()
        _computing.clear()
