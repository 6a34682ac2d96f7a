"""The privacy office of a cell: the DPO sees retention and configuration, never case content."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Case
from vangnet.cases.services import case_close, case_open, legal_hold_set
from vangnet.intake.models import Signal
from vangnet.intake.services import signal_submit
from vangnet.tests_support.personas import sign_in

NAME = "Persoon Privacytest"
SUMMARY = "Samenvatting die de DPO niet mag zien"


def url(personas) -> str:
    return f"/cells/{personas.mechelen.pk}/privacy/"


def _case(personas, *, close: bool = False) -> Case:
    with scope(cell=personas.mechelen.pk):
        case = case_open(
            cell=personas.mechelen,
            person_name=NAME,
            person_birth_date=None,
            summary=SUMMARY,
            opened_by=personas.alice,
        )
        if close:
            case_close(case=case, reason="unfounded", outcome="", user=personas.alice)
        case.refresh_from_db()
    return case


class TestAccess:
    def test_the_dpo_coordinator_and_mayor_open_the_office(self, personas, dpo, client):
        for user in (dpo, personas.alice, personas.bob):
            sign_in(client, user)
            assert client.get(url(personas)).status_code == 200, user

    def test_it_is_forbidden_to_a_member_without_the_role(self, personas, client):
        sign_in(client, personas.pim)
        assert client.get(url(personas)).status_code == 403

    def test_it_hides_the_office_from_another_cell_and_outsiders(self, personas, client):
        for user in (personas.walter, personas.olaf, personas.vera):
            sign_in(client, user)
            assert client.get(url(personas)).status_code == 404, user

    def test_the_dpo_gets_404_on_case_content_unless_a_participant(self, personas, dpo, client):
        case = _case(personas)
        sign_in(client, dpo)
        response = client.get(f"/cells/{personas.mechelen.pk}/cases/{case.pk}/")
        assert response.status_code == 404
        office = client.get(url(personas)).content.decode()
        assert NAME not in office and SUMMARY not in office

    def test_the_cell_navigation_links_to_the_office_for_the_dpo_only(self, personas, dpo, client):
        home = f"/cells/{personas.mechelen.pk}/"
        sign_in(client, dpo)
        assert url(personas) in client.get(home).content.decode()
        sign_in(client, personas.pim)
        assert url(personas) not in client.get(home).content.decode()

    def test_viewing_is_audited(self, personas, dpo, client):
        sign_in(client, dpo)
        client.get(url(personas))
        event = AuditEvent.objects.get(action="privacy.office.viewed")
        assert event.actor_id == str(dpo.pk) and event.cell_id == personas.mechelen.pk


class TestRetention:
    def test_it_lists_upcoming_deletions_holds_and_missing_dates(
        self, personas, dpo, client, settings
    ):
        settings.LANGUAGE_CODE = "en"
        closed = _case(personas, close=True)
        held = _case(personas, close=True)
        open_case = _case(personas)
        today = timezone.localdate()
        with scope(cell=personas.mechelen.pk):
            Case.objects.filter(pk=closed.pk).update(
                delete_after=today + datetime.timedelta(days=20)
            )
            legal_hold_set(
                case=held,
                hold=True,
                reason="Gerechtelijk onderzoek loopt",
                review_on=today - datetime.timedelta(days=1),
                user=personas.alice,
            )
            Case.objects.filter(pk=open_case.pk).update(review_due=None)
            signal = signal_submit(
                cell=personas.mechelen,
                submitted_by=personas.alice,
                received_on=today,
                category="ideology",
                description="",
            )
            Signal.objects.filter(pk=signal.pk).update(
                delete_after=today + datetime.timedelta(days=5)
            )
        sign_in(client, dpo)
        page = client.get(url(personas)).content.decode()
        assert closed.code in page
        assert held.code in page and "Gerechtelijk onderzoek loopt" in page
        assert "overdue" in page  # the hold's review date has passed
        assert open_case.code in page  # no review date
        assert NAME not in page and SUMMARY not in page
        assert "Dora DPO" in page  # who has access

    def test_an_empty_cell_shows_sensible_empty_states(self, personas, dpo, client, settings):
        settings.LANGUAGE_CODE = "en"
        sign_in(client, dpo)
        page = client.get(url(personas)).content.decode()
        assert "No deletions in the coming three months." in page
        assert "No case is under a legal hold." in page

    def test_the_number_of_queries_does_not_grow_with_the_cases(
        self, personas, dpo, client, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        sign_in(client, dpo)
        _case(personas, close=True)
        client.get(url(personas))
        with CaptureQueriesContext(connection) as small:
            client.get(url(personas))
        for _n in range(4):
            _case(personas, close=True)
            _case(personas)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url(personas)).status_code == 200
