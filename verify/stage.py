"""A production-like instance for the crash and load checks of `make verify`.

Its own PostgreSQL database (`vangnet_verify`, dropped and created again on every run; or
`VERIFY_DATABASE_URL`, used as it is and never dropped) with the demo loaded, production
settings (`VANGNET_ENV=production`, secrets generated once into `var/verify/secrets.json`),
collected static files, and gunicorn on a free loopback port (the benchmark's `Server`).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench.run import HOST, Config, Server, _postgresql_ready

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "verify"
DATABASE = "vangnet_verify"
DEMO = "demo.vangnet.invalid"
COORDINATOR = f"coordinator.mechelen@{DEMO}"
STAFF = f"ondersteuning@{DEMO}"


def log(message: str) -> None:
    print(f"[verify {time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", flush=True)


def production_environment() -> None:
    path = VAR_DIR / "secrets.json"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        made = {
            "VANGNET_SECRET_KEY": secrets.token_urlsafe(64),
            "VANGNET_MASTER_KEYS": "verify1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "VANGNET_BLIND_INDEX_KEY": secrets.token_hex(32),
        }
        path.write_text(json.dumps(made, indent=2), encoding="utf-8")
        path.chmod(0o600)
    os.environ.update(json.loads(path.read_text(encoding="utf-8")))
    os.environ.update(
        {
            "VANGNET_ENV": "production",
            "VANGNET_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "vangnet.settings",
            "VANGNET_ALLOWED_HOSTS": f"{HOST},localhost",
            "VANGNET_SITE_URL": "https://vangnet.verify.invalid",
            # Plain HTTP on loopback; a deployment terminates TLS in front of gunicorn.
            "VANGNET_SSL_REDIRECT": "false",
            "VANGNET_DB_CONN_MAX_AGE": "60",
            "VANGNET_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "VANGNET_STATIC_ROOT": str(VAR_DIR / "static"),
            "VANGNET_MEDIA_ROOT": str(VAR_DIR / "media"),
            "VANGNET_LOG_LEVEL": "ERROR",
        }
    )


def prepare_database() -> str:
    """The verify database, empty, migrated and with the demo; returns its URL."""
    url = os.environ.get("VERIFY_DATABASE_URL")
    if not url:
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
            db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{DATABASE}"')
        url = f"postgres://postgres@{HOST}:5432/{DATABASE}"
    os.environ["DATABASE_URL"] = url
    manage = [sys.executable, "manage.py"]
    log("migrate, demo, collectstatic")
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, check=True)
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
