"""The aggregate cache: figures across every cell are computed once per period per process."""

from __future__ import annotations

import pytest

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


def test_it_computes_again_after_the_period(settings, monkeypatch):
    from vangnet.lib import aggregates

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(aggregates.time, "monotonic", lambda: now[0])
    calls: list[int] = []
    aggregate_cached("test:d", lambda: calls.append(1) or len(calls))
    now[0] += 59
    assert aggregate_cached("test:d", lambda: calls.append(1) or len(calls)) == 1
    now[0] += 2
    assert aggregate_cached("test:d", lambda: calls.append(1) or len(calls)) == 2


def test_it_hands_out_the_computed_object_without_copying_it(settings):
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    figures = {"cells": [150]}
    assert aggregate_cached("test:e", lambda: figures) is figures
    assert aggregate_cached("test:e", dict) is figures


def test_it_keeps_a_bounded_number_of_figures_dropping_the_oldest(settings, monkeypatch):
    from vangnet.lib import aggregates

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    monkeypatch.setattr(aggregates, "MAX_ENTRIES", 3)
    for n in range(5):
        aggregate_cached(f"test:f{n}", lambda n=n: n)
    assert list(aggregates._store) == ["test:f2", "test:f3", "test:f4"]
    assert aggregate_cached("test:f0", lambda: "again") == "again"


def test_forgetting_computes_everything_again(settings):
    from vangnet.lib.aggregates import aggregates_forget

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    aggregate_cached("test:g", lambda: 1)
    aggregates_forget()
    assert aggregate_cached("test:g", lambda: 2) == 2


def test_threads_asking_while_it_is_computed_wait_for_that_value(settings):
    import threading

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> dict[str, int]:
        calls.append(1)
        started.set()
        release.wait(5)
        return {"cells": len(calls)}

    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(aggregate_cached("test:g", slow)))
    first.start()
    assert started.wait(5)
    others = [
        threading.Thread(target=lambda: results.append(aggregate_cached("test:g", slow)))
        for _ in range(3)
    ]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert len(calls) == 1
    assert len(results) == 4 and all(result is results[0] for result in results)


def test_a_failed_computation_leaves_the_figure_to_the_next_asker(settings):
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60

    def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        aggregate_cached("test:h", broken)
    assert aggregate_cached("test:h", lambda: 7) == 7


def test_it_keeps_no_lock_behind_for_computed_or_failed_figures(settings):
    from vangnet.lib import aggregates

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    aggregate_cached("test:i", lambda: 1)
    with pytest.raises(ZeroDivisionError):
        aggregate_cached("test:j", lambda: 1 // 0)
    assert "test:i" not in aggregates._computing and "test:j" not in aggregates._computing
