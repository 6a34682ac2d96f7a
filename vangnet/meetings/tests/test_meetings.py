from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cases.services import case_open, participant_add
from vangnet.cells.models import SecrecyAcknowledgement
from vangnet.meetings import services
from vangnet.meetings.models import AgendaItem, FeedbackSheet, MinutesApproval
from vangnet.network.models import Organisation
from vangnet.network.services import organisation_create
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)
SECRET_CASE_PERSON = "Geheime Persoon Fictief"
HIDDEN_DECISION = "Beslissing die alleen deelnemers mogen lezen"


@pytest.fixture
def world(personas):
    """A case the CAW (pim) takes part in, and one it does not; a meeting with both."""
    cell = personas.mechelen
    with scope(cell=cell.pk):
        caw = Organisation.objects.get()
        clb = organisation_create(
            cell=cell, name="CLB Mechelen", sector="clb", participation="per_case"
        )
        visible = case_open(
            cell=cell,
            person_name="Zichtbare Fictief",
            person_birth_date=None,
            opened_by=personas.alice,
        )
        participant_add(case=visible, organisation=caw, reason="r", user=personas.alice)
        hidden = case_open(
            cell=cell,
            person_name=SECRET_CASE_PERSON,
            person_birth_date=None,
            opened_by=personas.alice,
        )
        participant_add(case=hidden, organisation=clb, reason="r", user=personas.alice)
        meeting = services.meeting_create(
            cell=cell,
            kind="case",
            title="Casusoverleg",
            starts_at=NOW,
            ends_at=NOW + dt.timedelta(hours=2),
            chair=personas.alice,
            created_by=personas.alice,
        )
        services.agenda_propose(meeting=meeting, user=personas.alice)
        services.topic_add(meeting=meeting, title="Lokale trend", user=personas.alice)
        hidden_item = AgendaItem.objects.get(case=hidden)
        services.item_record(
            item=hidden_item,
            summary="",
            decisions=HIDDEN_DECISION,
            next_review=None,
            user=personas.alice,
        )
    return personas, meeting, visible, hidden


def url(personas, meeting, rest=""):
    return f"/cells/{personas.mechelen.pk}/meetings/{meeting.pk}/{rest}"


class TestPerReader:
    def test_a_non_participant_never_sees_another_cases_item(self, world, client):
        personas, meeting, visible, hidden = world
        sign_in(client, personas.pim)
        for page in ("", "minutes/"):
            body = client.get(url(personas, meeting, page)).content.decode()
            assert visible.code in body
            assert hidden.code not in body
            assert HIDDEN_DECISION not in body
            assert SECRET_CASE_PERSON not in body
        with scope(cell=personas.mechelen.pk):
            hidden_item = AgendaItem.objects.get(case=hidden)
        assert client.get(url(personas, meeting, f"items/{hidden_item.pk}/")).status_code == 404

    @pytest.mark.parametrize("reader", ["alice", "bob", "ilse", "pim"])
    def test_it_shows_every_item_to_those_who_open_every_case_and_the_rest_by_case(
        self, world, reader
    ):
        from vangnet.cells.access import cell_for_user

        personas, meeting, visible, hidden = world
        user = getattr(personas, reader)
        access = cell_for_user(user, personas.mechelen.pk)
        with scope(cell=personas.mechelen.pk):
            items = list(services.items_for_user(meeting, user, access))
            # The agenda page's list (compiled once per process for the case roles).
            for _ in range(2):
                assert services.agenda_for_user(meeting, user, access) == items
        shown = [item.case for item in items]
        expected = {visible, hidden, None} if reader != "pim" else {visible, None}
        assert set(shown) == expected
        assert len(shown) == len(expected)
        assert [item.position for item in items] == sorted(item.position for item in items)

    def test_the_agenda_reveals_no_count_of_hidden_items(self, world, client):
        personas, meeting, _visible, _hidden = world
        sign_in(client, personas.pim)
        body = client.get(url(personas, meeting)).content.decode()
        agenda = body.split('class="agenda"')[1].split("</ol>")[0]
        assert agenda.count("<li>") == 2  # the visible case and the topic, nothing else

    def test_the_pdf_holds_only_the_readers_items(self, world, client):
        personas, meeting, visible, hidden = world
        from vangnet.meetings import documents

        captured = {}

        def capture(html, request):
            captured["html"] = html
            return b"%PDF-1.7 test"

        sign_in(client, personas.pim)
        original = documents.minutes_pdf
        documents.minutes_pdf = capture
        try:
            response = client.get(url(personas, meeting, "minutes.pdf"))
        finally:
            documents.minutes_pdf = original
        assert response.status_code == 200
        assert visible.code in captured["html"]
        assert hidden.code not in captured["html"] and HIDDEN_DECISION not in captured["html"]

    def test_it_renders_a_real_pdf(self, world, client):
        import os

        try:
            import weasyprint  # noqa: F401
        except OSError:  # Debian's pango libraries are missing on this machine
            if os.environ.get("CI"):
                raise
            pytest.skip("WeasyPrint needs libpango (apt-get install libpango-1.0-0)")
        personas, meeting, _visible, _hidden = world
        sign_in(client, personas.alice)
        response = client.get(url(personas, meeting, "minutes.pdf"))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(action="meetings.minutes.exported").exists()

    def test_another_cell_sees_nothing(self, world, client):
        personas, meeting, _visible, _hidden = world
        sign_in(client, personas.walter)
        assert client.get(url(personas, meeting)).status_code == 404
        assert client.get(f"/cells/{personas.wingene.pk}/meetings/{meeting.pk}/").status_code == 404


