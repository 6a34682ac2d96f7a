"""`make bench`: measure the key pages under production settings, gunicorn and wrk.

1. Database: `DATABASE_URL`, or the local PostgreSQL (started if needed) with a database
   `vangnet_bench` (`vangnet_bench_<scale>` for the other scales).
2. `migrate`, then `generate_scale_data` unless the coordinator persona is already there.
3. `collectstatic` (production serves the compressed manifest).
4. Signed-in sessions for the personas, then gunicorn with `bench.settings`.
5. Per page: one probe request (must answer 200; gives the queries), a warm-up, then wrk with
   1 and with 8 clients for a fixed time, each client with its own session.
6. Worker memory, then (gunicorn stopped) `audit_verify` and `purge_expired` timings.
7. `bench/results/<UTC time>-<scale>.json` and `.md`, and `bench/results/latest.md`.

Configuration: the BENCH_* variables in docs/configuration.md. Run with `make bench`
(or `python -m bench.run`). See docs/performance.md.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.pages import Page

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR_DIR = ROOT / "var" / "bench"
RESULTS_DIR = BENCH_DIR / "results"
SCALES = ("tiny", "small", "flanders", "10x")
CLIENTS = (1, 8)
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Config:
    scale: str
    regenerate: bool
    duration_s: int
    warmup_s: int
    max_requests: int
    workers: int
    threads: int
    purge_cases: int
    strict: bool
    slices: int = 4
    # gthread, not sync: it keeps connections alive (sync closes each one, so wrk would time
    # TCP set-up too), and with 2 x 4 threads all 8 clients are served at once, so p95 shows
    # the contention (CPU, PostgreSQL, the audit chain's lock) instead of a listen queue.
    worker_class: str = "gthread"

    @classmethod
    def from_env(cls) -> Config:
        from vangnet.lib.env import env_bool, env_choice, env_int

        return cls(
            scale=env_choice("BENCH_SCALE", "flanders", SCALES),
            regenerate=env_bool("BENCH_REGENERATE", default=False),
            duration_s=env_int("BENCH_DURATION", 10, minimum=1),
            warmup_s=env_int("BENCH_WARMUP", 2, minimum=0),
            max_requests=env_int("BENCH_MAX_REQUESTS", 50_000, minimum=1),
            workers=env_int("BENCH_WORKERS", 2, minimum=1),
            threads=env_int("BENCH_THREADS", 4, minimum=1),
            purge_cases=env_int("BENCH_PURGE_CASES", 500, minimum=1),
            strict=env_bool("BENCH_STRICT", default=False),
            slices=env_int("BENCH_SLICES", 4, minimum=1),
        )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


# -- Environment and database -------------------------------------------------------------


def production_environment(
    var_dir: Path = VAR_DIR,
    settings_module: str = "bench.settings",
    site_url: str = "https://vangnet.bench.invalid",
) -> None:
    """Production mode with secrets kept in `var_dir` (var/bench/ for the benchmark, so the data
    stays readable; `make verify` passes its own folder and the plain production settings)."""
    path = var_dir / "secrets.json"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        made = {
            "VANGNET_SECRET_KEY": secrets.token_urlsafe(64),
            "VANGNET_MASTER_KEYS": f"{var_dir.name}1:"
            + base64.b64encode(secrets.token_bytes(32)).decode(),
            "VANGNET_BLIND_INDEX_KEY": secrets.token_hex(32),
        }
        path.write_text(json.dumps(made, indent=2), encoding="utf-8")
        path.chmod(0o600)
    for name, value in json.loads(path.read_text(encoding="utf-8")).items():
        if not os.environ.get(name) and not os.environ.get(f"{name}_FILE"):
            os.environ[name] = value
    os.environ["VANGNET_ENV"] = "production"
    os.environ["VANGNET_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    defaults = {
        "VANGNET_ALLOWED_HOSTS": f"{HOST},localhost",
        "VANGNET_SITE_URL": site_url,
        # wrk speaks plain HTTP on loopback; a deployment terminates TLS in front of gunicorn.
        "VANGNET_SSL_REDIRECT": "false",
        # Persistent connections, as a deployment would configure (docs/performance.md).
        "VANGNET_DB_CONN_MAX_AGE": "60",
        # The benchmark sends no mail (SMTP to localhost would fail the generator).
        "VANGNET_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "VANGNET_STATIC_ROOT": str(var_dir / "static"),
        "VANGNET_MEDIA_ROOT": str(var_dir / "media"),
        "VANGNET_LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


def ensure_database(config: Config) -> str:
    """`DATABASE_URL` as given, or the local PostgreSQL with a bench database (created).

    The generator fills only an empty database: with `BENCH_REGENERATE` the bench's own
    database is dropped and created again (a database given by `DATABASE_URL` never is).
    """
    if os.environ.get("DATABASE_URL"):
        return "DATABASE_URL"
    if not _postgresql_ready():
        version = sorted(os.listdir("/etc/postgresql"))[0]
        log(f"starting PostgreSQL {version}")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
        for _ in range(30):
            if _postgresql_ready():
                break
            time.sleep(1)
    name = "vangnet_bench" if config.scale == "flanders" else f"vangnet_bench_{config.scale}"
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/postgres", autocommit=True) as db:
        if config.regenerate:
            log(f"dropping database {name} (BENCH_REGENERATE)")
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            db.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"postgres://postgres@{HOST}:5432/{name}"
    return name


def _postgresql_ready() -> bool:
    ready = subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", "5432"], check=False)
    return ready.returncode == 0


def prepare_data(config: Config) -> dict[str, str]:
    from django.core.management import call_command
    from django.db import connection

    from bench.pages import data_present, personas

    log("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    emails = personas()
    if data_present(emails):
        log("data present (BENCH_REGENERATE=1 to generate it again)")
    else:
        log(f"generate_scale_data --scale {config.scale} (the slow part)")
        started = time.perf_counter()
        # The generator refuses production settings: it runs in development mode, with the
        # same database and keys, so the data it encrypts is readable by the bench server.
        env = {
            **os.environ,
            "VANGNET_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "vangnet.settings",
        }
        command = [sys.executable, "manage.py", "generate_scale_data", f"--scale={config.scale}"]
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        log(f"data generated in {time.perf_counter() - started:.0f} s")
    # The state a deployment's autovacuum keeps: planner statistics, and GIN indexes (the
    # knowledge search) with their pending entries merged. Data loaded in bulk has neither
    # until autovacuum runs, and a server may run with it off. Seconds when nothing changed.
    log("vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log("collectstatic")
    call_command("collectstatic", interactive=False, verbosity=0)
    return emails


# -- gunicorn and wrk -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with bench settings on a free loopback port."""

    def __init__(self, config: Config) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "vangnet.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={config.workers}",
            f"--worker-class={config.worker_class}",
            f"--threads={config.threads}",
            # A gthread worker accepts a connection only while it has fewer than this many,
            # so with one per thread a request goes to a worker with a free thread. With the
            # default (1000) one worker could take all of wrk's 8 kept-alive connections and
            # serve them on one core (the GIL) while the other idled: a page measured half
            # as fast in one run as in the next. The price: gunicorn keeps no connection
            # alive then (it warns so at start), and each request opens one on loopback.
            f"--worker-connections={config.threads}",
            f"--chdir={ROOT}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, env=os.environ.copy())
        self._wait_ready()

    def _wait_ready(self) -> None:
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            try:
                if self.get("/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz/ within 20 s")

    def get(self, path: str, cookie: str = "") -> tuple[int, dict[str, str]]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            connection.close()

    def worker_rss_mb(self) -> list[float]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [_rss_mb(int(child)) for child in children]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def wrk(
    server: Server, path: str, cookies: list[str], clients: int, seconds: int, cap: int
) -> dict[str, Any]:
    """One wrk run; each of `clients` threads holds one connection and one session."""
    env = {
        **os.environ,
        "BENCH_COOKIES": "\n".join(cookies[:clients]),
        "BENCH_MAX_PER_THREAD": str(-(-cap // clients)),
    }
    command = [
        "wrk",
        f"--threads={clients}",
        f"--connections={clients}",
        f"--duration={seconds}s",
        "--timeout=30s",
        f"--script={BENCH_DIR / 'wrk.lua'}",
        f"http://{HOST}:{server.port}{path}",
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    if raw["non2xx"]:
        raise RuntimeError(
            f"{path}: {raw['non2xx']} responses were not 2xx (last {raw['bad_status']}): "
            "the run would measure error pages"
        )
    return {
        "clients": clients,
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        # Timeouts and broken connections: the page fails its target (latency is incomplete).
        "errors": raw["socket_errors"],
    }


def ensure_wrk() -> None:
    """wrk is Debian's package; install it the way .ci/run installs chromium."""
    if shutil.which("wrk"):
        return
    log("installing wrk (apt-get)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )


def measure_pages(
    config: Config, server: Server, pages: list[Page], cookies: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Every page, its 8-client run interleaved with the floor's: the page's ratios are taken
    against the floor measured in the same stretch of time, so that the machine's speed
    drifting during the run (seen: the floor at 122 and at 225 req/s a minute apart; at 307
    and 421 req/s an hour apart) counts for both alike."""
    floor = next(page for page in pages if page.key == "floor")
    floor_cookies = cookies[floor.persona]
    results = []
    for page in pages:
        page_cookies = cookies.get(page.persona, [""] * max(CLIENTS))
        if page.key == "floor":
            result = measure_page(config, server, page, page_cookies)
        else:
            result = measure_page(config, server, page, page_cookies, eight=False)
            result["c8"], result["floor_c8"] = interleaved(
                config, server, (page.path, page_cookies), (floor.path, floor_cookies)
            )
            log_run(max(CLIENTS), result["c8"])
            paired = result["floor_c8"]
            log(f"  floor alongside: {paired['rps']:.0f} req/s, p95 {paired['p95_ms']:.1f} ms")
        results.append(result)
    return results


def interleaved(
    config: Config,
    server: Server,
    page: tuple[str, list[str]],
    floor: tuple[str, list[str]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page and the floor at 8 clients in turns of `duration / slices` seconds (at least
    2), ordered page, floor, floor, page, page, floor... so that a steady drift of the
    machine's speed favours neither. Each side's runs are merged (``merged``)."""
    seconds = max(2, -(-config.duration_s // config.slices))
    cap = max(1, config.max_requests // config.slices)
    runs: dict[str, list[dict[str, Any]]] = {"page": [], "floor": []}
    order = ["page", "floor", "floor", "page"] * config.slices
    for side in order[: 2 * config.slices]:
        path, cookies = page if side == "page" else floor
        runs[side].append(wrk(server, path, cookies, max(CLIENTS), seconds, cap))
    return merged(runs["page"]), merged(runs["floor"])


def merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One result of several wrk runs of the same page: requests per second over their whole
    time; latency percentiles averaged with each run's requests as weights (wrk reports
    percentiles, not the latencies); the largest maximum; every error."""
    if len(runs) == 1:
        return runs[0]
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)

    def weighted(key: str) -> float:
        return round(sum(run[key] * run["requests"] for run in runs) / max(requests, 1), 3)

    return {
        "clients": runs[0]["clients"],
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 1),
        "p50_ms": weighted("p50_ms"),
        "p95_ms": weighted("p95_ms"),
        "p99_ms": weighted("p99_ms"),
        "max_ms": max(run["max_ms"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "runs": len(runs),
    }


def log_run(clients: int, run: dict[str, Any]) -> None:
    log(
        f"  {clients} client(s): {run['rps']:.0f} req/s, "
        f"p50 {run['p50_ms']:.1f} p95 {run['p95_ms']:.1f} p99 {run['p99_ms']:.1f} ms"
    )


def measure_page(
    config: Config, server: Server, page: Page, cookies: list[str], *, eight: bool = True
) -> dict[str, Any]:
    """Probe (must answer 200), warm up, count queries, then measure with 1 client and (unless
    ``eight`` is False: ``interleaved`` does that) with 8."""
    from bench.middleware import HEADER

    def load(clients: int, seconds: int) -> dict[str, Any]:
        return wrk(server, page.path, cookies, clients, seconds, config.max_requests)

    status, _headers = server.get(page.path, cookies[0])
    if status != 200:
        raise RuntimeError(f"{page.title} ({page.path}) answered {status}, not 200")
    if config.warmup_s:
        load(max(CLIENTS), config.warmup_s)
    # Warm: the smaller of two counts leaves out the session guard's once-a-minute write.
    queries = min(int(server.get(page.path, cookies[0])[1][HEADER]) for _ in range(2))
    log(f"{page.title}: {page.path} ({queries} queries)")
    result = {**asdict(page), "queries": queries}
    for clients in CLIENTS if eight else CLIENTS[:-1]:
        run = result[f"c{clients}"] = load(clients, config.duration_s)
        log_run(clients, run)
    return result


# -- Machine ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    memory_kb = int(meminfo[meminfo.index("MemTotal:") + 1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    ).stdout.strip()
    dirty = subprocess.run(
        # Results written by earlier runs are output, not a change to what is measured.
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    ).stdout.strip()
    return {
        "cpu_model": model,
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgresql,
        "commit": (commit or "unknown") + ("+changes" if dirty else ""),
    }


# -- Main -----------------------------------------------------------------------------------


def main() -> int:
    production_environment()
    config = Config.from_env()
    database = ensure_database(config)
    ensure_wrk()
    import django

    django.setup()
    from django.db import connections

    from bench import report
    from bench.measure import measure_audit_verify, measure_purge
    from bench.pages import ANONYMOUS, DEMO_PERSONAS, open_sessions, resolve_pages

    started_at = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    log(f"scale {config.scale}, database {database}")
    emails = prepare_data(config)
    cell, pages = resolve_pages(emails)
    personas = {page.persona for page in pages} - {ANONYMOUS}
    cookies = {persona: open_sessions(emails[persona], max(CLIENTS)) for persona in personas}
    connections.close_all()

    log(f"gunicorn: {config.workers} {config.worker_class} workers x {config.threads} threads")
    server = Server(config)
    try:
        page_results = measure_pages(config, server, pages, cookies)
        worker_mb = server.worker_rss_mb()
    finally:
        server.stop()

    log("audit_verify over the whole chain")
    audit = measure_audit_verify()
    log(f"  {audit['checked']:,} events in {audit['seconds']:.1f} s")
    sizes = [config.purge_cases * factor for factor in (1, 2, 4)]
    log(f"purge_expired with {', '.join(map(str, sizes))} expired cases (rolled back)")
    purge_runs = measure_purge(cell, sizes)

    run = report.judge(
        {
            "started_at": started_at,
            "scale": config.scale,
            "data": "demo" if emails == DEMO_PERSONAS else f"scale `{config.scale}`",
            "settings": {**asdict(config), "clients": list(CLIENTS)},
            "machine": machine(),
            "pages": page_results,
            "memory": {"worker_mb": worker_mb, "max_worker_mb": max(worker_mb)},
            "audit_verify": audit,
            "purge_expired": {"runs": purge_runs},
        }
    )
    path = report.write(run, RESULTS_DIR)
    print()
    print(path.read_text(encoding="utf-8"))
    log(f"results: {path.relative_to(ROOT)} (and bench/results/latest.md)")
    if not run["pass"]:
        log(
            "some targets FAILED (see the table)"
            + ("" if config.strict else "; BENCH_STRICT=1 exits non-zero")
        )
        return 1 if config.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
