from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Case, Factor, Participant
from vangnet.cases.services import action_add, case_find, case_open, participant_add
from vangnet.intake.models import Signal
from vangnet.intake.services import signal_submit
from vangnet.network.models import Organisation
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def base(personas) -> str:
    return f"/cells/{personas.mechelen.pk}/"


def new_case(personas, name="Ruben Fictief", birth=dt.date(2008, 4, 2)) -> Case:
    with scope(cell=personas.mechelen.pk):
        return case_open(
            cell=personas.mechelen,
            person_name=name,
            person_birth_date=birth,
            opened_by=personas.alice,
        )


class TestSignals:
    def post_signal(self, client, personas, **overrides):
        data = {
            "received_on": TODAY.isoformat(),
            "category": "online",
            "phenomenon": "radicalisation",
            "urgency": "normal",
            "description": "Deelt <script>alert(1)</script> filmpjes",
            "person_name": "Sara Voorbeeld",
            "person_birth_date": "2009-01-05",
            "person_age_band": "",
            "is_minor": "on",
        }
        data.update(overrides)
        return client.post(base(personas) + "signals/new/", data)

    def test_a_partner_reports_and_sees_only_their_own_signals(self, personas, client):
        sign_in(client, personas.pim)
        assert self.post_signal(client, personas).status_code == 302
        other = Client()
        sign_in(other, personas.alice)
        self.post_signal(other, personas, person_name="Ander Voorbeeld")
        listing = client.get(base(personas) + "signals/").content.decode()
        assert listing.count("/signals/") - listing.count("/signals/new/") >= 1
        with scope(cell=personas.mechelen.pk):
            own = Signal.objects.get(submitted_by=personas.pim)
            theirs = Signal.objects.get(submitted_by=personas.alice)
        assert client.get(base(personas) + f"signals/{own.pk}/").status_code == 200
        assert client.get(base(personas) + f"signals/{theirs.pk}/").status_code == 404

    def test_it_shows_html_in_text_escaped(self, personas, client):
        sign_in(client, personas.pim)
        self.post_signal(client, personas)
        with scope(cell=personas.mechelen.pk):
            signal = Signal.objects.get()
        page = client.get(base(personas) + f"signals/{signal.pk}/").content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page

    @pytest.mark.parametrize(
        "field,value",
        [
            ("person_birth_date", (TODAY + dt.timedelta(days=3)).isoformat()),
            ("received_on", (TODAY + dt.timedelta(days=3)).isoformat()),
            ("description", "x" * 2001),
            ("category", "nonsense"),
            ("phenomenon", "drug_crime"),  # not switched on for this cell
        ],
    )
    def test_it_refuses_bad_input_and_changes_nothing(self, personas, client, field, value):
        sign_in(client, personas.pim)
        response = self.post_signal(client, personas, **{field: value})
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert not Signal.objects.exists()

    def test_it_stores_the_person_encrypted(self, personas, client):
        sign_in(client, personas.pim)
        self.post_signal(client, personas)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM intake_signal")
            dump = repr(cursor.fetchall())
        assert "Sara Voorbeeld" not in dump and "filmpjes" not in dump

    def test_trend_signals_are_visible_to_every_member(self, personas, client):
        sign_in(client, personas.pim)
        response = client.post(
            base(personas) + "trends/new/",
            {
                "received_on": TODAY.isoformat(),
                "category": "polarisation",
                "area": "Nekkerspoel",
                "description": "Spanningen tussen jongeren en politie",
            },
        )
        assert response.status_code == 302
        other = Client()
        sign_in(other, personas.ilse)
        assert "Nekkerspoel" in other.get(base(personas) + "trends/").content.decode()


