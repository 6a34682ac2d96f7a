"""Regression tests for need-to-know and integrity problems found in review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cases.models import Action, Case, Participant
from vangnet.cases.purge import purge_expired
from vangnet.cases.reminders import reminders_send
from vangnet.cases.services import (
    action_add,
    case_close,
    case_open,
    legal_hold_set,
    participant_add,
)
from vangnet.cells.services import membership_add
from vangnet.intake.models import Signal
from vangnet.intake.services import signal_open_case, signal_screen, signal_submit
from vangnet.network.models import Organisation
from vangnet.network.services import organisation_create
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def submit(personas) -> Signal:
    with scope(cell=personas.mechelen.pk):
        return signal_submit(
            cell=personas.mechelen,
            submitted_by=personas.pim,
            received_on=TODAY,
            category="violence",
            person_name="Lars Fictief",
            description="Bedreigingen op school",
        )


def test_a_reporting_partner_sees_no_screening_or_police_status(personas, client):
    signal = submit(personas)
    with scope(cell=personas.mechelen.pk):
        signal_screen(
            signal=signal,
            outcome="redirected",
            reason="Geheime reden",
            redirected_to="CGG",
            screened_by=personas.alice,
        )
        Signal.objects.filter(pk=signal.pk).update(known_to_police="yes")
    sign_in(client, personas.pim)
    page = client.get(f"/cells/{personas.mechelen.pk}/signals/{signal.pk}/").content.decode()
    assert "Geheime reden" not in page and "CGG" not in page
    assert "LTF" not in page


def test_every_signal_has_a_deletion_date_until_a_case_is_opened(personas):
    signal = submit(personas)
    assert signal.delete_after is not None
    with scope(cell=personas.mechelen.pk):
        signal_screen(signal=signal, outcome="case", reason="x", screened_by=personas.alice)
        signal.refresh_from_db()
        assert signal.delete_after is not None  # screened "case" but never opened: still expires
        case = signal_open_case(signal=signal, opened_by=personas.alice)
        signal.refresh_from_db()
    assert signal.case_id == case.pk and signal.delete_after is None


def test_one_signal_never_opens_two_cases(personas):
    signal = submit(personas)
    with scope(cell=personas.mechelen.pk):
        signal_screen(signal=signal, outcome="case", reason="x", screened_by=personas.alice)
        stale = Signal.objects.get(pk=signal.pk)
        signal_open_case(signal=Signal.objects.get(pk=signal.pk), opened_by=personas.alice)
        with pytest.raises(ValidationError):
            signal_open_case(signal=stale, opened_by=personas.alice)
        with pytest.raises(ValidationError):
            signal_screen(
                signal=stale, outcome="information", reason="y", screened_by=personas.alice
            )
        assert Case.objects.count() == 1
        assert Signal.objects.get(pk=signal.pk).case_id is not None


def test_case_codes_are_never_reused_after_a_purge(personas):
    with scope(cell=personas.mechelen.pk):
        first = case_open(
            cell=personas.mechelen,
            person_name="A",
            person_birth_date=None,
            opened_by=personas.alice,
        )
        case_close(case=first, reason="unfounded", outcome="-", user=personas.alice)
    purge_expired(today=TODAY + dt.timedelta(days=800))
    with scope(cell=personas.mechelen.pk):
        assert not Case.objects.filter(pk=first.pk).exists()
        second = case_open(
            cell=personas.mechelen,
            person_name="B",
            person_birth_date=None,
            opened_by=personas.alice,
        )
    assert second.code != first.code


class TestParticipantsAndActions:
    @pytest.fixture
    def setup(self, personas):
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
            clb = organisation_create(
                cell=personas.mechelen, name="CLB", sector="clb", participation="per_case"
            )
            case = case_open(
                cell=personas.mechelen,
                person_name="C",
                person_birth_date=None,
                opened_by=personas.alice,
            )
            participant_add(case=case, organisation=caw, reason="r", user=personas.alice)
            action = action_add(
                case=case, owner=clb, description="d", due_date=TODAY, user=personas.alice
            )
        return case, caw, clb, action

    def test_a_participant_is_an_organisation_or_a_person_not_both(self, personas, setup):
        case, _caw, clb, _action = setup
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError):
            participant_add(
                case=case, organisation=clb, person=personas.pim, reason="r", user=personas.alice
            )

    def test_a_partner_cannot_change_another_organisations_action(self, personas, setup, client):
        case, _caw, _clb, action = setup
        sign_in(client, personas.pim)  # CAW takes part, but the action belongs to the CLB
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/actions/{action.pk}/status/"
        assert client.post(url, {"status": "done"}).status_code == 403
        with scope(cell=personas.mechelen.pk):
            assert Action.objects.get(pk=action.pk).status == "open"

    def test_time_boxed_access_ends_for_good(self, personas, setup, client):
        case, _caw, clb, action = setup
        member = make_user("clb@example.org", "Cleo CLB")
        membership_add(cell=personas.mechelen, user=member, role="member", organisation=clb)
        with scope(cell=personas.mechelen.pk):
            participant_add(
                case=case,
                organisation=clb,
                reason="eenmalig",
                until_action=action,
                user=personas.alice,
            )
        sign_in(client, member)
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/"
        client.post(f"{url}actions/{action.pk}/status/", {"status": "done"})
        assert client.get(url).status_code == 404
        coordinator = Client()
        sign_in(coordinator, personas.alice)
        coordinator.post(f"{url}actions/{action.pk}/status/", {"status": "open"})
        with scope(cell=personas.mechelen.pk):
            assert Action.objects.get(pk=action.pk).status == "open"
            assert Participant.objects.get(organisation=clb).removed_at is not None
        assert client.get(url).status_code == 404

    def test_a_participant_cannot_reopen_an_action(self, personas, setup, client):
        case, _caw, clb, action = setup
        member = make_user("clb@example.org", "Cleo CLB")
        membership_add(cell=personas.mechelen, user=member, role="member", organisation=clb)
        with scope(cell=personas.mechelen.pk):
            participant_add(case=case, organisation=clb, reason="r", user=personas.alice)
        sign_in(client, member)
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/actions/{action.pk}/status/"
        client.post(url, {"status": "done"})
        client.post(url, {"status": "open"})
        with scope(cell=personas.mechelen.pk):
            assert Action.objects.get(pk=action.pk).status == "done"

    def test_a_dpo_never_reaches_case_content_through_an_organisation(self, personas, setup):
        case, caw, _clb, _action = setup
        dpo = make_user("dpo@example.org", "Dora DPO")
        membership_add(cell=personas.mechelen, user=dpo, role="dpo", organisation=caw)
        client = Client()
        sign_in(client, dpo)
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/"
        assert client.get(url).status_code == 404
        assert client.get(url + "access-log/").status_code == 200
        picker = Client()
        sign_in(picker, personas.alice)
        form = picker.get(url + "participants/add/").content.decode()
        assert "Dora DPO" not in form


def test_a_closed_case_cannot_be_edited_and_an_open_one_cannot_be_held(personas, client):
    with scope(cell=personas.mechelen.pk):
        case = case_open(
            cell=personas.mechelen,
            person_name="D",
            person_birth_date=None,
            opened_by=personas.alice,
        )
        with pytest.raises(ValidationError):
            legal_hold_set(case=case, hold=True, reason="r", review_on=TODAY, user=personas.alice)
        case_close(case=case, reason="moved", outcome="-", user=personas.alice)
    sign_in(client, personas.alice)
    url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/edit/"
    client.post(url, {"person_name": "Veranderd", "review_due": "2030-01-01"})
    with scope(cell=personas.mechelen.pk):
        case.refresh_from_db()
    assert case.person_name == "D" and case.review_due is None


def test_one_failing_reminder_does_not_stop_the_others(personas, monkeypatch):
    from vangnet.cells.services import membership_add as add

    deputy = make_user("deputy@example.org", "Dirk Deputy")
    add(cell=personas.mechelen, user=deputy, role="deputy_coordinator")
    with scope(cell=personas.mechelen.pk):
        case = case_open(
            cell=personas.mechelen,
            person_name="E",
            person_birth_date=None,
            opened_by=personas.alice,
        )
        action_add(
            case=case,
            owner=Organisation.objects.get(),
            description="d",
            due_date=TODAY - dt.timedelta(days=2),
            user=personas.alice,
        )
    from django.core.mail import send_mail as real_send

    def flaky(subject, body, sender, recipients, **kwargs):
        if recipients == ["alice@example.org"]:
            raise OSError("mail server down")
        return real_send(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr("vangnet.cases.reminders.send_mail", flaky)
    with scopes_disabled():
        sent = reminders_send()
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["deputy@example.org"]]
