from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from vangnet.cases.services import action_add, case_close, case_open
from vangnet.cells.models import CellProfile, Role
from vangnet.cells.services import membership_add, membership_end, profile_update
from vangnet.intake.models import Category
from vangnet.intake.services import signal_screen, signal_submit, trend_submit
from vangnet.meetings.services import meeting_create
from vangnet.network.models import Organisation, Participation, Sector
from vangnet.network.services import organisation_create, organisation_update
from vangnet.scans.health import cell_health
from vangnet.tests_support.personas import make_user

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=BRUSSELS)
TODAY = NOW.date()
PERSON = "Fictieve Persoon Geheim"
DESCRIPTION = "Uitspraken op school die niemand mag lezen"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def organisation(cell, name, sector, status="active"):
    with scope(cell=cell.pk):
        return organisation_create(
            cell=cell,
            name=name,
            sector=sector,
            participation=Participation.PER_CASE,
            status=status,
        )


def police(cell):
    return organisation(cell, "Politiezone Mechelen-Willebroek", Sector.LOCAL_POLICE)


def caw(cell):
    with scope(cell=cell.pk):
        return Organisation.objects.get(sector=Sector.CAW)


def submit(cell, user, *, days_ago=0, on=None, origin=None):
    with scope(cell=cell.pk):
        return signal_submit(
            cell=cell,
            submitted_by=user,
            received_on=on or TODAY - dt.timedelta(days=days_ago),
            category=Category.OTHER,
            description=DESCRIPTION,
            origin_organisation=origin,
            person_name=PERSON,
        )


def screen(signal, user):
    with scope(cell=signal.cell_id):
        return signal_screen(signal=signal, outcome="information", reason="r", screened_by=user)


def meeting(cell, user, kind, starts_at):
    with scope(cell=cell.pk):
        return meeting_create(
            cell=cell,
            kind=kind,
            title="Overleg",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            chair=user,
            created_by=user,
        )


def health(cell, **kwargs):
    with scope(cell=cell.pk):
        return cell_health(cell, TODAY, **kwargs)


