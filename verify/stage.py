"""A production-like instance for the crash and load checks of `make verify`.

Its own PostgreSQL database (`vangnet_verify`, dropped and created again on every run, migrated
by its owner and used by the app through a login role of its own that row-level security binds;
or `VERIFY_DATABASE_URL`, used as it is and never dropped) with the demo loaded, production
settings (`VANGNET_ENV=production`, secrets generated once into `var/verify/secrets.json`),
collected static files, and gunicorn on a free loopback port (the benchmark's `Server`).
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.run import HOST, Config, Server, _postgresql_ready
from bench.run import production_environment as bench_production_environment

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "verify"
DATABASE = "vangnet_verify"
DEMO = "demo.vangnet.invalid"
COORDINATOR = f"coordinator.mechelen@{DEMO}"
STAFF = f"ondersteuning@{DEMO}"


def log(message: str) -> None:
    print(f"[verify {time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", flush=True)


def production_environment() -> None:
    """The benchmark's production environment, with verify's own secrets and folders, the
    plain production settings and only errors logged."""
    bench_production_environment(VAR_DIR, "vangnet.settings", "https://vangnet.verify.invalid")
    os.environ["VANGNET_LOG_LEVEL"] = "ERROR"


APP_ROLE = "vangnet_verify_app"


def local_postgresql_url(database: str) -> str:
    """The local PostgreSQL server (started if needed) with `database` dropped and created
    again; returns the owner's (the superuser's) URL."""
    if not _postgresql_ready():
        version = sorted(os.listdir("/etc/postgresql"))[0]
        log(f"starting PostgreSQL {version}")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=True,
        )
        for _ in range(30):
            if _postgresql_ready():
                break
            time.sleep(1)
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{database}"')
    return f"postgres://postgres@{HOST}:5432/{database}"


def _app_role_url(owner_url: str) -> str:
    """A login role of its own for the app, as production should have (docs/operations.md):
    it owns no table and has no BYPASSRLS; migrate grants it what it may do."""
    import psycopg

    from vangnet.lib.rls import app_role_create_sql

    with psycopg.connect(owner_url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(app_role_create_sql(APP_ROLE, login=True))
    return f"postgres://{APP_ROLE}@{HOST}:5432/{DATABASE}"


def prepare_database() -> str:
    """The verify database, empty, migrated (by its owner) and with the demo; returns the URL
    the app uses: a role that row-level security binds, unless VERIFY_DATABASE_URL is given."""
    url = os.environ.get("VERIFY_DATABASE_URL")
    manage = [sys.executable, "manage.py"]
    if url:
        os.environ["DATABASE_URL"] = url
        log("migrate")
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, check=True)
    else:
        owner_url = local_postgresql_url(DATABASE)
        url = _app_role_url(owner_url)
        os.environ["VANGNET_DB_APP_ROLE"] = APP_ROLE
        log(f"migrate as the owner; the app signs in as {APP_ROLE}")
        subprocess.run(
            [*manage, "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": owner_url},
            check=True,
        )
        os.environ["DATABASE_URL"] = url
    log("demo, collectstatic")
    # The demo refuses production settings: it runs in development mode on the same database
    # with the same keys, so the server can read what it encrypted.
    development = {**os.environ, "VANGNET_ENV": "development"}
    subprocess.run(
        [*manage, "demo"], cwd=ROOT, env=development, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True)
    return url


def start_server() -> Server:
    config = Config(
        scale="demo",
        regenerate=False,
        duration_s=0,
        warmup_s=0,
        max_requests=0,
        workers=2,
        threads=4,
        purge_cases=0,
        strict=False,
    )
    return Server(config)


def session_cookie(email: str, count: int) -> list[str]:
    """`count` signed-in sessions for the demo account (Django must be set up)."""
    from bench.pages import open_sessions

    return open_sessions(email, count)


class Browser:
    """One signed-in client over plain http.client: cookies, a form's CSRF token, POSTs."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookies = dict([cookie.split("=", 1)])

    def request(self, method: str, path: str, body: str = "") -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), content
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        status, _headers, content = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        return match.group(1)