class TestScreening:
    def signal(self, personas) -> Signal:
        with scope(cell=personas.mechelen.pk):
            return signal_submit(
                cell=personas.mechelen,
                submitted_by=personas.pim,
                received_on=TODAY,
                category="violence",
                person_name="Tom Fictief",
                person_birth_date=dt.date(2007, 3, 3),
            )

    def screen(self, client, personas, signal, **data):
        return client.post(base(personas) + f"signals/{signal.pk}/screen/", data)

    def test_a_redirected_signal_is_deleted_after_six_months(self, personas, client):
        signal = self.signal(personas)
        sign_in(client, personas.alice)
        missing = self.screen(client, personas, signal, outcome="redirected", reason="Zorg")
        assert missing.status_code == 200  # to whom?
        self.screen(
            client,
            personas,
            signal,
            outcome="redirected",
            reason="Zorgvraag",
            redirected_to="CAW",
            referrer_informed="yes",
            referrer_informed_on=TODAY.isoformat(),
        )
        with scope(cell=personas.mechelen.pk):
            signal.refresh_from_db()
        assert signal.outcome == "redirected" and signal.referrer_informed is True
        months = (
            (signal.delete_after.year - TODAY.year) * 12 + signal.delete_after.month - TODAY.month
        )
        assert months == 6

    def test_a_signal_becomes_a_case(self, personas, client):
        signal = self.signal(personas)
        sign_in(client, personas.alice)
        self.screen(client, personas, signal, outcome="case", reason="Zorgwekkend")
        response = client.post(base(personas) + f"signals/{signal.pk}/open-case/")
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            case = Case.objects.get()
            signal.refresh_from_db()
        assert re.fullmatch(rf"LIV-{TODAY.year}-001", case.code)
        assert signal.case_id == case.pk and signal.delete_after is None
        assert case.person_name == "Tom Fictief"
        # A second attempt changes nothing.
        client.post(base(personas) + f"signals/{signal.pk}/open-case/")
        with scope(cell=personas.mechelen.pk):
            assert Case.objects.count() == 1

    def test_only_the_information_officer_records_police_status(self, personas, client):
        signal = self.signal(personas)
        url = base(personas) + f"signals/{signal.pk}/police/"
        sign_in(client, personas.alice)
        assert client.post(url, {"known_to_police": "yes"}).status_code == 403
        sign_in(client, personas.ilse)
        assert client.post(url, {"known_to_police": "yes"}).status_code == 302
        assert client.post(url, {"known_to_police": "OCAM niveau 3"}).status_code == 302
        with scope(cell=personas.mechelen.pk):
            signal.refresh_from_db()
        assert signal.known_to_police == "yes"

    def test_a_partner_cannot_screen(self, personas, client):
        signal = self.signal(personas)
        sign_in(client, personas.pim)
        response = self.screen(client, personas, signal, outcome="information", reason="x")
        assert response.status_code == 403


