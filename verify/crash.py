"""Crash safety (issue 12, item 5): kill -9 the application server during a burst of writes.

Each run starts gunicorn (production settings, PostgreSQL), lets eight clients plan meetings
through the real form (`meetings:new`, two invited organisations each) and open cases from
screened signals (`intake:signal_open_case`) as fast as they can, and after a random moment
SIGKILLs the master and every worker. Then, with the server gone:

- every meeting and case a client saw acknowledged (302 to it) exists: nothing acknowledged is
  lost;
- every meeting and case of the run is whole: a meeting has its two invited organisations and
  its audit event, a case its signal, its audit event and a readable name (a write is all or
  nothing: no event of a meeting or case that does not exist either);
- the audit chain verifies;
- the server starts again and answers.

Figures: runs, writes acknowledged, meetings and cases found, partial ones, lost writes, chain.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from verify.stage import COORDINATOR, Browser, log, session_cookie, start_server

CLIENTS = 8
SIGNALS_PER_RUN = 400


def run_crash_checks(runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from vangnet.accounts.models import User
    from vangnet.cells.models import Cell
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
    from vangnet.intake.models import Outcome
    from vangnet.intake.services import signal_screen, signal_submit

    def screened_signals(run: int) -> list[str]:
        """Signals screened "open a case", through the services, for the case writers."""
        made = []
        with scopes_disabled():
            for number in range(SIGNALS_PER_RUN):
                signal = signal_submit(
                    cell=cell,
                    submitted_by=chair,
                    received_on=timezone.localdate(),
                    category="ideology",
                    description="Crashtest",
                    person_name=f"Crashtest {run}-{number}",
                )
                signal_screen(
                    signal=signal, outcome=Outcome.CASE, reason="Crashtest", screened_by=chair
                )
                made.append(str(signal.pk))
        return made

    cookies = session_cookie(COORDINATOR, CLIENTS)
    connections.close_all()
    new_path = f"/cells/{cell.pk}/meetings/new/"
    totals: dict[str, Any] = {
        "runs": runs,
        "acknowledged": 0,
        "meetings": 0,
        "cases": 0,
        "partial": 0,
        "lost": 0,
        "chain_valid": True,
        "restarted": 0,
        "runs_with_writes": 0,
        "findings": [],
    }
    first_day = timezone.localdate() + timedelta(days=60)
    counter = iter(range(1_000_000))  # one meeting slot per write, across the runs
    for run in range(1, runs + 1):
        signals = screened_signals(run)
        connections.close_all()
        server = start_server()
        acknowledged: list[str] = []
        opened: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        unopened = iter(signals)  # each case writer takes the next screened signal

        def client(
            number: int,
            server_port: int = server.port,
            run: int = run,
            stop: threading.Event = stop,
            lock: threading.Lock = lock,
            acknowledged: list[str] = acknowledged,
            unopened: Any = unopened,
        ) -> None:
            browser = Browser(server_port, cookies[number])
            while not stop.is_set():
                if number % 2:  # half the clients open cases
                    with lock:
                        signal = next(unopened, None)
                    if signal is None or not open_case(browser, signal, run):
                        return
                    continue
                with lock:
                    slot = next(counter)
                try:
                    token = browser.csrf_token(new_path)
                    form = [
                        ("csrfmiddlewaretoken", token),
                        ("kind", "case"),
                        ("title", f"Crashtest {run}-{number}-{slot}"),
                        # One hour per meeting: the chair may not be in two at once.
                        ("date", (first_day + timedelta(days=slot // 8)).isoformat()),
                        ("start", f"{9 + slot % 8:02d}:00"),
                        ("end", f"{9 + slot % 8:02d}:50"),
                        ("chair", str(chair.pk)),
                        *[("invited_organisations", org) for org in organisations],
                    ]
                    status, headers, _body = browser.request("POST", new_path, urlencode(form))
                except OSError:
                    return  # the server is gone
                if status == 302 and "/meetings/" in headers.get("Location", ""):
                    with lock:
                        acknowledged.append(headers["Location"].rstrip("/").rsplit("/", 1)[-1])
                elif status != 302:
                    with lock:
                        totals["findings"].append(f"run {run}: POST answered {status}")
                    return

        def open_case(
            browser: Browser,
            signal: str,
            run: int,
            opened: list[str] = opened,
            lock: threading.Lock = lock,
        ) -> bool:
            signal_path = f"/cells/{cell.pk}/signals/{signal}/"
            try:
                token = browser.csrf_token(signal_path)
                status, headers, _body = browser.request(
                    "POST",
                    signal_path + "open-case/",
                    urlencode({"csrfmiddlewaretoken": token}),
                )
            except OSError:
                return False  # the server is gone
            location = headers.get("Location", "")
            if status == 302 and "/cases/" in location:
                with lock:
                    opened.append(location.rstrip("/").rsplit("/", 1)[-1])
                return True
            with lock:
                totals["findings"].append(f"run {run}: opening a case answered {status}")
            return False

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(2.0, 4.0))  # noqa: S311 - a moment, not a secret
        _kill_all(server.process.pid)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.process.wait()
        found = _check_run(run, acknowledged, organisations, totals)
        cases = _check_cases(run, opened, signals, totals)
        if acknowledged and opened:
            totals["runs_with_writes"] += 1
        log(
            f"crash run {run}: killed after {len(acknowledged)} meetings and {len(opened)} "
            f"cases acknowledged; {found} meetings and {cases} cases found"
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


def _check_run(
    run: int, acknowledged: list[str], organisations: list[str], totals: dict[str, Any]
) -> int:
    from django.db import connections
    from django_scopes import scopes_disabled

    from vangnet.audit.models import AuditEvent
    from vangnet.meetings.models import Meeting

    connections.close_all()
    with scopes_disabled():
        meetings = {
            str(m.pk): m
            for m in Meeting.objects.filter(title__startswith=f"Crashtest {run}-").prefetch_related(
                "invited_organisations"
            )
        }
        audited = set(
            AuditEvent.objects.filter(action="meetings.meeting.created").values_list(
                "object_id", flat=True
            )
        )
        every_meeting = {str(pk) for pk in Meeting.objects.values_list("pk", flat=True)}
    lost = [pk for pk in acknowledged if pk not in meetings]
    orphans = audited - every_meeting
    partial = [
        pk
        for pk, meeting in meetings.items()
        if sorted(str(o.pk) for o in meeting.invited_organisations.all()) != sorted(organisations)
        or pk not in audited
    ]
    totals["acknowledged"] += len(acknowledged)
    totals["meetings"] += len(meetings)
    totals["lost"] += len(lost)
    totals["partial"] += len(partial)
    if lost:
        totals["findings"].append(f"run {run}: {len(lost)} acknowledged meetings lost")
    if partial:
        totals["findings"].append(f"run {run}: {len(partial)} partial meetings")
    if orphans:
        totals["partial"] += len(orphans)
        totals["findings"].append(f"run {run}: {len(orphans)} audit events of missing meetings")
    return len(meetings)


def _check_cases(run: int, opened: list[str], signals: list[str], totals: dict[str, Any]) -> int:
    from django.db import connections
    from django_scopes import scopes_disabled

    from vangnet.audit.models import AuditEvent
    from vangnet.cases.models import Case
    from vangnet.intake.models import Signal
    from vangnet.lib.crypto import DecryptionError

    connections.close_all()
    with scopes_disabled():
        linked = dict(
            Signal.objects.filter(pk__in=signals, case__isnull=False).values_list("case_id", "pk")
        )
        cases = {str(case.pk): case for case in Case.objects.filter(pk__in=list(linked))}
        every_case = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
        audited = set(
            AuditEvent.objects.filter(action="cases.case.opened").values_list(
                "object_id", flat=True
            )
        )
        partial = []
        for pk, case in cases.items():
            try:
                readable = case.person_name.startswith(f"Crashtest {run}-")
            except DecryptionError:
                readable = False
            if pk not in audited or not readable:
                partial.append(pk)
    lost = [pk for pk in opened if pk not in every_case]
    # A case the server acknowledged but whose signal is not linked to it: half a write.
    unlinked = [pk for pk in opened if pk in every_case and pk not in cases]
    orphans = audited - every_case
    totals["acknowledged"] += len(opened)
    totals["cases"] += len(cases)
    totals["lost"] += len(lost)
    totals["partial"] += len(partial) + len(unlinked) + len(orphans)
    for count, what in (
        (len(lost), "acknowledged cases lost"),
        (len(partial), "cases without their audit event or a readable name"),
        (len(unlinked), "cases without their signal"),
        (len(orphans), "audit events of missing cases"),
    ):
        if count:
            totals["findings"].append(f"run {run}: {count} {what}")
    return len(cases)
