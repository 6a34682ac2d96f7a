"""The breach register (GDPR art. 33/34, R-19): the 72-hour clock, the risk decision, the
notification draft, and who may see it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.breaches.drafts import authority_draft, subjects_draft
from vangnet.breaches.models import Breach, BreachRisk, BreachStatus
from vangnet.breaches.services import (
    breach_close,
    breach_create,
    breach_notify,
    breach_update,
)
from vangnet.tests_support.personas import sign_in

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
H = datetime.timedelta(hours=1)

DESCRIPTION = "Een laptop met verslagen van de casusoverleggen is gestolen uit een wagen"
SUBJECTS = "Personen besproken op het casusoverleg"
RECORDS = "Verslagen en actieplannen"
CONSEQUENCES = "Stigmatisering van de betrokkenen"
MEASURES = "Laptop op afstand gewist, wachtwoorden vervangen"
CONTACT = "Functionaris gegevensbescherming, privacy@mechelen.example"
GROUNDS = "Versleutelde schijf, sleutel niet mee gestolen"
LATE = "Het incident werd pas na het weekend aan de DPO gemeld"
INFORMED_HOW = "Brief aan elke betrokkene"
TEXTS = (DESCRIPTION, SUBJECTS, RECORDS, CONSEQUENCES, MEASURES, CONTACT, GROUNDS, LATE)
OTHER_TEXT = "Een e-mail met een namenlijst ging naar de verkeerde partner"


pytestmark = pytest.mark.usefixtures("english")


def fields(**overrides):
    aware_at = overrides.get("aware_at", NOW - 10 * H)
    data = {
        "aware_at": aware_at,
        "occurred_at": aware_at - 3 * H,
        "occurred_approximate": True,
        "nature": ["confidentiality"],
        "description": DESCRIPTION,
        "subject_categories": SUBJECTS,
        "subject_count": 12,
        "record_categories": RECORDS,
        "record_count": 40,
        "consequences": CONSEQUENCES,
        "measures": MEASURES,
        "contact": CONTACT,
        "risk": BreachRisk.RISK,
        "risk_grounds": "",
        "late_reason": "",
        "subjects_informed_at": None,
        "subjects_informed_how": "",
    }
    data.update(overrides)
    return data


def create(personas, cell=None, *, now=NOW, **overrides) -> Breach:
    cell = cell or personas.mechelen
    with scope(cell=cell.pk):
        return breach_create(
            cell=cell, registered_by=personas.alice, fields=fields(**overrides), now=now
        )


def base(personas, cell=None) -> str:
    return f"/cells/{(cell or personas.mechelen).pk}/privacy/breaches/"


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides):
    data = {
        "aware_at": local(timezone.now() - 2 * H),
        "occurred_at": local(timezone.now() - 5 * H),
        "occurred_approximate": "on",
        "nature": ["confidentiality", "availability"],
        "description": DESCRIPTION,
        "subject_categories": SUBJECTS,
        "subject_count": "12",
        "record_categories": RECORDS,
        "record_count": "40",
        "consequences": CONSEQUENCES,
        "measures": MEASURES,
        "contact": CONTACT,
        "risk": "risk",
        "risk_grounds": "",
        "late_reason": "",
        "subjects_informed_at": "",
        "subjects_informed_how": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def stored(personas) -> list[Breach]:
    with scope(cell=personas.mechelen.pk):
        return list(Breach.objects.all())


def urls(personas, breach: Breach, cell=None) -> list[tuple[str, str]]:
    """Every URL of one breach, with the method that acts on it."""
    prefix = f"{base(personas, cell)}{breach.pk}/"
    return [
        ("get", prefix),
        ("get", prefix + "edit/"),
        ("post", prefix + "edit/"),
        ("post", prefix + "notify/"),
        ("post", prefix + "close/"),
        ("get", prefix + "draft/"),
        ("get", prefix + "draft.txt"),
    ]


class TestClock:
    def test_it_counts_72_hours_from_when_the_cell_became_aware(self, personas):
        breach = create(personas, aware_at=NOW - 58 * H)
        assert breach.deadline == NOW + 14 * H
        assert breach.remaining(NOW) == 14 * H
        clock = breach.clock(NOW)
        assert (clock.state, clock.hours, clock.label) == ("running", 14, "14 hours left")
        assert not breach.is_overdue(NOW)

    def test_it_rounds_the_time_left_up_and_the_delay_down(self, personas):
        breach = create(personas, aware_at=NOW - 58 * H)
        assert breach.clock(NOW + 30 * datetime.timedelta(minutes=1)).label == "14 hours left"
        assert breach.clock(breach.deadline + 90 * datetime.timedelta(minutes=1)).hours == 1

    def test_it_flags_breach_overdue_after_72_hours_without_notification(self, personas):
        breach = create(personas, aware_at=NOW - 95 * H)
        assert breach.is_overdue(NOW)
        clock = breach.clock(NOW)
        assert (clock.state, clock.label) == ("overdue", "23 hours late")
        with scope(cell=personas.mechelen.pk):
            assert list(Breach.objects.overdue(NOW)) == [breach]
            assert not Breach.objects.overdue(NOW - 24 * H).exists()
        assert breach.clock(NOW + 105 * H).label == "5 days late"

    def test_a_breach_not_yet_assessed_keeps_the_clock_running(self, personas):
        breach = create(personas, aware_at=NOW - 80 * H, risk=BreachRisk.NOT_ASSESSED)
        assert breach.notification_required and breach.is_overdue(NOW)

    def test_a_breach_unlikely_to_result_in_a_risk_needs_no_notification(self, personas):
        breach = create(
            personas, aware_at=NOW - 100 * H, risk=BreachRisk.NONE, risk_grounds=GROUNDS
        )
        assert not breach.notification_required and not breach.subjects_must_be_informed
        assert not breach.is_overdue(NOW)
        assert breach.clock(NOW).label == "no notification needed"
        with scope(cell=personas.mechelen.pk):
            assert not Breach.objects.overdue(NOW).exists()

    def test_deciding_no_risk_requires_the_grounds(self, personas):
        with pytest.raises(ValidationError) as error:
            create(personas, risk=BreachRisk.NONE, risk_grounds="  ")
        assert "risk_grounds" in error.value.message_dict
        assert stored(personas) == []

    def test_a_notification_within_72_hours_stops_the_clock(self, personas):
        breach = create(personas, aware_at=NOW - 50 * H)
        with scope(cell=personas.mechelen.pk):
            breach_notify(
                breach=breach,
                notified_at=NOW - H,
                reference="GBA-123",
                late_reason="",
                user=personas.alice,
                now=NOW,
            )
        assert not breach.is_overdue(NOW + 100 * H)
        assert breach.clock(NOW + 100 * H).label == "notified within 72 hours"

    def test_it_requires_the_reasons_when_notified_after_72_hours(self, personas):
        breach = create(personas, aware_at=NOW - 75 * H)
        with scope(cell=personas.mechelen.pk):
            with pytest.raises(ValidationError) as error:
                breach_notify(
                    breach=breach,
                    notified_at=NOW,
                    reference="",
                    late_reason=" ",
                    user=personas.alice,
                    now=NOW,
                )
            assert "late_reason" in error.value.message_dict
            assert Breach.objects.get().notified_at is None
            breach = Breach.objects.get()
            breach_notify(
                breach=breach,
                notified_at=NOW,
                reference="",
                late_reason=LATE,
                user=personas.alice,
                now=NOW,
            )
            breach = Breach.objects.get()
        assert breach.late_reason == LATE
        assert breach.clock(NOW).label == "notified 3 hours late"

    def test_it_refuses_a_notification_before_awareness_or_in_the_future(self, personas):
        breach = create(personas, aware_at=NOW - 5 * H)
        for moment in (NOW - 6 * H, NOW + H):
            with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError):
                breach_notify(
                    breach=breach,
                    notified_at=moment,
                    reference="",
                    late_reason="",
                    user=personas.alice,
                    now=NOW,
                )

    def test_it_sorts_open_breaches_first_and_the_most_urgent_first(self, personas):
        closed = create(
            personas, aware_at=NOW - 200 * H, risk=BreachRisk.NONE, risk_grounds=GROUNDS
        )
        with scope(cell=personas.mechelen.pk):
            breach_close(breach=closed, user=personas.alice, now=NOW)
        recent = create(personas, aware_at=NOW - 2 * H)
        no_risk = create(personas, aware_at=NOW - H, risk=BreachRisk.NONE, risk_grounds=GROUNDS)
        overdue = create(personas, aware_at=NOW - 90 * H)
        with scope(cell=personas.mechelen.pk):
            order = list(Breach.objects.by_urgency())
        assert order == [overdue, recent, no_risk, closed]

    def test_it_numbers_breaches_per_cell_and_year(self, personas):
        first, second = create(personas), create(personas)
        other = create(personas, personas.wingene)
        assert (first.code, second.code) == ("B-2026-001", "B-2026-002")
        assert other.code == "B-2026-001"
        assert create(personas, now=NOW + 300 * 24 * H).code == "B-2027-001"


class TestClosing:
    def test_it_closes_only_what_is_handled(self, personas):
        breach = create(personas, risk=BreachRisk.NOT_ASSESSED)
        with scope(cell=personas.mechelen.pk):
            with pytest.raises(ValidationError, match="Assess the risk"):
                breach_close(breach=breach, user=personas.alice)
            breach_update(
                breach=breach, changes={"risk": BreachRisk.HIGH}, user=personas.alice, now=NOW
            )
            with pytest.raises(ValidationError, match="Notify the authority"):
                breach_close(breach=breach, user=personas.alice)
            breach_notify(
                breach=breach, notified_at=NOW, reference="", late_reason="", user=personas.alice
            )
            with pytest.raises(ValidationError, match="data subjects"):
                breach_close(breach=breach, user=personas.alice)
            breach_update(
                breach=breach,
                changes={"subjects_informed_at": NOW, "subjects_informed_how": INFORMED_HOW},
                user=personas.alice,
                now=NOW,
            )
            breach_close(breach=breach, user=personas.alice, now=NOW)
            assert Breach.objects.get().status == BreachStatus.CLOSED


class TestRegisterPages:
    def test_the_register_starts_empty(self, personas, dpo, client):
        sign_in(client, dpo)
        response = client.get(base(personas))
        assert response.status_code == 200
        assert "No breaches registered." in response.content.decode()

    def test_it_registers_a_breach_from_the_form(self, personas, dpo, client):
        sign_in(client, dpo)
        response = client.post(base(personas) + "new/", form_data())
        [breach] = stored(personas)
        assert response.status_code == 302
        assert response["Location"] == f"{base(personas)}{breach.pk}/"
        assert breach.code.startswith("B-") and breach.registered_by == dpo
        assert breach.nature == ["availability", "confidentiality"]
        assert breach.description == DESCRIPTION and breach.subject_count == 12
        assert breach.occurred_approximate and breach.risk == BreachRisk.RISK
        page = client.get(response["Location"]).content.decode()
        assert DESCRIPTION in page and "70 hours left" in page

    def test_it_proposes_the_cells_dpo_as_contact_point(self, personas, dpo, client):
        sign_in(client, personas.alice)
        page = client.get(base(personas) + "new/").content.decode()
        assert "Dora DPO &lt;dpo@example.org&gt;" in page

    @pytest.mark.parametrize(
        "overrides",
        [
            {"aware_at": ""},
            {"aware_at": "yesterday"},
            {"aware_at": "2999-01-01T10:00"},  # in the future
            {"nature": None},
            {"nature": ["lost"]},
            {"description": " "},
            {"occurred_at": local(timezone.now() - H), "aware_at": local(timezone.now() - 2 * H)},
            {"risk": "none", "risk_grounds": ""},
            {"risk": "medium"},
            {"subject_count": "-3"},
            {"description": "x" * 5001},
        ],
    )
    def test_it_refuses_invalid_input_with_400_and_stores_nothing(
        self, personas, dpo, client, overrides
    ):
        sign_in(client, dpo)
        response = client.post(base(personas) + "new/", form_data(**overrides))
        assert response.status_code == 400
        assert "Please correct the following" in response.content.decode()
        assert stored(personas) == []

    def test_it_saves_an_edit_and_refuses_a_bad_one(self, personas, dpo, client):
        breach = create(personas, aware_at=timezone.now() - 2 * H, now=timezone.now())
        sign_in(client, dpo)
        edit = f"{base(personas)}{breach.pk}/edit/"
        assert MEASURES in client.get(edit).content.decode()
        response = client.post(edit, form_data(measures="Nieuwe maatregel"))
        assert response.status_code == 302
        response = client.post(edit, form_data(risk="none", measures="Niet bewaard"))
        assert response.status_code == 400
        assert "Give the grounds" in response.content.decode()
        [breach] = stored(personas)
        assert breach.measures == "Nieuwe maatregel" and breach.risk == BreachRisk.RISK

    def test_the_register_shows_the_clock_most_urgent_first(self, personas, dpo, client):
        now = timezone.now()
        running = create(personas, aware_at=now - 58 * H - 30 * H / 60, now=now)
        overdue = create(personas, aware_at=now - 95 * H - 30 * H / 60, now=now)
        sign_in(client, dpo)
        page = client.get(base(personas)).content.decode()
        assert "14 hours left" in page and "23 hours late" in page
        assert page.index(overdue.code) < page.index(running.code)
        assert "1 breach is past its 72 hours" in page
        assert DESCRIPTION not in page  # the list shows no free text
        detail = client.get(f"{base(personas)}{overdue.pk}/").content.decode()
        assert "23 hours late" in detail and "The 72 hours have passed" in detail

    def test_notifying_late_without_reasons_is_refused_with_a_clear_error(
        self, personas, dpo, client
    ):
        now = timezone.now()
        breach = create(personas, aware_at=now - 80 * H, now=now)
        sign_in(client, dpo)
        notify = f"{base(personas)}{breach.pk}/notify/"
        response = client.post(notify, {"notified_at": local(now), "reference": "GBA-7"})
        assert response.status_code == 400
        assert "give the reasons for the delay" in response.content.decode()
        assert stored(personas)[0].notified_at is None
        response = client.post(
            notify, {"notified_at": local(now), "reference": "GBA-7", "late_reason": LATE}
        )
        assert response.status_code == 302
        [breach] = stored(personas)
        assert breach.notified_at is not None and breach.authority_reference == "GBA-7"
        assert breach.late_reason == LATE

    def test_notify_refuses_a_missing_date_with_400(self, personas, dpo, client):
        breach = create(personas, aware_at=timezone.now() - H, now=timezone.now())
        sign_in(client, dpo)
        response = client.post(f"{base(personas)}{breach.pk}/notify/", {"notified_at": "soon"})
        assert response.status_code == 400
        assert stored(personas)[0].notified_at is None

    def test_closing_an_unnotified_risky_breach_is_refused(self, personas, dpo, client):
        breach = create(personas, aware_at=timezone.now() - H, now=timezone.now())
        sign_in(client, dpo)
        close = f"{base(personas)}{breach.pk}/close/"
        response = client.post(close)
        assert response.status_code == 400
        assert "Notify the authority" in response.content.decode()
        assert stored(personas)[0].is_open
        with scope(cell=personas.mechelen.pk):
            breach_notify(
                breach=breach,
                notified_at=timezone.now(),
                reference="",
                late_reason="",
                user=dpo,
            )
        assert client.post(close).status_code == 302
        assert not stored(personas)[0].is_open


class TestDraft:
    def test_the_draft_follows_article_33_and_holds_only_this_breach(self, personas, dpo, client):
        breach = create(personas, aware_at=timezone.now() - 2 * H, now=timezone.now())
        other = create(personas, description=OTHER_TEXT, measures="Andere maatregel")
        sign_in(client, dpo)
        page = client.get(f"{base(personas)}{breach.pk}/draft/").content.decode()
        text = client.get(f"{base(personas)}{breach.pk}/draft.txt").content.decode()
        for content in (page, text):
            for value in (DESCRIPTION, SUBJECTS, RECORDS, CONSEQUENCES, MEASURES, CONTACT):
                assert value in content.replace("&#x27;", "'"), value
            assert "(a) The nature" in content and "(d) The measures" in content
            assert "(b) The contact point" in content and "(c) The likely" in content
            assert "12" in content and "40" in content and breach.code in content
            assert "DRAFT" in content and "online notification form" in content
            assert OTHER_TEXT not in content and other.code not in content
            assert "Reasons for the delay" not in content
            # No person's name that the DPO did not type: not the registrar, not the DPO.
            assert "Alice" not in content and "Dora DPO" not in content
        assert "Message to the data subjects" not in page

    def test_the_text_download_is_a_plain_text_attachment(self, personas, dpo, client):
        breach = create(personas, aware_at=timezone.now() - 2 * H, now=timezone.now())
        sign_in(client, dpo)
        response = client.get(f"{base(personas)}{breach.pk}/draft.txt")
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{breach.code}-draft.txt"'

    def test_a_late_draft_gives_the_reasons_for_the_delay(self, personas):
        breach = create(personas, aware_at=NOW - 80 * H, late_reason=LATE)
        text = authority_draft(breach, controller="LIVC R Mechelen", now=NOW)
        assert "Reasons for the delay" in text and LATE in text
        missing = create(personas, aware_at=NOW - 80 * H)
        text = authority_draft(missing, controller="LIVC R Mechelen", now=NOW)
        assert "Reasons for the delay" in text and "(to be completed)" in text

    def test_a_high_risk_breach_gets_a_message_for_the_data_subjects(self, personas, dpo, client):
        breach = create(
            personas, aware_at=timezone.now() - H, risk=BreachRisk.HIGH, now=timezone.now()
        )
        sign_in(client, dpo)
        page = client.get(f"{base(personas)}{breach.pk}/draft/").content.decode()
        assert "Message to the data subjects (art. 34)" in page
        text = subjects_draft(breach)
        for value in (DESCRIPTION, CONSEQUENCES, MEASURES, CONTACT):
            assert value in text
        assert "clear and plain language" in text
        assert "the data subjects will be informed" in authority_draft(
            breach, controller="x", now=NOW
        )

    def test_an_unknown_time_and_count_are_said_to_be_unknown(self, personas):
        breach = create(personas, occurred_at=None, subject_count=None, measures="")
        text = authority_draft(breach, controller="LIVC R Mechelen", now=NOW)
        assert "The breach occurred on: unknown" in text
        assert "data subjects concerned: unknown" in text
        assert "(to be completed)" in text


class TestAccess:
    def test_the_dpo_coordinator_and_mayor_keep_the_register(self, personas, dpo, client):
        breach = create(personas)
        for user in (dpo, personas.alice, personas.bob):
            sign_in(client, user)
            assert client.get(base(personas)).status_code == 200, user
            assert client.get(f"{base(personas)}{breach.pk}/").status_code == 200, user

    @pytest.mark.parametrize("who", ["pim", "ilse"])
    def test_a_partner_or_information_officer_is_refused(self, personas, client, who):
        breach = create(personas)
        sign_in(client, getattr(personas, who))
        pages = [("get", base(personas)), ("get", base(personas) + "new/")]
        for method, path in pages + urls(personas, breach):
            assert getattr(client, method)(path).status_code == 403, (method, path)
        assert stored(personas)[0].is_open

    def test_every_breach_url_of_another_cell_is_not_found(self, personas, client):
        theirs = create(personas, personas.wingene)
        mine = create(personas)
        # Walter (Wingene) through his own cell with a Mechelen breach, and through Mechelen.
        sign_in(client, personas.walter)
        for cell in (personas.wingene, personas.mechelen):
            for method, path in urls(personas, mine, cell):
                assert getattr(client, method)(path).status_code == 404, (method, path)
        # Alice (Mechelen) through her cell with Wingene's breach.
        sign_in(client, personas.alice)
        for method, path in urls(personas, theirs):
            assert getattr(client, method)(path).status_code == 404, (method, path)
        with scope(cell=personas.wingene.pk):
            assert Breach.objects.get().is_open


class TestAuditAndEncryption:
    def test_every_page_and_action_is_audited_without_free_text(self, personas, dpo, client):
        sign_in(client, dpo)
        data = form_data()
        client.get(base(personas))
        client.post(base(personas) + "new/", data)
        [breach] = stored(personas)
        prefix = f"{base(personas)}{breach.pk}/"
        client.get(prefix)
        client.get(prefix + "edit/")
        client.post(prefix + "edit/", {**data, "late_reason": LATE, "risk_grounds": GROUNDS})
        client.post(prefix + "notify/", {"notified_at": local(timezone.now())})
        client.get(prefix + "draft/")
        client.get(prefix + "draft.txt")
        client.post(prefix + "close/")
        events = list(AuditEvent.objects.filter(action__startswith="breaches.").order_by("pk"))
        assert [e.action for e in events] == [
            "breaches.register.viewed",
            "breaches.breach.created",
            "breaches.breach.viewed",
            "breaches.breach.viewed",
            "breaches.breach.updated",
            "breaches.breach.notified",
            "breaches.breach.draft_viewed",
            "breaches.breach.draft_downloaded",
            "breaches.breach.closed",
        ]
        assert all(e.actor_id == str(dpo.pk) for e in events)
        assert all(e.cell_id == personas.mechelen.pk for e in events)
        assert all(e.object_id == str(breach.pk) for e in events[1:])
        assert events[4].data == {"fields": ["late_reason", "risk_grounds"]}
        dump = json.dumps([e.data for e in events])
        for text in (*TEXTS, INFORMED_HOW, "Dora", "dpo@example.org"):
            assert text not in dump

    def test_free_text_is_encrypted_at_rest(self, personas):
        create(
            personas,
            risk=BreachRisk.NONE,
            risk_grounds=GROUNDS,
            late_reason=LATE,
            subjects_informed_how=INFORMED_HOW,
        )
        with scopes_disabled(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM breaches_breach")
            dump = repr(cursor.fetchall())
        for text in (*TEXTS, INFORMED_HOW):
            assert text not in dump
            assert text.encode() not in dump.encode()
        assert "B-2026-001" in dump  # the row is there, in plain where it should be


class TestQueries:
    def test_the_register_needs_as_many_queries_for_5_breaches_as_for_1(
        self, personas, dpo, client, django_assert_max_num_queries
    ):
        sign_in(client, dpo)
        create(personas)
        client.get(base(personas))
        with CaptureQueriesContext(connection) as one:
            assert client.get(base(personas)).status_code == 200
        for _n in range(4):
            create(personas, aware_at=NOW - 80 * H)
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = client.get(base(personas)).content.decode()
        assert page.count("B-2026-00") == 5


class TestRecordIntegrity:
    """What was reviewed: a notified or closed record cannot be rewritten to look better."""

    def _notified_late(self, personas) -> Breach:
        breach = create(personas, aware_at=NOW - 100 * H)
        with scope(cell=personas.mechelen.pk):
            breach_notify(
                breach=breach,
                notified_at=NOW - H,
                reference="GBA-1",
                late_reason=LATE,
                user=personas.alice,
                now=NOW,
            )
        return breach

    def test_the_moment_of_awareness_is_frozen_once_notified(self, personas):
        breach = self._notified_late(personas)
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError) as error:
            breach_update(
                breach=breach,
                changes={"aware_at": NOW - 2 * H, "late_reason": ""},
                user=personas.alice,
                now=NOW,
            )
        assert "aware_at" in error.value.message_dict
        [breach] = stored(personas)
        assert breach.aware_at == NOW - 100 * H and breach.late_reason == LATE

    def test_a_change_of_the_moment_before_notification_is_audited_with_both_moments(
        self, personas
    ):
        breach = create(personas, aware_at=NOW - 10 * H, occurred_at=None)
        with scope(cell=personas.mechelen.pk):
            breach_update(
                breach=breach, changes={"aware_at": NOW - 20 * H}, user=personas.alice, now=NOW
            )
        event = AuditEvent.objects.filter(action="breaches.breach.updated").last()
        assert event.data["aware_at"] == [
            (NOW - 10 * H).isoformat(),
            (NOW - 20 * H).isoformat(),
        ]

    def test_a_closed_breach_is_neither_edited_nor_notified_again(self, personas, dpo, client):
        breach = self._notified_late(personas)
        with scope(cell=personas.mechelen.pk):
            breach_close(breach=breach, user=personas.alice, now=NOW)
        sign_in(client, dpo)
        prefix = f"{base(personas)}{breach.pk}/"
        client.post(prefix + "edit/", form_data(measures="Achteraf herschreven"))
        client.post(prefix + "notify/", {"notified_at": local(NOW - 50 * H), "reference": "X"})
        [breach] = stored(personas)
        assert breach.measures == MEASURES
        assert breach.authority_reference == "GBA-1" and breach.notified_at == NOW - H

    def test_a_corrected_notification_keeps_the_previous_one_in_the_audit_trail(self, personas):
        breach = self._notified_late(personas)
        with scope(cell=personas.mechelen.pk):
            breach_notify(
                breach=breach,
                notified_at=NOW - 2 * H,
                reference="GBA-2",
                late_reason=LATE,
                user=personas.alice,
                now=NOW,
            )
        event = AuditEvent.objects.filter(action="breaches.breach.notified").last()
        assert event.data["corrected"] is True
        assert event.data["previous_reference"] == "GBA-1"
        assert event.data["previous_notified_at"] == (NOW - H).isoformat()

    def test_notifying_needs_a_contact_point(self, personas):
        breach = create(personas, contact="")
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError):
            breach_notify(
                breach=breach,
                notified_at=NOW - H,
                reference="",
                late_reason="",
                user=personas.alice,
                now=NOW,
            )

    def test_data_subjects_cannot_be_informed_before_awareness_or_in_the_future(self, personas):
        for moment in (NOW - 20 * H, NOW + H):
            with pytest.raises(ValidationError) as error:
                create(personas, aware_at=NOW - 10 * H, subjects_informed_at=moment)
            assert "subjects_informed_at" in error.value.message_dict

    def test_the_72_hours_are_real_hours_across_summer_time(self, personas):
        brussels = timezone.get_default_timezone()
        # 27 March 2026, 10:00 in Brussels (CET); summer time starts on 29 March.
        aware = datetime.datetime(2026, 3, 27, 10, 0, tzinfo=brussels)
        deadline = aware.astimezone(UTC) + 72 * H
        breach = create(personas, aware_at=aware, now=aware + H)
        assert breach.deadline == deadline
        with scope(cell=personas.mechelen.pk):
            # 71.5 real hours later is on time: no reasons needed.
            breach_notify(
                breach=breach,
                notified_at=aware + datetime.timedelta(hours=71, minutes=30),
                reference="",
                late_reason="",
                user=personas.alice,
                now=aware + 80 * H,
            )

    @pytest.mark.parametrize(
        "overrides",
        [
            {"subject_count": str(2**63)},
            {"record_count": "1" + "0" * 30},
            {"subjects_informed_at": "0001-01-01T00:00"},
            {"aware_at": "0001-01-01T00:00"},
        ],
        ids=["huge-subject-count", "huge-record-count", "year-1-informed", "year-1-aware"],
    )
    def test_out_of_range_input_gets_a_clear_400(self, personas, dpo, client, overrides):
        sign_in(client, dpo)
        response = client.post(base(personas) + "new/", form_data(**overrides))
        assert response.status_code == 400
        assert stored(personas) == []
