"""Deleting what the retention policy no longer allows us to keep (R-23).

Screened signals that did not become a case go once their keeping period has passed; closed
cases go once theirs has passed (unless a legal hold keeps them), together with everything
that hangs on them: participants, actions, factors and the signals they were opened from.

Each cell is purged in its own transaction and gets one audit event with counts only. An
erasure granted on a person's request (privacy office) deletes through the same path, at once. Audit
events that referenced the deleted objects stay: they hold ids, never content.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cases.models import Case
from vangnet.intake.models import Signal

PURGE_ACTION = "cases.purge.completed"


@dataclass
class PurgeReport:
    """Deleted (or, for a dry run, deletable) objects per cell id. Counts only."""

    signals: dict[uuid.UUID, int] = field(default_factory=dict)
    cases: dict[uuid.UUID, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def total_signals(self) -> int:
        return sum(self.signals.values())

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    @property
    def cell_ids(self) -> list[uuid.UUID]:
        return sorted(set(self.signals) | set(self.cases), key=str)


def purge_expired(*, today: datetime.date | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete expired signals and cases in every cell; idempotent.

    With ``dry_run`` nothing is deleted and nothing is audited: the report holds what a real
    run would delete now.
    """
    today = today or timezone.localdate()
    report = PurgeReport(dry_run=dry_run)
    with scopes_disabled():
        cell_ids = set(Signal.objects.expired(today).values_list("cell_id", flat=True))
        cell_ids |= set(Case.objects.expired(today).values_list("cell_id", flat=True))
        for cell_id in sorted(cell_ids, key=str):
            if dry_run:
                signals, cases = _count_cell(cell_id, today)
            else:
                signals, cases = _purge_cell(cell_id, today)
            if signals or cases:
                report.signals[cell_id] = signals
                report.cases[cell_id] = cases
    return report


def _count_cell(cell_id: uuid.UUID, today: datetime.date) -> tuple[int, int]:
    cases = Case.objects.expired(today).filter(cell_id=cell_id)
    signals = Signal.objects.filter(cell_id=cell_id, case__in=cases).count()
    signals += Signal.objects.expired(today).filter(cell_id=cell_id).count()
    return signals, cases.count()


@transaction.atomic
def _purge_cell(cell_id: uuid.UUID, today: datetime.date) -> tuple[int, int]:
    # Decided again inside the transaction (and locked where the database can), so a case put
    # under a legal hold a moment ago is not deleted.
    case_ids = list(
        Case.objects.expired(today)
        .filter(cell_id=cell_id)
        # FOR UPDATE: the cases are deleted below.
        .select_for_update()
        .values_list("pk", flat=True)
    )
    signal_ids = list(
        Signal.objects.expired(today).filter(cell_id=cell_id).values_list("pk", flat=True)
    )
    signals, cases = _delete(cell_id, case_ids=case_ids, signal_ids=signal_ids)
    if signals or cases:
        audit_record(action=PURGE_ACTION, cell=cell_id, data={"signals": signals, "cases": cases})
    return signals, cases


def _delete(
    cell_id: uuid.UUID, *, case_ids: list[uuid.UUID], signal_ids: list[uuid.UUID]
) -> tuple[int, int]:
    """Delete these cases with everything that hangs on them, and these signals."""
    signals = 0
    cases = 0
    if case_ids:
        # The link is SET_NULL: delete the case's signals first, or they would stay behind
        # without a deletion date.
        _total, deleted = Signal.objects.filter(cell_id=cell_id, case_id__in=case_ids).delete()
        signals += deleted.get(Signal._meta.label, 0)
        # Participants, actions, factors and agenda items (with their feedback sheets and
        # carry-overs) cascade.
        _total, deleted = Case.objects.filter(cell_id=cell_id, pk__in=case_ids).delete()
        cases += deleted.get(Case._meta.label, 0)
    if signal_ids:
        _total, deleted = Signal.objects.filter(cell_id=cell_id, pk__in=signal_ids).delete()
        signals += deleted.get(Signal._meta.label, 0)
    return signals, cases


class LegalHoldError(Exception):
    """A case to erase is under a legal hold: nothing was deleted."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


@transaction.atomic
def purge_person(
    *,
    cell_id: uuid.UUID,
    case_ids: list[uuid.UUID],
    signal_ids: list[uuid.UUID],
    keep_held: bool = False,
) -> tuple[int, int, int]:
    """Erase one person's cases and signals now (GDPR art. 17), by the same path as retention.

    A case under a legal hold is never deleted. Without ``keep_held`` the whole erasure is then
    refused (LegalHoldError), so that the person's data is not left half erased by surprise;
    with it, held cases (and their signals) stay and the rest goes. The case rows are locked
    before the hold is read, so a hold set at the same moment is seen. Returns (signals
    deleted, cases deleted, cases kept).
    """
    with scopes_disabled():
        locked = list(
            Case.objects.filter(cell_id=cell_id, pk__in=case_ids)
            # FOR UPDATE: the cases are deleted below.
            .select_for_update()
            .values_list("pk", "code", "legal_hold")
        )
        held = sorted(code for _pk, code, hold in locked if hold)
        if held and not keep_held:
            raise LegalHoldError(held)
        to_delete = [pk for pk, _code, hold in locked if not hold]
        signals, cases = _delete(cell_id, case_ids=to_delete, signal_ids=signal_ids)
    audit_record(
        action=PURGE_ACTION,
        cell=cell_id,
        data={"signals": signals, "cases": cases, "reason": "erasure_request"},
    )
    return signals, cases, len(held)
