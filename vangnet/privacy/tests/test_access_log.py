"""Access-log review: filters, anomaly hints, export and the periodic sign-off (issue 10)."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record
from vangnet.cases.models import Case
from vangnet.cases.services import case_audit_view, case_open
from vangnet.cells.models import Membership, Role
from vangnet.cells.services import membership_add
from vangnet.privacy.models import AccessReview
from vangnet.tests_support.personas import make_user, sign_in

NAME = "Persoon Logtest"


def base(personas) -> str:
    return f"/cells/{personas.mechelen.pk}/privacy/access-log/"


def open_cases(personas, count: int) -> list[Case]:
    with scope(cell=personas.mechelen.pk):
        return [
            case_open(
                cell=personas.mechelen,
                person_name=f"{NAME} {n}",
                person_birth_date=None,
                opened_by=personas.alice,
            )
            for n in range(count)
        ]


def view(case: Case, user) -> None:
    with scope(cell=case.cell_id):
        case_audit_view(case=case, user=user)


class TestFilters:
    def test_it_filters_by_case_code_user_and_action(self, personas, dpo, client, english):
        first, second = open_cases(personas, 2)
        view(first, personas.alice)
        view(second, personas.bob)
        sign_in(client, dpo)
        by_case = client.get(base(personas), {"case_code": first.code}).content.decode()
        assert first.code in by_case and second.code not in by_case
        by_user = client.get(
            base(personas), {"user": str(personas.bob.pk), "action": "cases.case.viewed"}
        ).content.decode()
        assert second.code in by_user
        assert "cases.case.opened" not in by_user.split("<tbody>", 1)[1]
        assert NAME not in by_case and NAME not in by_user

    def test_an_unknown_case_code_shows_nothing_not_an_error(self, personas, dpo, client, english):
        open_cases(personas, 1)
        sign_in(client, dpo)
        response = client.get(base(personas), {"case_code": "ZZ-999"})
        assert response.status_code == 200
        assert "No events match these filters." in response.content.decode()

    def test_a_case_code_of_another_cell_matches_nothing(self, personas, dpo, client, english):
        with scope(cell=personas.wingene.pk):
            other = case_open(
                cell=personas.wingene,
                person_name="Elders",
                person_birth_date=None,
                opened_by=personas.walter,
            )
        open_cases(personas, 1)
        sign_in(client, dpo)
        sign_in(client, dpo)
        with scopes_disabled():
            Case.objects.filter(pk=other.pk).update(code="WG-0001")  # a code Mechelen lacks
        page = client.get(base(personas), {"case_code": "WG-0001"}).content.decode()
        assert "No events match these filters." in page

    def test_a_bad_period_gets_a_message_and_changes_nothing(self, personas, dpo, client, english):
        sign_in(client, dpo)
        response = client.get(base(personas), {"start": "2026-05-01", "end": "2026-01-01"})
        assert response.status_code == 400
        assert "The start of the period is after its end." in response.content.decode()
        response = client.get(base(personas), {"start": "not a date"})
        assert response.status_code == 400

    def test_it_never_shows_another_cells_events(self, personas, dpo, client):
        with scope(cell=personas.wingene.pk):
            audit_record(
                action="cells.profile.updated", cell=personas.wingene, actor=personas.walter
            )
        sign_in(client, dpo)
        page = client.get(base(personas), {"user": ""}).content.decode()
        assert "cells.profile.updated" not in page and "Walter" not in page


class TestHints:
    def test_it_flags_many_cases_night_work_and_access_after_the_membership_ended(
        self, personas, dpo, client, english
    ):
        cases = open_cases(personas, 10)
        for case in cases:
            view(case, personas.bob)
        night = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time(23, 30))
        ) - datetime.timedelta(days=1)
        with time_machine.travel(night, tick=False):
            view(cases[0], personas.alice)
        leaver = make_user("leaver@example.org", "Lena Leaver")
        membership = membership_add(cell=personas.mechelen, user=leaver, role=Role.MEMBER)
        with scopes_disabled():
            Membership.objects.filter(pk=membership.pk).update(
                ended_at=timezone.now() - datetime.timedelta(days=2)
            )
        with scope(cell=personas.mechelen.pk):
            audit_record(action="cases.case.viewed", cell=personas.mechelen, actor=leaver)
        sign_in(client, dpo)
        page = client.get(base(personas)).content.decode()
        assert "opened 10 different cases in this period" in page
        assert "between 22:00 and 06:00" in page
        assert "Lena Leaver" in page and "after their membership ended" in page

    def test_a_quiet_period_says_so(self, personas, dpo, client, english):
        sign_in(client, dpo)
        page = client.get(
            base(personas), {"start": "2020-01-01", "end": "2020-03-31"}
        ).content.decode()
        assert "Nothing unusual in this period" in page


class TestExportAndSignOff:
    def test_it_exports_the_selection_as_csv_and_audits_it(self, personas, dpo, client):
        first = open_cases(personas, 1)[0]
        sign_in(client, dpo)
        response = client.get(base(personas) + "export.csv", {"case_code": first.code})
        assert response.status_code == 200
        body = response.content.decode()
        assert first.code in body and "cases.case.opened" in body and NAME not in body
        assert AuditEvent.objects.filter(action="privacy.access_log.exported").count() == 1

    def test_it_records_who_reviewed_which_period_with_findings(self, personas, dpo, client):
        open_cases(personas, 1)
        sign_in(client, dpo)
        end = timezone.localdate() - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=30)
        response = client.post(
            base(personas) + "sign/",
            {"start": start.isoformat(), "end": end.isoformat(), "findings": "Niets gevonden."},
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            review = AccessReview.objects.get()
        assert (review.period_start, review.period_end) == (start, end)
        assert review.reviewed_by == dpo and review.findings == "Niets gevonden."
        event = AuditEvent.objects.get(action="privacy.access_review.signed")
        assert event.data == {"start": start.isoformat(), "end": end.isoformat()}
        page = client.get(base(personas)).content.decode()
        assert "Niets gevonden." in page

    def test_a_period_that_has_not_passed_cannot_be_signed_off(self, personas, dpo, client):
        sign_in(client, dpo)
        today = timezone.localdate()
        client.post(
            base(personas) + "sign/",
            {"start": today.isoformat(), "end": (today + datetime.timedelta(days=3)).isoformat()},
        )
        with scope(cell=personas.mechelen.pk):
            assert not AccessReview.objects.exists()

    def test_a_partner_cannot_sign_off(self, personas, client):
        sign_in(client, personas.pim)
        response = client.post(
            base(personas) + "sign/", {"start": "2026-01-01", "end": "2026-01-31"}
        )
        assert response.status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_log(
    personas, dpo, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = open_cases(personas, 2)
    sign_in(client, dpo)
    client.get(base(personas))
    with CaptureQueriesContext(connection) as small:
        client.get(base(personas))
    for case in open_cases(personas, 6) + cases:
        view(case, personas.bob)
        view(case, personas.alice)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(base(personas)).status_code == 200
