"""`make verify`: run the security and reliability checks of issue 12 and print their figures.

Checks that exist so far:

- **authorization matrix**: `vangnet/tests/test_authorization_matrix.py` against
  `docs/authorization-matrix.csv` (every route, GET and POST, 12 actors, canaries planted in
  Mechelen's data) plus the URLconf walk for visitors who are not (fully) signed in
  (`vangnet/tests/test_urlconf.py`);
- **fuzzing**: `vangnet/tests/test_fuzz_forms.py` (Hypothesis over the form of every POST
  route) and `test_upload_abuse.py` (spoofed, oversized, too many, zip bomb, name tricks);
- **restore drill**: `vangnet/backups/tests/` (backup, wipe, restore, counts, canary, chain,
  sign-in; unreadable without the master keys) on the configured database;
- **row-level security**: `vangnet/tests/test_row_level_security.py` on PostgreSQL (every tenant
  table has a forced policy, the app role owns nothing and bypasses nothing, the policies bind
  raw SQL and unscoped managers, the session's cell follows the scope);
- **static checks**: bandit over the application code (0 high-severity findings), Django's
  `check --deploy` with production settings (0 issues), pip-audit (0 known vulnerabilities);
- **crash safety** and **load** (`verify/slow.py`, minutes): PostgreSQL, production settings,
  gunicorn; see `verify/crash.py` and `verify/load.py`. `VERIFY_SLOW=0` skips them.

Exit status: 0 when every check ran and passed, 1 when one failed, 2 when all that ran passed
but some could not run or do not exist yet (they are listed as NOT RUN: the run is incomplete,
not green).
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSED, FAILED, NOT_RUN = "passed", "FAILED", "NOT RUN"
# What issue 12 asks; smaller runs (VERIFY_LOAD_*, VERIFY_CRASH_RUNS) are reported as NOT RUN.
LOAD_USERS, LOAD_SECONDS, CRASH_RUNS = 50, 300, 3
# Parts of issue 12 that have no check yet: reported, so that a run is never mistaken for
# complete.
MISSING: dict[str, str] = {}


@dataclass
class Result:
    name: str
    status: str
    figures: dict[str, object] = field(default_factory=dict)
    detail: str = ""


@dataclass
class PytestRun:
    """A pytest run of some test files and the JSON lines they wrote to VANGNET_VERIFY_DIR."""

    returncode: int
    stdout: str
    summary: str  # pytest's last line (or the end of stderr)
    reports: dict[str, list[dict[str, Any]]]  # file-name pattern: rows

    @property
    def failed_tests(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith("FAILED")]


def run_pytest(
    files: list[str],
    patterns: list[str],
    *,
    parallel: bool = True,
    env: dict[str, str] | None = None,
) -> PytestRun:
    workers = ["-n", os.environ.get("TEST_WORKERS", "auto")] if parallel else ["-p", "no:xdist"]
    with tempfile.TemporaryDirectory() as report_dir:
        completed = subprocess.run(
            [PYTHON, "-m", "pytest", "-q", *workers, *files],
            cwd=ROOT,
            env=os.environ | (env or {}) | {"VANGNET_VERIFY_DIR": report_dir},
            capture_output=True,
            text=True,
            check=False,
        )
        reports = {
            pattern: [
                json.loads(line)
                for path in Path(report_dir).glob(pattern)
                for line in path.read_text(encoding="utf-8").splitlines()
            ]
            for pattern in patterns
        }
    summary = completed.stdout.strip().splitlines()[-1:] or [completed.stderr[-500:]]
    return PytestRun(completed.returncode, completed.stdout, summary[0], reports)


def matrix() -> Result:
    started = time.monotonic()
    run = run_pytest(
        [
            "vangnet/tests/test_authorization_matrix.py",
            "vangnet/tests/test_urlconf.py",
            "vangnet/tests/test_cell_access_matrix.py",
        ],
        ["matrix-*.jsonl"],
    )
    rows = run.reports["matrix-*.jsonl"]
    findings = [finding for row in rows for finding in row["findings"]]
    routes = {row["route"] for row in rows}
    figures: dict[str, object] = {
        "routes walked": len(routes),
        "route and method rows": len(rows),
        "attempts": sum(row["attempts"] for row in rows),
        "unexpected verdicts": sum("the matrix says" in f for f in findings),
        "canary leaks": sum("leaked" in f for f in findings),
        "denied attempts that wrote": sum("denied but wrote" in f for f in findings),
        "server errors": sum("server error" in f for f in findings),
        "seconds": round(time.monotonic() - started, 1),
    }
    status = PASSED if run.returncode == 0 and rows and not findings else FAILED
    return Result("authorization matrix", status, figures, run.summary)


def fuzzing() -> Result:
    """Hypothesis over every POST route's form, and the upload abuse set."""
    run = run_pytest(
        ["vangnet/tests/test_fuzz_forms.py", "vangnet/tests/test_upload_abuse.py"],
        ["fuzz-*.jsonl", "uploads-*.jsonl"],
    )
    fuzz, uploads = run.reports["fuzz-*.jsonl"], run.reports["uploads-*.jsonl"]
    failures = [f for row in fuzz for f in row["failures"]]
    upload_findings = [f for row in uploads for f in row["findings"]]
    figures: dict[str, object] = {
        "form routes fuzzed": len(fuzz),
        "examples": sum(row["examples"] for row in fuzz),
        "form fields": sum(row["fields"] for row in fuzz),
        "examples the view accepted (redirect)": sum(row.get("accepted", 0) for row in fuzz),
        "routes with a form found": sum(1 for row in fuzz if row["fields"]),
        "server errors": sum("server error" in f for f in failures),
        "unescaped output": sum("unescaped" in f for f in failures),
        "upload views": len(uploads),
        "upload abuse cases": sum(row["cases"] for row in uploads),
        "abusive uploads stored or server errors": len(upload_findings),
    }
    ok = run.returncode == 0 and fuzz and uploads and not failures and not upload_findings
    detail = run.summary
    if not ok:  # the first findings, or the failed tests' lines, so a failure can be traced
        traces = [*failures[:2], *upload_findings[:2], *run.failed_tests[:3], run.summary]
        detail = "; ".join(traces)
    return Result("fuzzing and upload abuse", PASSED if ok else FAILED, figures, detail)


