"""Crash safety (issue 12, item 5): kill -9 the application server during a burst of writes.

Each run starts gunicorn (production settings, PostgreSQL), lets eight clients plan meetings
through the real form (`meetings:new`, two invited organisations each) and open cases from
screened signals (`intake:signal_open_case`) as fast as they can, and after a random moment
SIGKILLs the master and every worker. Then, once the killed workers' database sessions are gone,
in one repeatable-read snapshot:

- every meeting and case a client saw acknowledged (302 to it) exists: nothing acknowledged is
  lost;
- every meeting and case the run created (found by title, and by the cell and the moment it was
  opened: not only those acknowledged) is whole: a meeting has its two invited organisations and
  its audit event, a case its signal, its audit event and a readable name; no audit event names a
  meeting or case that does not exist;
- at least one write (a POST) was on its way when the kill came: the kill cut the burst;
- then the server starts again and answers, and at the end the audit chain verifies.

Any other answer than the expected redirect, and any error before the kill, is a finding.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from verify.stage import COORDINATOR, Browser, log, session_cookie, start_server

CLIENTS = 8
SIGNALS_PER_RUN = 400


@dataclass
class Burst:
    """One run's clients and what they saw."""

    run: int
    port: int
    cookies: list[str]
    cell_id: str
    chair_id: str
    organisations: list[str]
    signals: list[str]
    first_day: Any
    slots: Any  # shared iterator of meeting slots (one hour each), across the runs
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    meetings: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    # POSTs sent but not answered when the server died: the kill cut writes in progress.
    cut: int = 0

    def __post_init__(self) -> None:
        self._unopened = iter(self.signals)

    def client(self, number: int) -> None:
        browser = Browser(self.port, self.cookies[number])
        try:
            while not self.stop.is_set():
                with self.lock:
                    if number % 2:  # half the clients open cases, half plan meetings
                        work: Any = next(self._unopened, None)
                    else:
                        work = next(self.slots)
                if work is None:
                    return
                if number % 2:
                    self._case(browser, work)
                else:
                    self._meeting(browser, work)
        except Exception as error:  # after the kill every error is expected
            if not self.stop.is_set():
                with self.lock:
                    self.findings.append(f"run {self.run}: client {number}: {error!r}"[:300])

    def _meeting(self, browser: Browser, slot: int) -> bool:
        path = f"/cells/{self.cell_id}/meetings/new/"
        token = browser.csrf_token(path)
        form = [
            ("csrfmiddlewaretoken", token),
            ("kind", "case"),
            ("title", f"Crashtest {self.run}-{slot}"),
            # One hour per meeting: the chair may not be in two at once.
            ("date", (self.first_day + timedelta(days=slot // 8)).isoformat()),
            ("start", f"{9 + slot % 8:02d}:00"),
            ("end", f"{9 + slot % 8:02d}:50"),
            ("chair", self.chair_id),
            *[("invited_organisations", org) for org in self.organisations],
        ]
        return self._post(browser, path, urlencode(form), "/meetings/", self.meetings)

    def _case(self, browser: Browser, signal_id: str) -> bool:
        path = f"/cells/{self.cell_id}/signals/{signal_id}/"
        token = browser.csrf_token(path)
        body = urlencode({"csrfmiddlewaretoken": token})
        return self._post(browser, path + "open-case/", body, "/cases/", self.cases)

    def _post(self, browser: Browser, path: str, body: str, to: str, seen: list[str]) -> bool:
        try:
            status, headers, _content = browser.request("POST", path, body)
        except (OSError, http.client.HTTPException):
            if self.stop.is_set():  # the write was on its way when the server was killed
                with self.lock:
                    self.cut += 1
            raise
        location = headers.get("Location", "")
        if status == 302 and to in location:
            with self.lock:
                seen.append(location.rstrip("/").rsplit("/", 1)[-1])
            return True
        raise RuntimeError(f"POST {path} answered {status} {location}")


def run_crash_checks(runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from vangnet.accounts.models import User
    from vangnet.cells.models import Cell
    from vangnet.intake.models import Outcome
    from vangnet.intake.services import signal_screen, signal_submit
    from vangnet.network.models import Organisation

    with scopes_disabled():
        cell = Cell.objects.get(name="LIVC R Mechelen")
        chair = User.objects.get(email=COORDINATOR)
        organisations = [
            str(pk)
            for pk in Organisation.objects.filter(cell=cell, status="active")
            .order_by("name")
            .values_list("pk", flat=True)[:2]
        ]

    def screened_signals(run: int) -> list[str]:
        """Signals screened "open a case", through the services, for the case writers."""
        made = []
        with scopes_disabled():
            for number in range(SIGNALS_PER_RUN):
                made_signal = signal_submit(
                    cell=cell,
                    submitted_by=chair,
                    received_on=timezone.localdate(),
                    category="ideology",
                    description="Crashtest",
                    person_name=f"Crashtest {run}-{number}",
                )
                signal_screen(
                    signal=made_signal, outcome=Outcome.CASE, reason="Crashtest", screened_by=chair
                )
                made.append(str(made_signal.pk))
        return made

    cookies = session_cookie(COORDINATOR, CLIENTS)
    totals: dict[str, Any] = {
        "runs": runs,
        "acknowledged": 0,
        "meetings": 0,
        "cases": 0,
        "writes cut by the kill": 0,
        "partial": 0,
        "lost": 0,
        "chain_valid": False,
        "restarted": 0,
        "interrupted_runs": 0,
        "findings": [],
    }
    slots = iter(range(1_000_000))
    first_day = timezone.localdate() + timedelta(days=60)
    for run in range(1, runs + 1):
        signals = screened_signals(run)
        connections.close_all()
        started = timezone.now()
        server = start_server()
        burst = Burst(
            run=run,
            port=server.port,
            cookies=cookies,
            cell_id=str(cell.pk),
            chair_id=str(chair.pk),
            organisations=organisations,
            signals=signals,
            first_day=first_day,
            slots=slots,
        )
        threads = [threading.Thread(target=burst.client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(2.0, 4.0))  # noqa: S311 - a moment, not a secret
        burst.stop.set()
        _kill_all(server.process.pid)
        for thread in threads:
            thread.join(timeout=60)
        server.process.wait()
        _wait_for_killed_sessions()
        found = _check(run, burst, cell.pk, started, totals)
        totals["findings"] += burst.findings
        totals["writes cut by the kill"] += burst.cut
        if burst.cut and burst.meetings and burst.cases:
            totals["interrupted_runs"] += 1
        log(
            f"crash run {run}: killed with {burst.cut} writes on their way, after "
            f"{len(burst.meetings)} meetings and {len(burst.cases)} cases acknowledged; "
            f"found {found[0]} meetings and {found[1]} cases"
        )
        again = start_server()  # comes back after the crash
        if again.get("/healthz/")[0] == 200:
            totals["restarted"] += 1
        again.stop()
    from vangnet.audit.services import audit_verify

    verified = audit_verify()
    totals["chain_valid"] = verified.ok
    totals["chain_events"] = verified.checked
    connections.close_all()
    return totals


def _kill_all(master: int) -> None:
    """SIGKILL gunicorn's workers and master at once: no graceful shutdown of anything."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [*map(int, children), master]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _wait_for_killed_sessions() -> None:
    """PostgreSQL ends a killed client's session (rolling back its transaction) when it notices
    the closed socket: wait until no other session is connected to this database."""
    from django.db import connection

    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the killed server's database sessions did not end within 10 s")


def _check(
    run: int, burst: Burst, cell_id: Any, started: datetime, totals: dict[str, Any]
) -> tuple[int, int]:
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from vangnet.audit.models import AuditEvent
    from vangnet.cases.models import Case
    from vangnet.intake.models import Signal
    from vangnet.lib.crypto import DecryptionError
    from vangnet.meetings.models import Meeting

    findings: list[str] = []
    with transaction.atomic(), scopes_disabled():
        with connection.cursor() as cursor:  # one snapshot for every read below
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        meetings = {
            str(m.pk): m
            for m in Meeting.objects.filter(title__startswith=f"Crashtest {run}-").prefetch_related(
                "invited_organisations"
            )
        }
        cases = {str(c.pk): c for c in Case.objects.filter(cell_id=cell_id, opened_at__gte=started)}
        linked = {
            str(case_id)
            for case_id in Signal.objects.filter(case_id__in=list(cases)).values_list(
                "case_id", flat=True
            )
        }
        audited = {
            action: set(
                AuditEvent.objects.filter(action=action, occurred_at__gte=started).values_list(
                    "object_id", flat=True
                )
            )
            for action in ("meetings.meeting.created", "cases.case.opened")
        }
        every_meeting = {str(pk) for pk in Meeting.objects.values_list("pk", flat=True)}
        every_case = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
        unreadable = []
        for pk, case in cases.items():
            try:
                if not case.person_name.startswith(f"Crashtest {run}-"):
                    unreadable.append(pk)
            except DecryptionError:
                unreadable.append(pk)
    partial_meetings = [
        pk
        for pk, meeting in meetings.items()
        if sorted(str(o.pk) for o in meeting.invited_organisations.all())
        != sorted(burst.organisations)
        or pk not in audited["meetings.meeting.created"]
    ]
    partial_cases = [
        pk
        for pk in cases
        if pk not in linked or pk not in audited["cases.case.opened"] or pk in unreadable
    ]
    orphans = (audited["meetings.meeting.created"] - every_meeting) | (
        audited["cases.case.opened"] - every_case
    )
    lost = [pk for pk in burst.meetings if pk not in meetings] + [
        pk for pk in burst.cases if pk not in cases
    ]
    for count, what in (
        (len(lost), "acknowledged writes lost"),
        (len(partial_meetings), "meetings without their organisations or audit event"),
        (len(partial_cases), "cases without their signal, audit event or a readable name"),
        (len(orphans), "audit events of meetings or cases that do not exist"),
    ):
        if count:
            findings.append(f"run {run}: {count} {what}")
    totals["acknowledged"] += len(burst.meetings) + len(burst.cases)
    totals["meetings"] += len(meetings)
    totals["cases"] += len(cases)
    totals["lost"] += len(lost)
    totals["partial"] += len(partial_meetings) + len(partial_cases) + len(orphans)
    totals["findings"] += findings
    return len(meetings), len(cases)
