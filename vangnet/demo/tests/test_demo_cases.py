from __future__ import annotations

from collections.abc import Iterable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.accounts.models import User
from vangnet.cases.access import cases_for_user
from vangnet.cases.models import Action, Case, CaseStatus, Factor, Participant
from vangnet.cells.access import cell_for_user
from vangnet.cells.models import Cell
from vangnet.demo.services import DEMO_CASE_PERSONS, DEMO_CASE_TEXTS, DEMO_DOMAIN, demo_cells
from vangnet.intake.models import Outcome, Signal, TrendSignal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_support_desk")]

MIN_NEEDLE = 12


def _counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (Signal, TrendSignal, Case, Participant, Action, Factor)
        }


def test_it_loads_cases_and_signals_idempotently():
    call_command("demo", stdout=StringIO())
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    with scopes_disabled():
        for cell in demo_cells():
            assert Case.objects.filter(cell=cell).count() >= 2
            assert Case.objects.filter(cell=cell, status=CaseStatus.OPEN).exists()
            signals = Signal.objects.filter(cell=cell)
            assert signals.count() >= 3
            assert {Outcome.REDIRECTED, Outcome.INFORMATION, Outcome.CASE} <= set(
                signals.values_list("outcome", flat=True)
            )
            assert signals.filter(case__isnull=False).exists()
            assert TrendSignal.objects.filter(cell=cell).count() == 1
            # An overdue action, so the coordinator's home has something to show.
            assert Action.objects.filter(
                cell=cell, status="open", due_date__lt=timezone.localdate()
            ).exists()
        mechelen = Cell.objects.get(name="LIVC R Mechelen")
        assert Case.objects.filter(cell=mechelen, status=CaseStatus.CLOSED).count() == 1


def test_it_keeps_need_to_know_in_the_demo():
    call_command("demo", stdout=StringIO())
    partner = User.objects.get(email=f"partner.mechelen@{DEMO_DOMAIN}")
    cell = Cell.objects.get(name="LIVC R Mechelen")
    access = cell_for_user(partner, cell.pk)
    with scope(cell=cell.pk):
        open_case = Case.objects.get(status=CaseStatus.OPEN)
        assert Case.objects.count() >= 2
        visible = list(cases_for_user(partner, access))
        # Through their organisation (the CAW), not as a named person.
        assert Participant.objects.filter(
            case=open_case, organisation__memberships__user=partner, user__isnull=True
        ).exists()
    assert visible == [open_case]


# --- Nothing readable in the database ---------------------------------------------------------


def _needles() -> list[str]:
    needles = [person.name for person in DEMO_CASE_PERSONS]
    needles += [text for texts in DEMO_CASE_TEXTS.values() for text in texts.values()]
    # Each needle is a distinctive string of at least MIN_NEEDLE characters.
    assert all(len(needle) >= MIN_NEEDLE for needle in needles)
    return needles


def _database_values() -> Iterable[tuple[str, object]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    yield table, value


def plain_text_found(needles: list[str]) -> set[tuple[str, str]]:
    """(table, needle) for each needle readable anywhere in the database, as text or bytes."""
    encoded = [(needle, needle.encode("utf-8")) for needle in needles]
    found = set()
    for table, value in _database_values():
        if value is None:
            continue
        if isinstance(value, memoryview | bytes | bytearray):
            raw = bytes(value)
            text = raw.decode("latin-1")
        else:
            text = str(value)
            raw = text.encode("utf-8")
        lowered = text.casefold()
        for needle, needle_bytes in encoded:
            if needle.casefold() in lowered or needle_bytes in raw:
                found.add((table, needle))
    return found


def test_it_leaves_no_demo_person_or_case_text_in_plain_text_in_the_database():
    call_command("demo", stdout=StringIO())
    with scopes_disabled():
        assert Case.objects.exists()
        assert Signal.objects.exists()
    assert plain_text_found(_needles()) == set()


def test_the_dump_check_finds_plain_text():
    from vangnet.cells.services import cell_create

    name = "Plain Probe Cell 7f3a9c"
    cell_create(name=name, nis_codes=["12025"])
    found = plain_text_found([name, *_needles()])
    assert found == {("cells_cell", name)}
