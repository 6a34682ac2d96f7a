"""Load (issue 12, item 6): 50 concurrent users for 5 minutes on loopback, 0 errors.

wrk drives gunicorn (production settings, PostgreSQL, the demo data) with one thread and one
connection per user, each with its own signed-in session, walking through the key pages of its
persona without pause (a closed loop: far more than 50 people clicking): four in five users are
the coordinator of Mechelen (cell home, case list, a case, a meeting, the partner map data, a
self-evaluation round, the knowledge search), one in five VVSG staff (helpdesk queue, dashboard).
Every answer must be a 2xx within wrk's 30-second timeout; no connection may fail.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from bench.run import HOST, ensure_wrk
from verify.stage import log, start_server

HERE = Path(__file__).resolve().parent


def run_load(users: int, seconds: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connections

    from bench.pages import ANONYMOUS, DEMO_PERSONAS, open_sessions, resolve_pages

    ensure_wrk()
    _cell, pages = resolve_pages(DEMO_PERSONAS)
    by_persona: dict[str, list[str]] = {}
    for page in pages:
        if page.key != "floor" and page.persona != ANONYMOUS:  # the floor is bench-only
            by_persona.setdefault(page.persona, []).append(page.path)
    staff_users = max(1, users // 5)
    counts = {"coordinator": users - staff_users, "staff": staff_users}
    lines = []
    for persona, count in counts.items():
        paths = by_persona[persona]
        for index, cookie in enumerate(open_sessions(DEMO_PERSONAS[persona], count)):
            rotated = paths[index % len(paths) :] + paths[: index % len(paths)]
            lines.append(f"{cookie}\t{' '.join(rotated)}")
    connections.close_all()
    server = start_server()
    try:
        log(f"load: {users} users for {seconds} s")
        command = [
            "wrk",
            f"--threads={users}",
            f"--connections={users}",
            f"--duration={seconds}s",
            "--timeout=30s",
            f"--script={HERE / 'load.lua'}",
            f"http://{HOST}:{server.port}/",
        ]
        env = {**os.environ, "LOAD_USERS": "\n".join(lines)}
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    finally:
        server.stop()
    line = next(line for line in output.splitlines() if line.startswith("LOAD_RESULT "))
    raw = json.loads(line.removeprefix("LOAD_RESULT "))
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "users": users,
        "seconds": seconds,
        "requests": raw["requests"],
        "requests per second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50 / p95 / p99 ms": (
            f"{raw['p50_us'] / 1000:.0f} / {raw['p95_us'] / 1000:.0f} / {raw['p99_us'] / 1000:.0f}"
        ),
        "non-2xx": raw["non2xx"],
        "connection errors and timeouts": errors,
        "last bad answer": f"{raw['bad_status']} {raw['bad_path']}" if raw["non2xx"] else "",
    }