class TestInvitations:
    def test_invitations_carry_an_ics_without_personal_data(self, world, client):
        personas, meeting, visible, _hidden = world
        sign_in(client, personas.alice)
        client.post(url(personas, meeting, "invitations/"))
        assert mail.outbox
        for message in mail.outbox:
            ics = message.attachments[0][1]
            assert "BEGIN:VCALENDAR" in ics
            for text in (message.subject, message.body, ics):
                assert "Fictief" not in text and visible.code not in text
        recipients = {m.to[0] for m in mail.outbox}
        assert {"alice@example.org", "pim@example.org", "ilse@example.org"} <= recipients


class TestDuringAndAfter:
    def test_attendance_and_a_secrecy_acknowledgement_per_meeting(self, world, client):
        personas, meeting, _visible, _hidden = world
        sign_in(client, personas.alice)
        client.post(
            url(personas, meeting, "attendance/"),
            {"present": [str(personas.alice.pk), str(personas.pim.pk)]},
        )
        partner = Client()
        sign_in(partner, personas.pim)
        partner.post(url(personas, meeting, "secrecy/"))
        # An invitee may acknowledge before the meeting; someone not invited may not.
        invited = Client()
        sign_in(invited, personas.ilse)
        invited.post(url(personas, meeting, "secrecy/"))
        from vangnet.cells.services import membership_add
        from vangnet.tests_support.personas import make_user

        stranger = make_user("stranger@example.org", "Niet Uitgenodigd")
        membership_add(cell=personas.mechelen, user=stranger, role="member")
        outsider = Client()
        sign_in(outsider, stranger)
        outsider.post(url(personas, meeting, "secrecy/"))
        with scope(cell=personas.mechelen.pk):
            acks = set(
                SecrecyAcknowledgement.objects.filter(context="meeting").values_list(
                    "user__email", flat=True
                )
            )
        assert acks == {"pim@example.org", "ilse@example.org"}

    def test_the_review_date_and_new_actions_flow_into_the_case(self, world, client):
        personas, meeting, visible, _hidden = world
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=visible)
            caw = Organisation.objects.get(name__startswith="CAW")
        sign_in(client, personas.alice)
        review = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
        client.post(
            url(personas, meeting, f"items/{item.pk}/"),
            {"summary": "Kort", "decisions": "Huisbezoek", "next_review": review},
        )
        client.post(
            url(personas, meeting, f"items/{item.pk}/actions/add/"),
            {"owner": caw.pk, "description": "Huisbezoek plannen", "due_date": review},
        )
        with scope(cell=personas.mechelen.pk):
            visible.refresh_from_db()
            assert visible.review_due.isoformat() == review
            action = visible.actions.get()
        client.post(
            url(personas, meeting, f"items/{item.pk}/actions/{action.pk}/carry-over/"),
            {"reason": "waiting"},
        )
        with scope(cell=personas.mechelen.pk):
            assert item.carry_overs.get().reason == "waiting"

    def test_a_member_cannot_record_on_a_case_they_do_not_take_part_in(self, world, client):
        personas, meeting, _visible, hidden = world
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=hidden)
        sign_in(client, personas.pim)
        response = client.post(
            url(personas, meeting, f"items/{item.pk}/"), {"summary": "x", "decisions": "ingebroken"}
        )
        assert response.status_code == 404
        with scope(cell=personas.mechelen.pk):
            item.refresh_from_db()
        assert item.decisions == HIDDEN_DECISION

    def test_approved_minutes_change_only_with_a_reason(self, world, client):
        personas, meeting, visible, _hidden = world
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=visible)
        sign_in(client, personas.alice)
        client.post(url(personas, meeting, "minutes/approve/"))
        no_reason = client.post(
            url(personas, meeting, f"items/{item.pk}/"), {"summary": "Nieuw", "decisions": ""}
        )
        assert no_reason.status_code == 200
        with scope(cell=personas.mechelen.pk):
            item.refresh_from_db()
            assert item.summary == ""
        client.post(
            url(personas, meeting, f"items/{item.pk}/"),
            {"summary": "Nieuw", "decisions": "", "change_reason": "Tikfout"},
        )
        with scope(cell=personas.mechelen.pk):
            versions = list(MinutesApproval.objects.values_list("version", "reason"))
        assert versions == [(1, ""), (2, "Tikfout")]


