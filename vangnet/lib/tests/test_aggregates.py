"""The aggregate cache: figures across every cell are computed once per period per process."""

from __future__ import annotations

from vangnet.lib.aggregates import aggregate_cached


def test_it_computes_once_within_the_period(settings):
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"cells": 150}

    assert aggregate_cached("test:a", compute) == {"cells": 150}
    assert aggregate_cached("test:a", compute) == {"cells": 150}
    assert len(calls) == 1
    assert aggregate_cached("test:b", compute) == {"cells": 150}  # another key
    assert len(calls) == 2


def test_zero_seconds_computes_every_time(settings):
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 0
    calls: list[int] = []
    for _ in range(3):
        aggregate_cached("test:c", lambda: calls.append(1) or 1)
    assert len(calls) == 3