def restore_drill() -> Result:
    """backup → wipe → restore on the configured database (SQLite, or DATABASE_URL)."""
    run = run_pytest(["vangnet/backups/tests/"], ["restore.jsonl"], parallel=False)
    figures: dict[str, object] = {}
    for row in run.reports["restore.jsonl"]:
        figures |= row
    status = PASSED if run.returncode == 0 and figures.get("restored") else FAILED
    return Result("backup and restore drill", status, figures, run.summary)


def row_level_security() -> Result:
    """The policies, their meta-test and the app role, on PostgreSQL: DATABASE_URL when it is
    PostgreSQL, else the local server (started if needed; the test database is its own)."""
    from verify.stage import local_postgresql_url

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        try:
            url = local_postgresql_url("vangnet_verify_rls")
        except (OSError, subprocess.CalledProcessError) as error:
            return Result("row-level security", NOT_RUN, detail=f"no PostgreSQL: {error}")
    run = run_pytest(
        ["vangnet/tests/test_row_level_security.py"],
        ["rls.jsonl"],
        parallel=False,
        env={"DATABASE_URL": url},
    )
    figures: dict[str, object] = {}
    for row in run.reports["rls.jsonl"]:
        figures |= row
    ok = (
        run.returncode == 0
        and int(str(figures.get("tenant tables with a forced policy", 0))) > 0
        and figures.get("tenant tables without a policy") == 0
        and figures.get("app role is superuser or bypasses RLS") is False
        and figures.get("tables the app role owns") == 0
    )
    figures["tests"] = run.summary
    detail = "; ".join(run.failed_tests[:3])
    return Result("row-level security", PASSED if ok else FAILED, figures, detail)


