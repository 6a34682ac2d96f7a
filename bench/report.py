"""Targets of issue 11 and the JSON and Markdown reports of one run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Throughput at 8 clients as a share of the floor's; dashboards may be slower.
MIN_THROUGHPUT = 0.5
MIN_THROUGHPUT_DASHBOARD = 0.25
# p95 latency at 8 clients, as a multiple of the floor's p95 at 8 clients.
MAX_P95_RATIO = 4.0
MAX_WORKER_MB = 150.0
MAX_AUDIT_SECONDS_PER_MILLION = 30.0
# Linear: the time per purged row at the largest size at most this multiple of the smallest's.
MAX_PURGE_PER_ROW_GROWTH = 1.5


def judge(run: dict[str, Any]) -> dict[str, Any]:
    """Add ratios to the floor and PASS/FAIL to every page and the other measurements."""
    pages = run["pages"]
    floor = next(page for page in pages if page["key"] == "floor")
    for page in pages:
        if page is floor:
            continue
        minimum = MIN_THROUGHPUT_DASHBOARD if page["dashboard"] else MIN_THROUGHPUT
        reference = _reference(page, floor)
        # Said in the table: the floor alongside had errors, the run's first floor stood in.
        page["reference_fallback"] = "floor_c8" in page and reference is floor["c8"]
        page["throughput_ratio"] = round(page["c8"]["rps"] / reference["rps"], 2)
        page["p95_ratio"] = round(page["c8"]["p95_ms"] / reference["p95_ms"], 2)
        page["target_throughput_ratio"] = minimum
        page["target_p95_ratio"] = MAX_P95_RATIO
        page["pass"] = (
            page["throughput_ratio"] >= minimum
            and page["p95_ratio"] <= MAX_P95_RATIO
            and not page["c1"]["errors"] + page["c8"]["errors"]
        )
    run["memory"]["pass"] = run["memory"]["max_worker_mb"] <= MAX_WORKER_MB
    audit = run["audit_verify"]
    audit["pass"] = audit["ok"] and audit["seconds_per_million"] <= MAX_AUDIT_SECONDS_PER_MILLION
    purge = run["purge_expired"]
    growth = purge["runs"][-1]["ms_per_row"] / purge["runs"][0]["ms_per_row"]
    purge["per_row_growth"] = round(growth, 2)
    purge["pass"] = growth <= MAX_PURGE_PER_ROW_GROWTH
    floor["pass"] = not floor["c1"]["errors"] + floor["c8"]["errors"]
    run["pass"] = all(
        [
            *(page["pass"] for page in pages),
            run["memory"]["pass"],
            audit["pass"],
            purge["pass"],
        ]
    )
    return run


def write(run: dict[str, Any], directory: Path) -> Path:
    """Write `<stamp>-<scale>.json`, `.md` and `latest.md`; return the Markdown path."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{run['started_at']}-{run['scale']}"
    (directory / f"{stem}.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    text = markdown(run)
    path = directory / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    (directory / "latest.md").write_text(text, encoding="utf-8")
    return path


def _reference(page: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    """The floor measured alongside the page (in turns with it, or right after it in runs
    before 2 December 02:00 UTC); the run's own floor row when there is none (runs before
    1 December 11:57 UTC) or when that measurement had errors or no requests."""
    paired = page.get("floor_c8")
    if paired and paired["rps"] > 0 and not paired["errors"]:
        return dict(paired)
    reference: dict[str, Any] = floor["c8"]
    return reference


def _paired_note(pages: list[dict[str, Any]]) -> str:
    paired = [page["floor_c8"] for page in pages if "floor_c8" in page]
    if not paired:
        return ""
    rps = [run["rps"] for run in paired]
    p95 = [run["p95_ms"] for run in paired]
    turns = paired[0].get("runs", 1)
    how = (
        f"in {turns} turns with the page's own 8-client runs (page, floor, floor, page...; "
        "latency percentiles of the turns averaged by their requests)"
        if turns > 1
        else "right after it"
    )
    return (
        f" Each page's ratios are against the floor measured {how}, at 8 clients "
        f"({min(rps):.0f} to {max(rps):.0f} req/s, p95 {min(p95):.1f} to {max(p95):.1f} ms during "
        "this run)."
    )


def _result(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def _latency(row: dict[str, Any]) -> str:
    text = f"{row['p50_ms']:.1f} / {row['p95_ms']:.1f} / {row['p99_ms']:.1f}"
    return text + (f" ({row['errors']} timeouts or errors)" if row["errors"] else "")


def markdown(run: dict[str, Any]) -> str:
    machine = run["machine"]
    settings = run["settings"]
    lines = [
        f"# Benchmark {run['started_at']} ({run['scale']})",
        "",
        f"Overall: {_result(run['pass'])}. Commit `{machine['commit']}`, "
        f"data: {run['data']}, {settings['duration_s']} s per run after "
        f"{settings['warmup_s']} s warm-up, gunicorn {settings['workers']} x "
        f"{settings['worker_class']} ({settings['threads']} threads each).",
        "",
        "Latency in ms (p50 / p95 / p99). Ratios against the floor at 8 clients: throughput "
        f"at least {MIN_THROUGHPUT:.0%} ({MIN_THROUGHPUT_DASHBOARD:.0%} for dashboards), "
        f"p95 at most {MAX_P95_RATIO:g}x.{_paired_note(run['pages'])}",
        "",
        "| page | as | queries | req/s 1 | latency 1 | req/s 8 | latency 8 "
        "| throughput vs floor | p95 vs floor | result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in run["pages"]:
        one, eight = page["c1"], page["c8"]
        if page["key"] == "floor":
            # With paired floors each page has its own reference (the note above the table).
            paired = any("floor_c8" in other for other in run["pages"])
            label = "first floor run" if paired else "reference"
            ratios = f"1.00 ({label}) | 1.00 ({label}) | {_result(page['pass'])}"
        else:
            against = " (against the first floor run)" if page.get("reference_fallback") else ""
            ratios = (
                f"{page['throughput_ratio']:.2f} (≥ {page['target_throughput_ratio']:.2f}) | "
                f"{page['p95_ratio']:.2f} (≤ {page['target_p95_ratio']:g}) | "
                f"{_result(page['pass'])}{against}"
            )
        lines.append(
            f"| {page['title']} | {page['persona']} | {page['queries']} | {one['rps']:.0f} | "
            f"{_latency(one)} | {eight['rps']:.0f} | {_latency(eight)} | {ratios} |"
        )
    memory = run["memory"]
    audit = run["audit_verify"]
    purge = run["purge_expired"]
    sizes = ", ".join(
        f"{r['cases']} cases / {r['rows']} rows in {r['seconds']:.2f} s "
        f"({r['ms_per_row']:.3f} ms per row)"
        for r in purge["runs"]
    )
    lines += [
        "",
        "| measurement | value | target | result |",
        "|---|---|---|---|",
        f"| gunicorn worker memory after the run (max RSS) | {memory['max_worker_mb']:.0f} MB "
        f"(workers: {', '.join(f'{mb:.0f}' for mb in memory['worker_mb'])} MB) "
        f"| ≤ {MAX_WORKER_MB:.0f} MB | {_result(memory['pass'])} |",
        f"| `audit_verify` over {audit['checked']:,} events | {audit['seconds']:.1f} s "
        f"({audit['seconds_per_million']:.1f} s per million) "
        f"| ≤ {MAX_AUDIT_SECONDS_PER_MILLION:.0f} s per million | {_result(audit['pass'])} |",
        f"| `purge_expired` linearity | {sizes}; per-row time grows "
        f"{purge['per_row_growth']:.2f}x | ≤ {MAX_PURGE_PER_ROW_GROWTH:g}x "
        f"| {_result(purge['pass'])} |",
        "",
        "Machine: "
        f"{machine['cpu_model']}, {machine['cpus']} CPUs, {machine['memory_gb']:.0f} GB RAM, "
        f"{machine['os']}, Python {machine['python']}, PostgreSQL {machine['postgresql']}. "
        "PostgreSQL, gunicorn and wrk share the machine.",
        "",
    ]
    return "\n".join(lines)