class TestCaseFile:
    def test_it_numbers_cases_per_cell_and_year(self, personas):
        first, second = new_case(personas), new_case(personas, name="Tweede Persoon")
        assert first.code.endswith("-001") and second.code.endswith("-002")
        with scope(cell=personas.wingene.pk):
            other = case_open(
                cell=personas.wingene,
                person_name="X",
                person_birth_date=None,
                opened_by=personas.walter,
            )
        assert other.code.endswith("-001")

    def test_it_finds_an_existing_case_by_name_and_birth_date(self, personas, client):
        case = new_case(personas, name="Élise Van Fictief")
        sign_in(client, personas.alice)
        url = base(personas) + "cases/find/"
        found = client.post(url, {"name": "  elise van FICTIEF ", "birth_date": "2008-04-02"})
        assert case.code in found.content.decode()
        wrong = client.post(url, {"name": "Elise Van Fictief", "birth_date": "2008-04-03"})
        assert case.code not in wrong.content.decode()
        by_code = client.post(url, {"code": case.code.lower()})
        assert case.code in by_code.content.decode()
        unknown = client.post(url, {"code": "LIV-1999-999"})
        assert unknown.status_code == 200
        with scope(cell=personas.wingene.pk):
            assert (
                case_find(
                    cell=personas.wingene, name="Élise Van Fictief", birth_date=dt.date(2008, 4, 2)
                )
                is None
            )

    def test_it_refuses_a_birth_date_in_the_future(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        response = client.post(
            base(personas) + f"cases/{case.pk}/edit/",
            {
                "person_name": "Gewijzigd",
                "person_birth_date": (TODAY + dt.timedelta(1)).isoformat(),
                "review_due": TODAY.isoformat(),
            },
        )
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert Case.objects.get().person_name == "Ruben Fictief"

    def test_it_needs_a_reason_when_the_person_is_not_informed(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        url = base(personas) + f"cases/{case.pk}/edit/"
        data = {
            "person_name": "Ruben Fictief",
            "review_due": TODAY.isoformat(),
            "person_informed": "no",
        }
        assert client.post(url, data).status_code == 200
        data["person_informed_reason"] = "Lopend onderzoek"
        assert client.post(url, data).status_code == 302

    def test_it_keeps_the_checklist_without_a_score(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        client.post(
            base(personas) + f"cases/{case.pk}/factors/",
            {
                "family__protective": "on",
                "family__protective__note": "Steunende moeder",
                "violence__risk": "on",
            },
        )
        with scope(cell=personas.mechelen.pk):
            factors = {(f.dimension, f.kind): f.note for f in Factor.objects.all()}
        assert factors == {("family", "protective"): "Steunende moeder", ("violence", "risk"): ""}
        assert not any("score" in f.name for f in Factor._meta.fields)

    def test_it_has_one_case_manager_and_needs_a_reason(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
        url = base(personas) + f"cases/{case.pk}/participants/add/"
        assert client.post(url, {"organisation": caw.pk, "reason": ""}).status_code == 200
        client.post(url, {"organisation": caw.pk, "reason": "Begeleiding", "is_case_manager": "on"})
        client.post(url, {"person": personas.ilse.pk, "reason": "Info", "is_case_manager": "on"})
        with scope(cell=personas.mechelen.pk):
            managers = Participant.objects.filter(is_case_manager=True)
            assert managers.count() == 1 and managers.get().user_id == personas.ilse.pk

    def test_closing_sets_the_deletion_date_and_a_hold_stops_it(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        url = base(personas) + f"cases/{case.pk}/"
        client.post(url + "close/", {"reason": "regular_care", "outcome": "Opgevolgd door CAW"})
        with scope(cell=personas.mechelen.pk):
            case.refresh_from_db()
        assert case.status == "closed"
        assert case.delete_after.year == TODAY.year + 2
        assert client.post(url + "legal-hold/", {"hold": "on"}).status_code == 200
        client.post(
            url + "legal-hold/",
            {
                "hold": "on",
                "reason": "Gerechtelijke vraag",
                "review_on": (TODAY + dt.timedelta(90)).isoformat(),
            },
        )
        with scope(cell=personas.mechelen.pk):
            assert Case.objects.expired(case.delete_after).count() == 0
        assert client.post(url + "close/", {"reason": "moved", "outcome": "x"}).status_code == 200

    def test_it_audits_every_open_change_and_export(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        url = base(personas) + f"cases/{case.pk}/"
        client.get(url)
        client.get(url + "export/")
        client.post(
            url + "edit/",
            {"person_name": "Ruben Fictief", "summary": "Nieuw", "review_due": TODAY.isoformat()},
        )
        actions = list(
            AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
        )
        for expected in (
            "cases.case.opened",
            "cases.case.viewed",
            "cases.case.exported",
            "cases.case.updated",
        ):
            assert expected in actions
        log = client.get(url + "access-log/").content.decode()
        assert "cases.case.exported" in log
        assert all("Ruben" not in str(e.data) for e in AuditEvent.objects.all())

    def test_it_answers_404_to_tampered_ids(self, personas, client):
        case = new_case(personas)
        sign_in(client, personas.alice)
        assert client.get(base(personas) + "cases/not-a-uuid/").status_code == 404
        assert client.get(f"/cells/{personas.wingene.pk}/cases/{case.pk}/").status_code == 404


class TestQueryCounts:
    def make_cases(self, personas, count: int) -> None:
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
            start = Case.objects.count()
            cases = [
                Case(
                    cell=personas.mechelen,
                    code=f"LIV-2020-{start + i:04d}",
                    person_name=f"Persoon {i}",
                    review_due=TODAY,
                )
                for i in range(count)
            ]
            Case.objects.bulk_create(cases)
            Participant.objects.bulk_create(
                Participant(cell=personas.mechelen, case=c, organisation=caw, reason="r")
                for c in cases
            )

    def count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    @pytest.mark.parametrize("who", ["alice", "pim"])
    def test_case_list_and_home_do_not_grow_with_the_data(self, personas, client, who):
        sign_in(client, getattr(personas, who))
        self.make_cases(personas, 10)
        pages = [base(personas) + "cases/", base(personas)]
        client.get(pages[0])
        small = [self.count(client, page) for page in pages]
        self.make_cases(personas, 990)
        large = [self.count(client, page) for page in pages]
        assert small == large
        assert "Persoon 1" not in client.get(pages[0]).content.decode()

    def test_the_case_page_shows_who_takes_part_and_owns_actions_without_a_query_per_row(
        self, personas, client
    ):
        case = new_case(personas)
        sign_in(client, personas.alice)
        url = base(personas) + f"cases/{case.pk}/"
        client.get(url)
        empty = self.count(client, url)
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
            for n in range(3):
                action = action_add(
                    case=case,
                    owner=caw,
                    description=f"Stap {n}",
                    due_date=TODAY,
                    user=personas.alice,
                )
            participant_add(case=case, reason="r", user=personas.alice, organisation=caw)
            participant_add(
                case=case,
                reason="r",
                user=personas.alice,
                person=personas.ilse,
                until_action=action,
            )
        full = self.count(client, url)
        page = client.get(url).content.decode()
        assert full == empty
        assert page.count(caw.name) >= 4  # three owners and a participant
        assert personas.ilse.full_name in page and "Stap 2" in page


def test_the_case_list_is_paginated(personas, client):
    TestQueryCounts().make_cases(personas, 60)
    sign_in(client, personas.alice)
    first = client.get(base(personas) + "cases/").content.decode()
    second = client.get(base(personas) + "cases/?page=2").content.decode()
    assert first.count("/cases/") > 50 and "?page=2" in first
    assert "?page=1" in second
    assert client.get(base(personas) + "cases/?page=999").status_code == 200