def bandit() -> Result:
    if shutil.which("bandit", path=str(Path(PYTHON).parent)) is None:
        return Result("bandit", NOT_RUN, detail="bandit is not installed (make install)")
    completed = subprocess.run(
        [
            str(Path(PYTHON).parent / "bandit"),
            "-r",
            "vangnet",
            "bench",
            "verify",
            "-x",
            "*/tests/*,*/migrations/*,vangnet/tests_support",
            "-f",
            "json",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return Result("bandit", FAILED, detail=completed.stderr[-500:])
    counts = {"HIGH": 0, "MEDIUM": 0, "LOW": 0}
    for issue in report.get("results", []):
        counts[issue["issue_severity"]] = counts.get(issue["issue_severity"], 0) + 1
    figures: dict[str, object] = {
        "high": counts["HIGH"],
        "medium": counts["MEDIUM"],
        "low": counts["LOW"],
    }
    return Result("bandit", PASSED if counts["HIGH"] == 0 else FAILED, figures)


def check_deploy() -> Result:
    """`check --deploy --fail-level WARNING` with production settings and throw-away secrets."""
    env = os.environ | {
        "VANGNET_ENV": "production",
        "VANGNET_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "vangnet.settings",
        "VANGNET_SECRET_KEY": secrets.token_urlsafe(64),
        "VANGNET_MASTER_KEYS": "verify1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "VANGNET_BLIND_INDEX_KEY": secrets.token_hex(32),
        "VANGNET_ALLOWED_HOSTS": "vangnet.example.org",
        "VANGNET_SITE_URL": "https://vangnet.example.org",
        "VANGNET_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    env.setdefault("DATABASE_URL", "postgres://vangnet@127.0.0.1:5432/vangnet")
    completed = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (completed.stdout + completed.stderr).strip()
    found = re.search(r"identified (no|\d+) issue", output)
    issues: object = (0 if found.group(1) == "no" else int(found.group(1))) if found else "?"
    return Result(
        "check --deploy",
        PASSED if completed.returncode == 0 else FAILED,
        {"issues": issues},
        output.splitlines()[-1] if output else "",
    )


def pip_audit() -> Result:
    executable = Path(PYTHON).parent / "pip-audit"
    if not executable.exists():
        return Result("pip-audit", NOT_RUN, detail="pip-audit is not installed (make install)")
    try:
        completed = subprocess.run(
            [str(executable), "--format", "json", "--progress-spinner", "off", "--skip-editable"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return Result("pip-audit", NOT_RUN, detail="no answer within 10 minutes")
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return Result("pip-audit", NOT_RUN, detail=completed.stderr.strip()[-300:])
    dependencies = report.get("dependencies", [])
    unknown = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    figures: dict[str, object] = {
        "packages": len(dependencies),
        "known vulnerabilities": sum(len(d["vulns"]) for d in vulnerable),
        "not found in the service": len(unknown),
    }
    if vulnerable:
        return Result("pip-audit", FAILED, figures, ", ".join(d["name"] for d in vulnerable))
    if unknown or not dependencies:
        # A package the service does not know was not audited: the audit is incomplete (when
        # every package is unknown, the service did not answer at all).
        why = (
            "the vulnerability service gave no answer"
            if len(unknown) == len(dependencies)
            else ("not audited: " + ", ".join(d["name"] for d in unknown))
        )
        return Result("pip-audit", NOT_RUN, figures, why)
    return Result("pip-audit", PASSED, figures)


def slow_checks() -> list[Result]:
    """Crash safety and load (verify/slow.py): production settings on PostgreSQL, minutes."""
    if os.environ.get("VERIFY_SLOW", "1") == "0":
        why = "VERIFY_SLOW=0"
        return [Result("crash safety", NOT_RUN, detail=why), Result("load", NOT_RUN, detail=why)]
    completed = subprocess.run(
        [PYTHON, "-m", "verify.slow"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("VERIFY_RESULT ")), None)
    if completed.returncode != 0 or line is None:
        detail = (completed.stderr or completed.stdout).strip()[-800:]
        return [Result("crash safety", FAILED, detail=detail), Result("load", FAILED)]
    data = json.loads(line.removeprefix("VERIFY_RESULT "))
    crash = data["crash"]
    crash_ok = (
        not crash["findings"]
        and crash["lost"] == 0
        and crash["partial"] == 0
        and crash["chain_valid"]
        and crash["interrupted_runs"] == crash["runs"]
        and crash["restarted"] == crash["runs"]
    )
    findings = crash.pop("findings")
    load = data["load"]
    clean = load["non-2xx"] == 0 and load["connection errors and timeouts"] == 0
    if not clean or not load["requests"]:
        load_status = FAILED
    elif load["users"] < LOAD_USERS or load["seconds"] < LOAD_SECONDS:
        # Clean, but smaller than issue 12 asks: not the proof, so not a pass.
        load_status = NOT_RUN
    else:
        load_status = PASSED
    crash_status = PASSED if crash_ok else FAILED
    if crash_ok and crash["runs"] < CRASH_RUNS:
        crash_status = NOT_RUN
    return [
        Result("crash safety", crash_status, crash, "; ".join(findings)),
        Result("load", load_status, load),
    ]


def main() -> int:
    results = [matrix(), fuzzing(), restore_drill(), row_level_security()]
    results += [bandit(), check_deploy(), pip_audit()]
    results += slow_checks()
    results += [Result(name, NOT_RUN, detail=why) for name, why in MISSING.items()]
    print("\nVangnet verification (issue 12)\n")
    for result in results:
        print(f"{result.status:>8}  {result.name}")
        for name, value in result.figures.items():
            print(f"{'':10}{name}: {value}")
        if result.detail:
            print(f"{'':10}{result.detail}")
    statuses = {result.status for result in results}
    if FAILED in statuses:
        print("\nverify: FAILED")
        return 1
    if NOT_RUN in statuses:
        print("\nverify: INCOMPLETE (every check that ran passed; see NOT RUN above)")
        return 2
    print("\nverify: passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