class TestFeedbackSheet:
    def prepare(self, world, present):
        personas, meeting, visible, _hidden = world
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=visible)
            services.attendance_set(
                meeting=meeting, present_ids={str(u.pk) for u in present}, user=personas.alice
            )
            sheet = services.sheet_save(
                item=item, text="Geen verdere opvolging nodig", user=personas.alice
            )
        return personas, meeting, item, sheet

    def vote(self, personas, meeting, item, user, vote):
        client = Client()
        sign_in(client, user)
        client.post(url(personas, meeting, f"items/{item.pk}/feedback/vote/"), {"vote": vote})

    def status(self, personas, sheet):
        with scope(cell=personas.mechelen.pk):
            return FeedbackSheet.objects.get(pk=sheet.pk).status

    def test_it_needs_the_no_secrets_checklist(self, world, client):
        personas, meeting, item, sheet = self.prepare(world, [world[0].alice])
        sign_in(client, personas.alice)
        client.post(url(personas, meeting, f"items/{item.pk}/feedback/submit/"))
        assert self.status(personas, sheet) == "draft"

    def test_every_present_member_approves(self, world, client):
        p = world[0]
        personas, meeting, item, sheet = self.prepare(world, [p.alice, p.ilse, p.pim])
        sign_in(client, personas.alice)
        client.post(
            url(personas, meeting, f"items/{item.pk}/feedback/submit/"), {"no_secrets": "on"}
        )
        self.vote(personas, meeting, item, personas.alice, "approve")
        self.vote(personas, meeting, item, personas.ilse, "approve")
        assert self.status(personas, sheet) == "voting"
        self.vote(personas, meeting, item, personas.pim, "approve")
        assert self.status(personas, sheet) == "approved"
        client.post(url(personas, meeting, f"items/{item.pk}/feedback/sent/"))
        assert self.status(personas, sheet) == "sent"
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {
            "meetings.feedback.submitted",
            "meetings.feedback.voted",
            "meetings.feedback.sent",
        } <= actions

    def test_one_rejection_blocks_it(self, world, client):
        p = world[0]
        personas, meeting, item, sheet = self.prepare(world, [p.alice, p.pim])
        sign_in(client, personas.alice)
        client.post(
            url(personas, meeting, f"items/{item.pk}/feedback/submit/"), {"no_secrets": "on"}
        )
        self.vote(personas, meeting, item, personas.pim, "reject")
        self.vote(personas, meeting, item, personas.alice, "approve")
        assert self.status(personas, sheet) == "rejected"
        client.post(url(personas, meeting, f"items/{item.pk}/feedback/sent/"))
        assert self.status(personas, sheet) == "rejected"

    def test_an_absent_member_cannot_vote(self, world, client):
        p = world[0]
        personas, meeting, item, sheet = self.prepare(world, [p.alice])
        sign_in(client, personas.alice)
        client.post(
            url(personas, meeting, f"items/{item.pk}/feedback/submit/"), {"no_secrets": "on"}
        )
        self.vote(personas, meeting, item, personas.ilse, "reject")  # not present
        assert self.status(personas, sheet) == "voting"
        self.vote(personas, meeting, item, personas.alice, "approve")
        assert self.status(personas, sheet) == "approved"

    def test_attendance_is_frozen_once_the_sheet_is_put_to_the_vote(self, world, client):
        p = world[0]
        personas, meeting, item, sheet = self.prepare(world, [p.alice])
        sign_in(client, personas.alice)
        client.post(
            url(personas, meeting, f"items/{item.pk}/feedback/submit/"), {"no_secrets": "on"}
        )
        client.post(
            url(personas, meeting, "attendance/"), {"present": [str(p.alice.pk), str(p.ilse.pk)]}
        )
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError):
            services.sheet_vote(sheet=sheet, user=p.ilse, vote="approve")


