"""The measurements that need no web server: `audit_verify` and `purge_expired`.

Runs inside Django (bench settings) after gunicorn has stopped, so nothing competes for the CPU.
"""

from __future__ import annotations

import datetime
import time
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_verify
from vangnet.cases.models import Action, Case, CaseStatus, ClosureReason, Participant
from vangnet.cases.purge import purge_expired
from vangnet.cells.models import Cell
from vangnet.intake.models import Category, Outcome, Signal
from vangnet.network.models import Organisation


def measure_audit_verify() -> dict[str, Any]:
    """Verify the whole chain once and time it."""
    events = AuditEvent.objects.count()
    started = time.perf_counter()
    result = audit_verify()
    seconds = time.perf_counter() - started
    return {
        "events": events,
        "checked": result.checked,
        "ok": result.ok,
        "seconds": round(seconds, 2),
        "seconds_per_million": round(seconds / max(result.checked, 1) * 1_000_000, 1),
    }


def measure_purge(cell: Cell, sizes: list[int], repeat: int = 3) -> list[dict[str, Any]]:
    """Time `purge_expired` over n expired cases plus n expired loose signals, for each n.

    Everything happens in one transaction that is rolled back: the rows, the deletions and the
    purge's audit events never reach the database. What had expired already is purged first
    (untimed). The rows are made once, not yet expired (writing encrypted rows is far slower
    than purging them); each timed run expires the first n of them in a savepoint, purges and
    rolls back to the savepoint. Each size runs `repeat` times; the fastest run counts (the
    least disturbed by the rest of the machine).
    """
    runs = []
    with transaction.atomic(), scope(cell=cell):
        purge_expired()
        case_ids, signal_ids = _make_closed(cell, max(sizes))
        past = timezone.localdate() - datetime.timedelta(days=1)
        for size in sizes:
            timings = []
            for _ in range(repeat):
                with transaction.atomic():
                    Case.objects.filter(pk__in=case_ids[:size]).update(delete_after=past)
                    Signal.objects.filter(pk__in=signal_ids[:size]).update(delete_after=past)
                    started = time.perf_counter()
                    report = purge_expired()
                    timings.append(time.perf_counter() - started)
                    transaction.set_rollback(True)
                if report.total_cases != size or report.total_signals != 2 * size:
                    raise AssertionError(
                        f"purge_expired deleted {report.total_cases} cases and "
                        f"{report.total_signals} signals, expected {size} and {2 * size}"
                    )
            seconds = min(timings)
            runs.append(
                {
                    "cases": size,
                    "rows": 3 * size,
                    "seconds": round(seconds, 3),
                    "ms_per_row": round(seconds / (3 * size) * 1000, 3),
                }
            )
        transaction.set_rollback(True)
    return runs


def _make_closed(cell: Cell, size: int) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """n closed cases (each with its signal, a participant and an action) and n screened loose
    signals, all due for deletion in a year: what a daily purge finds once they expire.
    Returns the ids of the cases and of the loose signals."""
    today = timezone.localdate()
    later = today + datetime.timedelta(days=365)
    now = timezone.now()
    organisation = Organisation.objects.first()
    if organisation is None:
        raise AssertionError(f"cell {cell.name} has no organisation")
    cases = Case.objects.bulk_create(
        Case(
            cell=cell,
            code=f"BENCH-{index}",
            status=CaseStatus.CLOSED,
            person_name="Bench",
            closed_at=now,
            closure_reason=ClosureReason.choices[0][0],
            delete_after=later,
        )
        for index in range(size)
    )
    Participant.objects.bulk_create(
        Participant(cell=cell, case=case, organisation=organisation, reason="bench")
        for case in cases
    )
    Action.objects.bulk_create(
        Action(cell=cell, case=case, owner=organisation, description="bench", due_date=today)
        for case in cases
    )
    common = {"cell": cell, "received_on": today, "category": Category.OTHER}
    Signal.objects.bulk_create(Signal(**common, outcome=Outcome.CASE, case=c) for c in cases)
    loose = Signal.objects.bulk_create(
        Signal(**common, screened_at=now, outcome=Outcome.INFORMATION, delete_after=later)
        for _ in range(size)
    )
    return [case.pk for case in cases], [row.pk for row in loose]
