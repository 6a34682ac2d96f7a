from __future__ import annotations

import pytest
from django.utils import timezone
from django_scopes import scope

from vangnet.accounts.models import PlatformRole
from vangnet.audit.models import AuditEvent
from vangnet.cases.services import case_open
from vangnet.cells.models import Province
from vangnet.insights.metrics import insights_compute
from vangnet.insights.tests.conftest import (
    add_meeting,
    add_organisation,
    add_signals,
    make_cells,
)
from vangnet.meetings.services import item_record, topic_add
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/support/insights/"
ALL = ("network", "activity", "scans", "signals", "cases")


class TestAccess:
    def test_vvsg_staff_see_the_dashboard(self, personas, client):
        sign_in(client, personas.vera)
        response = client.get(URL)
        assert response.status_code == 200
        assert "Insights Flanders" in response.content.decode()

    def test_a_platform_admin_sees_it_too(self, db, client):
        admin = make_user("admin@example.org", "Admin", platform_role=PlatformRole.PLATFORM_ADMIN)
        sign_in(client, admin)
        assert client.get(URL).status_code == 200

    @pytest.mark.parametrize("who", ["alice", "bob", "olaf", "mona"])
    def test_anyone_else_is_refused(self, personas, client, who):
        sign_in(client, getattr(personas, who))
        assert client.get(URL).status_code == 403

    def test_anonymous_visitors_go_to_the_login(self, db, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert "login" in response["Location"]

    def test_the_support_page_links_to_it(self, personas, client):
        sign_in(client, personas.vera)
        assert URL in client.get("/support/").content.decode()

    def test_viewing_is_audited_with_the_year_and_region_only(self, personas, client):
        sign_in(client, personas.vera)
        client.get(URL, {"year": timezone.localdate().year, "province": Province.LIMBURG})
        event = AuditEvent.objects.filter(action="insights.dashboard.viewed").get()
        assert event.data == {"year": timezone.localdate().year, "province": Province.LIMBURG}
        assert event.actor_id == str(personas.vera.pk)


class TestChoices:
    def test_a_province_and_a_year_can_be_chosen(self, personas, client):
        sign_in(client, personas.vera)
        year = timezone.localdate().year - 1
        page = client.get(URL, {"year": year, "province": Province.LIMBURG.value})
        assert page.status_code == 200
        assert f"Insights Limburg {year}" in page.content.decode()

    @pytest.mark.parametrize(
        "params",
        [
            {"year": "abc"},
            {"year": "1900"},
            {"province": "99999"},
            {"year": "2025", "province": "<x>"},
        ],
    )
    def test_bad_choices_fall_back_to_flanders_this_year_with_a_message(
        self, personas, client, params
    ):
        sign_in(client, personas.vera)
        response = client.get(URL, params)
        assert response.status_code == 200
        body = response.content.decode()
        assert f"Insights Flanders {timezone.localdate().year}" in body
        assert "not available" in body


class TestFigures:
    def test_suppressed_figures_are_marked_and_shown_ones_have_charts(
        self, personas, client, staff
    ):
        # personas bring two cells (Antwerpen, West-Vlaanderen); four more in Antwerpen → 6
        for cell in make_cells(4, province=Province.ANTWERPEN.value):
            add_meeting(cell, staff)
        sign_in(client, personas.vera)
        flanders = client.get(URL).content.decode()
        assert "fewer than 5 cells" in flanders  # provinces, signals...
        assert 'data-chart="bar"' in flanders and 'data-chart="line"' in flanders
        assert "insights-charts.js" in flanders
        limburg = client.get(URL, {"province": Province.LIMBURG.value}).content.decode()
        assert "No cells on the platform here yet" in limburg
        antwerpen = client.get(URL, {"province": Province.ANTWERPEN.value}).content.decode()
        assert "fewer than 5 cells" in antwerpen  # e.g. no cell shares its signals
        # West-Vlaanderen (1 cell) would follow from Flanders minus Antwerpen: hidden too.
        assert "hidden so that another suppressed figure cannot be worked out" in antwerpen
        assert "<script>" not in flanders and "style=" not in flanders

    def test_the_number_of_queries_does_not_grow_with_the_cells(
        self, personas, client, staff, django_assert_max_num_queries
    ):
        def build(count: int) -> None:
            for cell in make_cells(count, share=ALL):
                add_meeting(cell, staff)
                add_signals(cell, staff, 2, organisation=add_organisation(cell))

        sign_in(client, personas.vera)
        build(5)
        client.get(URL)  # warm caches (sessions, content types)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(URL).status_code == 200
        build(10)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(URL).status_code == 200


class TestCanary:
    CASE = "CANARYCASE7f3a"
    SIGNAL = "CANARYSIGNAL91bd"
    MINUTES = "CANARYMINUTES55c2"
    AGENDA = "CANARYAGENDA3e8d"
    MEETING = "CANARYMEETING0a4f"
    PARTNER = "CANARYPARTNER77aa"
    CELL = "CANARYCELL2b9c"

    def test_no_case_signal_minutes_or_name_reaches_the_dashboard_or_the_figures(
        self, personas, client, staff
    ):
        cells = make_cells(6, share=ALL)
        from vangnet.cells.models import Cell

        Cell.objects.filter(pk=cells[0].pk).update(name=self.CELL)
        for cell in cells:
            organisation = add_organisation(cell)
            add_signals(cell, staff, 3, organisation=organisation, description=self.SIGNAL)
            meeting = add_meeting(cell, staff, title=self.MEETING)
            with scope(cell=cell.pk):
                case = case_open(
                    cell=cell,
                    person_name=self.CASE,
                    person_birth_date=None,
                    person_address=self.CASE,
                    summary=self.CASE,
                    opened_by=staff,
                )
                case_open(
                    cell=cell, person_name=f"{self.CASE}b", person_birth_date=None, opened_by=staff
                )
                item = topic_add(meeting=meeting, title=self.AGENDA, user=staff)
                item_record(
                    item=item,
                    summary=self.MINUTES,
                    decisions=self.MINUTES,
                    next_review=None,
                    user=staff,
                )
            assert case.pk
        from vangnet.network.models import Organisation

        with scope(cell=cells[1].pk):
            Organisation.objects.filter(cell=cells[1]).update(name=self.PARTNER)
        sign_in(client, personas.vera)
        year = timezone.localdate().year
        pages = [client.get(URL).content.decode()] + [
            client.get(URL, {"province": p.value}).content.decode() for p in Province
        ]
        computed = [repr(insights_compute(year=year))] + [
            repr(insights_compute(year=year, province=p.value)) for p in Province
        ]
        flanders = insights_compute(year=year)
        assert any(f.key == "cases_opened" and f.value == 12 for f in flanders.figures)
        for text in pages + computed:
            for canary in (
                self.CASE,
                self.SIGNAL,
                self.MINUTES,
                self.AGENDA,
                self.MEETING,
                self.PARTNER,
                self.CELL,
            ):
                assert canary not in text


def test_the_dashboard_reuses_its_figures_within_the_cache_period(personas, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 600
    sign_in(client, personas.vera)
    with CaptureQueriesContext(connection) as first:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(URL, {"province": Province.LIMBURG.value}).status_code == 200
    # Every area was computed with the first request; the second only signs in and audits.
    assert len(second.captured_queries) < 20 < len(first.captured_queries)