class TestPlanning:
    def test_it_refuses_overlapping_meetings_for_the_same_chair(self, world, client):
        personas, meeting, _visible, _hidden = world
        # At a fixed local time: NOW + 30 minutes can fall on the next day (as it did at
        # 23:45 in Brussels), and a meeting then would not overlap.
        tomorrow = timezone.localdate(NOW) + dt.timedelta(days=1)
        ten = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10)))
        with scope(cell=personas.mechelen.pk):
            meeting.starts_at, meeting.ends_at = ten, ten + dt.timedelta(hours=2)
            meeting.save(update_fields=["starts_at", "ends_at"])
        sign_in(client, personas.alice)
        day, start, end = tomorrow.isoformat(), "10:30", "11:30"
        response = client.post(
            f"/cells/{personas.mechelen.pk}/meetings/new/",
            {
                "kind": "network",
                "title": "Tweede",
                "date": day,
                "start": start,
                "end": end,
                "chair": personas.alice.pk,
            },
        )
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            from vangnet.meetings.models import Meeting

            assert Meeting.objects.count() == 1

    def test_a_network_meeting_has_no_case_items(self, world):
        personas, _meeting, _visible, _hidden = world
        with scope(cell=personas.mechelen.pk):
            meeting = services.meeting_create(
                cell=personas.mechelen,
                kind="network",
                title="Netwerk",
                starts_at=NOW + dt.timedelta(days=3),
                ends_at=NOW + dt.timedelta(days=3, hours=1),
                chair=personas.alice,
                created_by=personas.alice,
            )
            with pytest.raises(ValidationError):
                services.agenda_propose(meeting=meeting, user=personas.alice)

    def test_the_home_page_shows_the_rhythm_and_a_nudge_without_cases(self, personas, client):
        sign_in(client, personas.walter)
        body = client.get(f"/cells/{personas.wingene.pk}/").content.decode()
        assert "/meetings/new/" in body  # the nudge links to planning a network meeting


class TestAfterApproval:
    def test_the_agenda_and_attendance_freeze_once_the_minutes_are_approved(self, world, client):
        personas, meeting, visible, _hidden = world
        sign_in(client, personas.alice)
        client.post(url(personas, meeting, "minutes/approve/"))
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=visible)
            before = list(meeting.items.values_list("pk", "position"))
        for path, data in (
            ("agenda/topic/", {"title": "Te laat"}),
            (f"items/{item.pk}/remove/", {}),
            (f"items/{item.pk}/move/", {"direction": "up"}),
            ("attendance/", {"present": [str(personas.alice.pk)]}),
        ):
            response = client.post(url(personas, meeting, path), data)
            assert response.status_code == 302, path  # a message, not a 500
        with scope(cell=personas.mechelen.pk):
            assert list(meeting.items.values_list("pk", "position")) == before

    def test_a_participant_cannot_change_the_record(self, world, client):
        personas, meeting, visible, _hidden = world
        with scope(cell=personas.mechelen.pk):
            item = AgendaItem.objects.get(case=visible)
        sign_in(client, personas.pim)
        response = client.post(
            url(personas, meeting, f"items/{item.pk}/"),
            {"summary": "x", "next_review": "2031-01-01"},
        )
        assert response.status_code == 403
        with scope(cell=personas.mechelen.pk):
            visible.refresh_from_db()
        assert str(visible.review_due) != "2031-01-01"

    def test_a_chair_cannot_hold_two_meetings_at_once_across_cells(self, world):
        personas, meeting, _visible, _hidden = world
        from vangnet.cells.services import membership_add

        membership_add(cell=personas.wingene, user=personas.alice, role="member")
        with scope(cell=personas.wingene.pk), pytest.raises(ValidationError):
            services.meeting_create(
                cell=personas.wingene,
                kind="network",
                title="Dubbel",
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                chair=personas.alice,
                created_by=personas.alice,
            )

    def test_the_ics_is_folded_and_escaped(self, world):
        from vangnet.meetings.documents import meeting_ics

        _personas, meeting, _visible, _hidden = world
        meeting.title = "Overleg; deel 2\r\nDESCRIPTION:x " + "lang " * 30
        ics = meeting_ics(meeting)
        assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
        assert "\r\nDESCRIPTION:x" not in ics
        assert "Overleg\\; deel 2\\n" in ics.replace("\r\n ", "")
