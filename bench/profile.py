"""Where a benchmarked page spends its time, in-process: `python -m bench.profile [page ...]`.

The same settings, data and sessions as `make bench` (run it once first: it generates the data),
but the pages are requested through Django's test client in this process, so a profiler can look
inside. For each page: the mean time per request, the queries and their time, the time spent
rendering each template (inclusive of its includes and of the lazy queries they trigger) and,
with `--cprofile`, the functions with the most cumulative time.

    python -m bench.profile                       # every page, 30 requests each
    python -m bench.profile case_detail -n 100 --cprofile

Time is wall-clock on a machine that may be busy: compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.run import Config, ensure_database, production_environment


@contextmanager
def template_timer(totals: dict[str, float]) -> Iterator[None]:
    """Add the time of each template's `render` to `totals[template name]` (inclusive)."""
    from django.template.base import Template

    original = Template.render

    def timed(self: Template, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            totals[self.name or "<string>"] += time.perf_counter() - started

    Template.render = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        Template.render = original  # type: ignore[method-assign]


@contextmanager
def query_timer(log: list[tuple[float, str]]) -> Iterator[None]:
    from django.db import connection

    def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            log.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(wrapper):
        yield


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page keys (default: all)")
    parser.add_argument("-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--cprofile", action="store_true", help="also print a cProfile")
    parser.add_argument("--top", type=int, default=25, help="rows of the cProfile (default 25)")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile order: cumulative (default), tottime…"
    )
    args = parser.parse_args()

    production_environment()
    ensure_database(Config.from_env())
    os.environ.setdefault("VANGNET_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.test import Client

    from bench.pages import ANONYMOUS, open_sessions, personas, resolve_pages

    emails = personas()
    _cell, pages = resolve_pages(emails)
    wanted = [page for page in pages if not args.pages or page.key in args.pages]
    if not wanted:
        parser.error(f"no such page; pages: {', '.join(page.key for page in pages)}")
    for page in wanted:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.persona != ANONYMOUS:
            cookie = open_sessions(emails[page.persona], 1)[0]
            name, _, value = cookie.partition("=")
            client.cookies[name] = value
        for _ in range(3):  # warm caches, templates and the connection
            response = client.get(page.path)
            assert response.status_code == 200, (page.key, response.status_code)
        templates: dict[str, float] = defaultdict(float)
        queries: list[tuple[float, str]] = []
        profiler = cProfile.Profile() if args.cprofile else None
        started = time.perf_counter()
        with template_timer(templates), query_timer(queries):
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                client.get(page.path)
            if profiler:
                profiler.disable()
        elapsed = (time.perf_counter() - started) / args.n * 1000
        query_ms = sum(seconds for seconds, _ in queries) / args.n * 1000
        print(f"\n== {page.key} {page.path}")
        print(
            f"   {elapsed:.1f} ms per request; {len(queries) / args.n:.0f} queries "
            f"taking {query_ms:.1f} ms"
        )
        for name, seconds in sorted(templates.items(), key=lambda item: -item[1])[:12]:
            print(f"   {seconds / args.n * 1000:7.2f} ms  {name}")
        slowest: dict[str, float] = defaultdict(float)
        for seconds, sql in queries:
            slowest[sql[:150]] += seconds
        for sql, seconds in sorted(slowest.items(), key=lambda item: -item[1])[:5]:
            print(f"   {seconds / args.n * 1000:7.2f} ms  {sql}")
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
            stats.print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
