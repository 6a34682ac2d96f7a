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


def _backend_cpu_reader() -> Callable[[], float]:
    """Seconds of CPU the database server process of this connection has used so far, read
    from /proc when PostgreSQL runs on this machine (0.0 when it cannot be read)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return read


def pages_in_process() -> tuple[dict[str, str], list[Any]]:
    """Django set up in this process as the bench's server is (settings, database, data):
    the personas' e-mail addresses and the benchmarked pages."""
    production_environment()
    ensure_database(Config.from_env())
    os.environ.setdefault("VANGNET_LOG_LEVEL", "ERROR")
    import django

    django.setup()

    from bench.pages import personas, resolve_pages

    emails = personas()
    _cell, pages = resolve_pages(emails)
    return emails, pages


def _client(page: Any, emails: dict[str, str]) -> Any:
    from django.test import Client

    from bench.pages import ANONYMOUS, open_sessions

    client = Client(HTTP_HOST="127.0.0.1")
    if page.persona != ANONYMOUS:
        cookie = open_sessions(emails[page.persona], 1)[0]
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    for _ in range(3):  # warm caches, templates and the connection
        response = client.get(page.path)
        assert response.status_code == 200, (page.key, response.status_code)
    return client


def _paired(page: Any, floor: Any, emails: dict[str, str], n: int) -> None:
    """CPU per request (this process and the database server's process) of the page and of
    the floor, one request of each in turn: a busy or throttled machine slows both alike, so
    their ratio holds still where the absolute numbers move by a quarter from run to run.

    The start-up objects are frozen out of the garbage collector first, as in the gunicorn
    workers (``vangnet/wsgi.py``). Besides the means, the median of the app's CPU (plus the
    database's mean, read in clock ticks of 10 ms): a stall moves a mean but hardly a median."""
    import gc
    import statistics

    clients = {"page": _client(page, emails), "floor": _client(floor, emails)}
    paths = {"page": page.path, "floor": floor.path}
    backend = _backend_cpu_reader()
    spent: dict[str, list[tuple[float, float]]] = {"page": [], "floor": []}
    gc.collect()
    gc.freeze()
    for _ in range(n):
        for which in ("floor", "page"):
            database, started = backend(), time.process_time()
            clients[which].get(paths[which])
            spent[which].append((time.process_time() - started, backend() - database))

    def ms(which: str, part: int) -> float:
        return sum(sample[part] for sample in spent[which]) / n * 1000

    def median_ms(which: str) -> float:
        return statistics.median(app for app, _ in spent[which]) * 1000 + ms(which, 1)

    print(
        f"{page.key:18} {ms('page', 0):6.1f} + {ms('page', 1):4.1f} ms (app + database) "
        f"against the floor's {ms('floor', 0):4.1f} + {ms('floor', 1):3.1f} ms: "
        f"{(ms('page', 0) + ms('page', 1)) / (ms('floor', 0) + ms('floor', 1)):.2f} x the floor "
        f"(medians {median_ms('page'):.1f} / {median_ms('floor'):.1f} ms: "
        f"{median_ms('page') / median_ms('floor'):.2f} x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page keys (default: all)")
    parser.add_argument("-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--cprofile", action="store_true", help="also print a cProfile")
    parser.add_argument("--top", type=int, default=25, help="rows of the cProfile (default 25)")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile order: cumulative (default), tottime…"
    )
    parser.add_argument("--queries", type=int, default=5, help="slowest queries shown (5)")
    parser.add_argument(
        "--paired",
        action="store_true",
        help="CPU per request of each page against the floor's, their requests interleaved",
    )
    parser.add_argument("--dump", help="write the cProfile data to this file (pstats format)")
    args = parser.parse_args()
    if args.dump and not args.cprofile:
        parser.error("--dump writes the cProfile data: use it with --cprofile")

    emails, pages = pages_in_process()
    wanted = [page for page in pages if not args.pages or page.key in args.pages]
    if not wanted:
        parser.error(f"no such page; pages: {', '.join(page.key for page in pages)}")
    if args.paired:
        floor = next(page for page in pages if page.key == "floor")
        for page in wanted:
            _paired(page, floor, emails, args.n)
        return 0
    for page in wanted:
        client = _client(page, emails)
        templates: dict[str, float] = defaultdict(float)
        queries: list[tuple[float, str]] = []
        profiler = cProfile.Profile() if args.cprofile else None
        backend = _backend_cpu_reader()
        backend_started = backend()
        cpu_started = time.process_time()
        started = time.perf_counter()
        with template_timer(templates), query_timer(queries):
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                client.get(page.path)
            if profiler:
                profiler.disable()
        elapsed = (time.perf_counter() - started) / args.n * 1000
        cpu = (time.process_time() - cpu_started) / args.n * 1000
        backend_cpu = (backend() - backend_started) / args.n * 1000
        query_ms = sum(seconds for seconds, _ in queries) / args.n * 1000
        print(f"\n== {page.key} {page.path}")
        print(
            f"   {elapsed:.1f} ms per request; {len(queries) / args.n:.0f} queries "
            f"taking {query_ms:.1f} ms"
        )
        print(
            f"   CPU per request: {cpu:.1f} ms in this process (timers included), "
            f"{backend_cpu:.1f} ms in the database server process"
            + ("" if backend_started else " (not readable: not a local PostgreSQL)")
        )
        for name, seconds in sorted(templates.items(), key=lambda item: -item[1])[:12]:
            print(f"   {seconds / args.n * 1000:7.2f} ms  {name}")
        slowest: dict[str, float] = defaultdict(float)
        for seconds, sql in queries:
            slowest[sql[:230]] += seconds
        for sql, seconds in sorted(slowest.items(), key=lambda item: -item[1])[: args.queries]:
            print(f"   {seconds / args.n * 1000:7.2f} ms  {sql}")
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
            stats.print_stats(args.top)
            if args.dump:
                stats.dump_stats(f"{args.dump}.{page.key}")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
