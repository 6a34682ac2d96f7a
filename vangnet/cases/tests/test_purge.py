from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Action, Case, Factor, Participant
from vangnet.cases.purge import PURGE_ACTION, purge_expired
from vangnet.cases.services import (
    action_add,
    case_close,
    factors_set,
    legal_hold_set,
    participant_add,
)
from vangnet.intake.models import Signal
from vangnet.intake.services import signal_open_case, signal_screen, signal_submit
from vangnet.lib.dates import add_months
from vangnet.network.models import Organisation, Participation, Sector
from vangnet.network.services import organisation_create

PERSON = "Jan Janssens"


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/Brussels"))


def screened_signal(cell, user, *, outcome="information", name=PERSON):
    with scope(cell=cell.pk):
        signal = signal_submit(
            cell=cell,
            submitted_by=user,
            received_on=timezone.localdate(),
            category="ideology",
            description="Zegt dingen op school",
            person_name=name,
        )
        return signal_screen(signal=signal, outcome=outcome, reason="Besproken", screened_by=user)


def full_case(cell, user, *, name=PERSON):
    """A case opened from a signal, with a participant, an action and a factor."""
    signal = screened_signal(cell, user, outcome="case", name=name)
    with scope(cell=cell.pk):
        case = signal_open_case(signal=signal, opened_by=user)
        owner = Organisation.objects.filter(cell=cell).first() or organisation_create(
            cell=cell, name="OCMW", sector=Sector.CAW, participation=Participation.CORE
        )
        participant_add(case=case, reason="Begeleiding", user=user, organisation=owner)
        action_add(
            case=case,
            owner=owner,
            description="Gesprek met de ouders",
            due_date=timezone.localdate() + dt.timedelta(days=14),
            user=user,
        )
        factors_set(case=case, items={("family", "protective"): "Steunende familie"}, user=user)
    return case


def close(case, user):
    with scope(cell=case.cell_id):
        case_close(case=case, reason="risk_reduced", outcome="Rustig", user=user)


def counts(cell):
    with scope(cell=cell.pk):
        return {
            "signals": Signal.objects.count(),
            "cases": Case.objects.count(),
            "participants": Participant.objects.count(),
            "actions": Action.objects.count(),
            "factors": Factor.objects.count(),
        }


def purge_events():
    return list(AuditEvent.objects.filter(action=PURGE_ACTION).order_by("position"))


class TestSignals:
    def test_it_removes_an_expired_signal_but_not_a_fresh_one_nor_a_cases_signal(self, personas):
        p = personas
        expired = screened_signal(p.mechelen, p.alice)
        case = full_case(p.mechelen, p.alice)
        with time_machine.travel(at(add_months(timezone.localdate(), 3)), tick=False):
            fresh = screened_signal(p.mechelen, p.alice)
            # Unscreened signals also expire, counted from their submission.
            with scope(cell=p.mechelen.pk):
                unscreened = signal_submit(
                    cell=p.mechelen,
                    submitted_by=p.pim,
                    received_on=timezone.localdate(),
                    category="online",
                )

        report = purge_expired(today=add_months(timezone.localdate(), 6))

        with scopes_disabled():
            remaining = set(Signal.objects.values_list("pk", flat=True))
        assert expired.pk not in remaining
        assert {fresh.pk, unscreened.pk} <= remaining
        with scopes_disabled():
            assert Signal.objects.filter(case=case).count() == 1
        assert report.signals == {p.mechelen.pk: 1}
        assert report.total_signals == 1
        assert report.total_cases == 0