class TestSignalSources:
    def test_it_warns_when_all_signals_come_from_the_police(self, personas):
        p = personas
        zone = police(p.mechelen)
        for days in (1, 20, 40):
            submit(p.mechelen, p.ilse, days_ago=days, origin=zone)

        result = health(p.mechelen)

        assert result.signals.total == 3
        assert result.signals.police == 3
        assert result.signals.police_share == 1.0
        assert result.signals.police_warning is True
        assert result.indicator("signal_sources").status == "warning"
        assert [(s.sector, s.label, s.count) for s in result.signals.by_sector] == [
            ("local_police", "Local police", 3)
        ]

    def test_it_warns_when_every_signal_with_a_known_sector_is_from_the_police(self, personas):
        p = personas
        zone = police(p.mechelen)
        submit(p.mechelen, p.ilse, days_ago=1, origin=zone)
        for days in (2, 3, 4):
            submit(p.mechelen, p.alice, days_ago=days)  # no origin: sector unknown

        result = health(p.mechelen)

        assert result.signals.police_percent == 25
        assert result.signals.police_warning is True
        assert ("unknown", "Unknown", 3) in [
            (s.sector, s.label, s.count) for s in result.signals.by_sector
        ]

    def test_it_warns_from_exactly_80_percent(self, personas):
        p = personas
        zone, welfare = police(p.mechelen), caw(p.mechelen)
        for days in range(4):
            submit(p.mechelen, p.ilse, days_ago=days, origin=zone)
        submit(p.mechelen, p.pim, days_ago=5, origin=welfare)

        result = health(p.mechelen)

        assert (result.signals.police, result.signals.total) == (4, 5)
        assert result.signals.police_percent == 80
        assert result.signals.police_warning is True
        assert result.indicator("signal_sources").status == "warning"

    def test_it_does_not_warn_below_80_percent(self, personas):
        p = personas
        zone, welfare = police(p.mechelen), caw(p.mechelen)
        for days in range(3):
            submit(p.mechelen, p.ilse, days_ago=days, origin=zone)
        for days in (4, 5):
            submit(p.mechelen, p.pim, days_ago=days, origin=welfare)

        result = health(p.mechelen)

        assert result.signals.police_percent == 60
        assert result.signals.police_warning is False
        assert result.indicator("signal_sources").status == "ok"

    def test_it_knows_nothing_without_signals(self, personas):
        result = health(personas.mechelen)

        assert result.signals.total == 0
        assert result.signals.police_share is None
        assert result.signals.police_warning is False
        assert result.indicator("signal_sources").status == "unknown"
        assert result.indicator("signals_received").status == "warning"

    def test_it_gives_a_12_month_trend_with_zeros(self, personas):
        p = personas
        for day in (
            dt.date(2025, 6, 1),
            TODAY,
            dt.date(2025, 1, 31),
            dt.date(2024, 7, 1),
            dt.date(2024, 6, 30),  # before the period
        ):
            submit(p.mechelen, p.alice, on=day)
        with scope(cell=p.mechelen.pk):
            trend_submit(
                cell=p.mechelen,
                submitted_by=p.pim,
                received_on=dt.date(2025, 3, 3),
                category=Category.POLARISATION,
                description="Spanningen",
            )

        result = health(p.mechelen)

        expected = [
            ("2024-07", 1),
            ("2024-08", 0),
            ("2024-09", 0),
            ("2024-10", 0),
            ("2024-11", 0),
            ("2024-12", 0),
            ("2025-01", 1),
            ("2025-02", 0),
            ("2025-03", 0),
            ("2025-04", 0),
            ("2025-05", 0),
            ("2025-06", 2),
        ]
        assert list(result.signals.trend) == expected
        assert result.signals.total == 4  # the trend adds up to the count
        assert result.signals.trend_signals == 1
        assert result.period_start == dt.date(2024, 7, 1)
        assert result.trend_json == {
            "labels": [month for month, _ in expected],
            "datasets": [{"label": "Signals", "data": [count for _, count in expected]}],
        }

    def test_it_counts_only_the_cell(self, personas):
        submit(personas.mechelen, personas.alice, days_ago=1)

        assert health(personas.wingene).signals.total == 0


class TestScreeningTime:
    def test_it_gives_the_median_days_to_a_decision(self, personas):
        p = personas
        for days in (10, 4, 1):
            screen(submit(p.mechelen, p.alice, days_ago=days), p.alice)
        submit(p.mechelen, p.alice, days_ago=50)  # not screened yet: left out

        result = health(p.mechelen)

        assert result.cases.screened_signals == 3
        assert result.cases.median_days_to_decision == 4
        assert result.indicator("screening_time").status == "ok"

    def test_it_takes_the_middle_of_an_even_count_and_flags_a_long_wait(self, personas):
        p = personas
        for days in (40, 60):
            screen(submit(p.mechelen, p.alice, days_ago=days), p.alice)

        result = health(p.mechelen)

        assert result.cases.median_days_to_decision == 50
        assert result.indicator("screening_time").status == "warning"

    def test_it_is_none_without_screened_signals(self, personas):
        submit(personas.mechelen, personas.alice, days_ago=3)

        result = health(personas.mechelen)

        assert result.cases.median_days_to_decision is None
        assert result.indicator("screening_time").status == "unknown"


class TestPartners:
    def test_it_counts_active_socio_preventive_partners(self, personas):
        police(personas.mechelen)  # the police is not socio-preventive

        result = health(personas.mechelen)

        assert result.active_socio_preventive_partners == 1  # the CAW
        assert result.partner_warning is False
        assert result.indicator("socio_preventive_partners").status == "ok"

    def test_it_warns_without_an_active_socio_preventive_partner(self, personas):
        p = personas
        police(p.mechelen)
        organisation(p.mechelen, "Stedelijke Jeugddienst", Sector.YOUTH_WORK, status="invited")
        with scope(cell=p.mechelen.pk):
            organisation_update(organisation=caw(p.mechelen), changes={"status": "stopped"})

        result = health(p.mechelen)

        assert result.active_socio_preventive_partners == 0
        assert result.partner_warning is True
        assert result.indicator("socio_preventive_partners").status == "warning"


