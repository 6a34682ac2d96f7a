"""`make bench` measures each page in turns with the floor and merges the turns faithfully."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bench import run as bench_run


def _run(requests: int, seconds: float, p95: float, errors: int = 0) -> dict[str, Any]:
    return {
        "clients": 8,
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 2,
        "max_ms": p95 * 3,
        "errors": errors,
    }


def test_it_merges_turns_by_their_requests_and_time() -> None:
    merged = bench_run.merged([_run(300, 3.0, 10.0), _run(100, 3.0, 30.0, errors=1)])
    assert merged["requests"] == 400 and merged["seconds"] == 6.0
    assert merged["rps"] == pytest.approx(400 / 6, abs=0.05)  # not the mean of 100 and 33
    assert merged["p95_ms"] == pytest.approx(15.0)  # weighted by requests: (3000 + 3000) / 400
    assert merged["max_ms"] == 90.0 and merged["errors"] == 1 and merged["runs"] == 2


def test_a_single_run_is_left_as_it_is() -> None:
    single = _run(10, 1.0, 5.0)
    assert bench_run.merged([single]) is single


@pytest.mark.parametrize("slices", [1, 2, 3, 4])
def test_page_and_floor_take_turns_so_that_a_drift_favours_neither(monkeypatch, slices) -> None:
    calls: list[tuple[str, int]] = []

    def fake_wrk(server, path, cookies, clients, seconds, cap):
        calls.append((path, seconds))
        return _run(100, float(seconds), 10.0)

    monkeypatch.setattr(bench_run, "wrk", fake_wrk)
    config = dataclasses.replace(bench_run.Config.from_env(), duration_s=10, slices=slices)
    server: Any = None  # fake_wrk never uses it
    page, floor = bench_run.interleaved(config, server, ("/page/", []), ("/floor/", []))
    paths = [path for path, _ in calls]
    assert paths == (["/page/", "/floor/", "/floor/", "/page/"] * slices)[: 2 * slices]
    assert paths.count("/page/") == paths.count("/floor/") == slices
    assert {seconds for _, seconds in calls} == {max(2, -(-10 // slices))}
    assert page["requests"] == floor["requests"] == 100 * slices


def _judged(floor_alongside: dict[str, Any]) -> dict[str, Any]:
    from bench.report import judge

    def page(key: str, rps: int) -> dict[str, Any]:
        return {"key": key, "dashboard": False, "c1": _run(10, 1.0, 5.0), "c8": _run(rps, 1.0, 9.0)}

    floor, case = page("floor", 200), page("case_detail", 90)
    case["floor_c8"] = floor_alongside
    run = {
        "pages": [floor, case],
        "memory": {"max_worker_mb": 100},
        "audit_verify": {"ok": True, "seconds_per_million": 20.0},
        "purge_expired": {"runs": [{"ms_per_row": 0.1}, {"ms_per_row": 0.1}]},
    }
    judge(run)
    return case


def test_a_page_is_judged_against_the_floor_alongside_it() -> None:
    case = _judged(_run(150, 1.0, 9.0))
    assert case["throughput_ratio"] == 0.6 and not case["reference_fallback"]


def test_a_floor_alongside_with_errors_is_replaced_by_the_first_and_said_so() -> None:
    case = _judged(_run(150, 1.0, 9.0, errors=2))
    assert case["throughput_ratio"] == 0.45 and case["reference_fallback"]