class TestCases:
    def test_it_removes_a_closed_case_past_its_date_with_everything_on_it(self, personas):
        p = personas
        case = full_case(p.mechelen, p.alice)
        kept = full_case(p.wingene, p.walter, name="Piet Pieters")
        close(case, p.alice)
        with time_machine.travel(at(add_months(timezone.localdate(), 1)), tick=False):
            # Closed a month later: its deletion date is not reached yet.
            close(kept, p.walter)
        assert counts(p.mechelen) == {
            "signals": 1,
            "cases": 1,
            "participants": 1,
            "actions": 1,
            "factors": 1,
        }
        with scopes_disabled():
            delete_after = Case.objects.get(pk=case.pk).delete_after

        report = purge_expired(today=delete_after)

        assert counts(p.mechelen) == {
            "signals": 0,
            "cases": 0,
            "participants": 0,
            "actions": 0,
            "factors": 0,
        }
        assert counts(p.wingene) == {
            "signals": 1,
            "cases": 1,
            "participants": 1,
            "actions": 1,
            "factors": 1,
        }
        assert report.cases == {p.mechelen.pk: 1}
        assert report.signals == {p.mechelen.pk: 1}

    def test_it_keeps_a_case_under_legal_hold(self, personas):
        p = personas
        case = full_case(p.mechelen, p.alice)
        close(case, p.alice)
        with scope(cell=p.mechelen.pk):
            legal_hold_set(
                case=case,
                hold=True,
                reason="Gerechtelijk onderzoek",
                review_on=add_months(timezone.localdate(), 36),
                user=p.alice,
            )

        report = purge_expired(today=add_months(timezone.localdate(), 30))

        assert counts(p.mechelen)["cases"] == 1
        assert counts(p.mechelen)["signals"] == 1
        assert report.total_cases == 0
        assert purge_events() == []

    def test_it_keeps_open_cases(self, personas):
        p = personas
        full_case(p.mechelen, p.alice)

        purge_expired(today=add_months(timezone.localdate(), 120))

        assert counts(p.mechelen) == {
            "signals": 1,
            "cases": 1,
            "participants": 1,
            "actions": 1,
            "factors": 1,
        }


class TestAudit:
    def test_it_writes_one_event_per_cell_with_counts_only(self, personas):
        p = personas
        close(full_case(p.mechelen, p.alice), p.alice)
        screened_signal(p.mechelen, p.alice)
        screened_signal(p.mechelen, p.alice)
        screened_signal(p.wingene, p.walter, name="Piet Pieters")

        purge_expired(today=add_months(timezone.localdate(), 24))

        events = {event.cell_id: event for event in purge_events()}
        assert len(events) == 2
        assert events[p.mechelen.pk].data == {"signals": 3, "cases": 1}
        assert events[p.wingene.pk].data == {"signals": 1, "cases": 0}
        for event in events.values():
            assert set(event.data) == {"signals", "cases"}
            assert all(isinstance(value, int) for value in event.data.values())
            assert event.actor_id == ""
            assert event.object_id == ""
            assert PERSON not in str(event.data)

    def test_it_is_idempotent(self, personas):
        p = personas
        close(full_case(p.mechelen, p.alice), p.alice)
        screened_signal(p.mechelen, p.alice)
        later = add_months(timezone.localdate(), 24)

        first = purge_expired(today=later)
        second = purge_expired(today=later)

        assert (first.total_signals, first.total_cases) == (2, 1)
        assert (second.total_signals, second.total_cases) == (0, 0)
        assert second.signals == {}
        assert len(purge_events()) == 1


class TestCommand:
    @pytest.fixture
    def expired(self, personas):
        p = personas
        case = full_case(p.mechelen, p.alice)
        close(case, p.alice)
        screened_signal(p.mechelen, p.alice)
        return case

    def test_it_prints_counts(self, personas, expired):
        out = StringIO()
        with time_machine.travel(at(add_months(timezone.localdate(), 25)), tick=False):
            call_command("purge_expired", stdout=out)

        output = out.getvalue()
        assert f"Cell {personas.mechelen.pk}: 2 signal(s), 1 case(s) deleted." in output
        assert "2 signal(s) and 1 case(s) deleted in 1 cell(s)." in output
        assert PERSON not in output
        assert expired.code not in output
        assert counts(personas.mechelen)["cases"] == 0
        assert len(purge_events()) == 1

    def test_it_deletes_nothing_on_a_dry_run(self, personas, expired):
        before = counts(personas.mechelen)
        out = StringIO()
        with time_machine.travel(at(add_months(timezone.localdate(), 25)), tick=False):
            call_command("purge_expired", "--dry-run", stdout=out)

        output = out.getvalue()
        assert "Dry run: 2 signal(s) and 1 case(s) would be deleted in 1 cell(s)." in output
        assert counts(personas.mechelen) == before
        assert purge_events() == []