class TestMeetingsAndCases:
    def test_it_counts_meetings_per_kind_in_the_period(self, personas):
        p = personas
        meeting(p.mechelen, p.alice, "case", NOW - dt.timedelta(days=30))
        meeting(p.mechelen, p.alice, "case", NOW - dt.timedelta(days=100))
        meeting(p.mechelen, p.alice, "network", dt.datetime(2024, 5, 10, 14, tzinfo=BRUSSELS))
        meeting(p.mechelen, p.alice, "case", NOW + dt.timedelta(days=7))  # planned

        result = health(p.mechelen)

        rows = {k.kind: (k.count, k.months_since_last) for k in result.meetings.by_kind}
        assert rows == {"case": (2, 1), "network": (0, 13), "mixed": (0, None)}
        assert result.meetings.total == 2
        assert result.indicator("meeting_rhythm").status == "warning"  # no network meeting

        meeting(p.mechelen, p.alice, "network", NOW - dt.timedelta(days=2))
        assert health(p.mechelen).indicator("meeting_rhythm").status == "ok"

    def test_it_counts_cases_and_overdue_follow_up(self, personas):
        p = personas
        with scope(cell=p.mechelen.pk):
            first = case_open(
                cell=p.mechelen, person_name=PERSON, person_birth_date=None, opened_by=p.alice
            )
            action_add(
                case=first,
                owner=caw(p.mechelen),
                description=DESCRIPTION,
                due_date=TODAY - dt.timedelta(days=2),
                user=p.alice,
            )
            second = case_open(
                cell=p.mechelen, person_name="Ander", person_birth_date=None, opened_by=p.alice
            )
            case_close(case=second, reason="unfounded", outcome="", user=p.alice)

        result = health(p.mechelen)

        assert (result.cases.open_cases, result.cases.closed_cases) == (1, 1)
        assert (result.cases.overdue_actions, result.cases.overdue_reviews) == (1, 0)
        assert result.indicator("case_follow_up").status == "warning"
        assert result.meetings.has_open_cases is True


class TestKnowledgeTransfer:
    def test_it_reports_no_deputy_and_no_capacity_by_default(self, personas):
        result = health(personas.mechelen)

        assert result.coordinator_fte is None
        assert result.has_deputy_coordinator is False
        assert result.indicator("coordinator_capacity").status == "unknown"
        assert result.indicator("deputy_coordinator").status == "warning"

    def test_it_reads_the_deputy_and_the_fte(self, personas):
        p = personas
        dana = make_user("dana@example.org", "Dana Deputy")
        membership_add(cell=p.mechelen, user=dana, role=Role.DEPUTY_COORDINATOR)
        with scope(cell=p.mechelen.pk):
            profile = CellProfile.objects.get()
            profile_update(profile=profile, changes={"coordinator_fte": 0.5}, updated_by=p.alice)

        result = health(p.mechelen)

        assert result.coordinator_fte == Decimal("0.5")
        assert result.has_deputy_coordinator is True
        assert result.indicator("coordinator_capacity").value == "0.5 FTE"
        assert result.indicator("coordinator_capacity").status == "ok"
        assert result.indicator("deputy_coordinator").status == "ok"
        assert "deputy coordinator: yes" in result.fact_values["knowledge_transfer"]

    def test_an_ended_deputy_membership_does_not_count(self, personas):
        p = personas
        dana = make_user("dana@example.org", "Dana Deputy")
        membership = membership_add(cell=p.mechelen, user=dana, role=Role.DEPUTY_COORDINATOR)
        membership_end(membership=membership)

        assert health(p.mechelen).has_deputy_coordinator is False

    def test_it_gives_the_months_since_the_last_scan(self, personas):
        never = health(personas.mechelen)
        recent = health(
            personas.mechelen, last_scan_at=dt.datetime(2025, 2, 20, 9, tzinfo=BRUSSELS)
        )
        old = health(personas.mechelen, last_scan_at=dt.datetime(2024, 1, 5, tzinfo=dt.UTC))

        assert never.months_since_scan is None
        assert never.indicator("last_scan").status == "warning"
        assert recent.months_since_scan == 4
        assert recent.indicator("last_scan").status == "ok"
        assert old.months_since_scan == 17
        assert old.indicator("last_scan").status == "warning"


class TestOutput:
    def test_it_gives_a_fact_for_each_scan_module(self, personas):
        p = personas
        zone = police(p.mechelen)
        for days in range(4):
            submit(p.mechelen, p.ilse, days_ago=days, origin=zone)
        submit(p.mechelen, p.pim, days_ago=5, origin=caw(p.mechelen))

        facts = health(p.mechelen).fact_values

        assert set(facts) == {
            "signal_sources",
            "socio_preventive_partners",
            "meeting_rhythm",
            "case_follow_up",
            "knowledge_transfer",
        }
        assert facts["signal_sources"] == (
            "In the last 12 months: 4 of 5 signals (80%) from the local police; 0 trend signals."
        )
        assert facts["socio_preventive_partners"] == (
            "The cell has 1 active socio-preventive partner."
        )
        assert "last scan: never" in facts["knowledge_transfer"]

    def test_every_indicator_explains_itself(self, personas):
        result = health(personas.mechelen)

        keys = [i.key for i in result.indicators]
        assert len(keys) == len(set(keys))
        for indicator in result.indicators:
            assert indicator.status in ("ok", "warning", "unknown")
            assert str(indicator.label) and indicator.value
            assert str(indicator.explanation) and str(indicator.guidance)

    def test_the_template_shows_the_indicators_without_personal_data(self, personas):
        p = personas
        zone = police(p.mechelen)
        for days in (1, 2):
            screen(submit(p.mechelen, p.ilse, days_ago=days, origin=zone), p.alice)
        with scope(cell=p.mechelen.pk):
            case_open(
                cell=p.mechelen, person_name=PERSON, person_birth_date=None, opened_by=p.alice
            )

        html = render_to_string("scans/_health.html", {"health": health(p.mechelen)})

        assert "Cell health" in html
        assert 'class="badge badge-warn"' in html
        assert 'class="badge badge-ok"' in html
        assert "<details" in html and "<summary>What to do</summary>" in html
        assert '<script id="health-trend" type="application/json">' in html
        assert 'data-chart="line" data-source="health-trend" role="img"' in html
        assert '<time datetime="2025-06">2025-06</time>' in html
        assert "style=" not in html
        assert html.count("<script") == 1  # only the JSON data
        for secret in (PERSON, DESCRIPTION, "Politiezone", "CAW Boom", "Alice", "LIV-"):
            assert secret not in html


class TestQueries:
    def test_it_needs_a_bounded_number_of_queries(self, personas, django_assert_max_num_queries):
        p = personas
        zone = police(p.mechelen)
        submit(p.mechelen, p.ilse, days_ago=1, origin=zone)
        meeting(p.mechelen, p.alice, "case", NOW - dt.timedelta(days=3))
        with scope(cell=p.mechelen.pk), django_assert_max_num_queries(25):
            cell_health(p.mechelen, TODAY, last_scan_at=timezone.now())

    def test_the_number_of_queries_does_not_grow_with_the_data(self, personas):
        p = personas
        zone, welfare = police(p.mechelen), caw(p.mechelen)

        def add_signals(count):
            for i in range(count):
                signal = submit(
                    p.mechelen, p.ilse, days_ago=i * 11 % 360, origin=zone if i % 2 else welfare
                )
                if i % 3 == 0:
                    screen(signal, p.alice)

        def queries():
            with scope(cell=p.mechelen.pk), CaptureQueriesContext(connection) as captured:
                cell_health(p.mechelen, TODAY)
            return len(captured.captured_queries)

        add_signals(3)
        few = queries()
        add_signals(27)
        meeting(p.mechelen, p.alice, "network", NOW - dt.timedelta(days=60))
        many = queries()

        assert few == many
        assert many <= 25
