from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cases.models import Case, CaseStatus, Participant
from vangnet.cells.models import Cell, SecrecyAcknowledgement
from vangnet.demo.services import (
    DEMO_CASE_PERSONS,
    DEMO_DOMAIN,
    DEMO_MEETING_TEXTS,
    DEMO_NAMES,
    demo_cells,
)
from vangnet.demo.tests.test_demo_cases import MIN_NEEDLE, plain_text_found
from vangnet.meetings.models import (
    AgendaItem,
    Attendance,
    CarryOver,
    FeedbackSheet,
    FeedbackVote,
    ItemKind,
    Meeting,
    MeetingKind,
    MinutesApproval,
    SheetStatus,
    Vote,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_support_desk")]


def _counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Meeting,
                AgendaItem,
                Attendance,
                CarryOver,
                FeedbackSheet,
                FeedbackVote,
                MinutesApproval,
                SecrecyAcknowledgement,
            )
        }


def _persona(prefix: str, slug: str) -> User:
    return User.objects.get(email=f"{prefix}.{slug}@{DEMO_DOMAIN}")


def _slug(cell: Cell) -> str:
    return {
        "LIVC R Mechelen": "mechelen",
        "LIVC R Wingene": "wingene",
        "LIVC R Lierde-Horebeke-Maarkedal": "vlaamse-ardennen",
    }[cell.name]


def test_it_loads_the_meetings_idempotently():
    call_command("demo", stdout=StringIO())
    first = _counts()
    assert first["Meeting"] == 6
    call_command("demo", stdout=StringIO())
    assert _counts() == first


def test_each_cell_has_a_past_network_meeting_and_case_consultation():
    call_command("demo", stdout=StringIO())
    now = timezone.now()
    with scopes_disabled():
        for cell in demo_cells():
            slug = _slug(cell)
            coordinator = _persona("coordinator", slug)
            meetings = Meeting.objects.filter(cell=cell)
            assert {m.kind for m in meetings} == {MeetingKind.NETWORK, MeetingKind.CASE}
            for meeting in meetings:
                assert meeting.ends_at < now
                assert meeting.minutes_approved
                assert meeting.held_at is not None and meeting.held_at <= now
                assert meeting.chair == coordinator
                assert meeting.attendances.filter(present=True).count() >= 2
                assert MinutesApproval.objects.get(meeting=meeting).approved_at < now

            network = meetings.get(kind=MeetingKind.NETWORK)
            assert network.invited_organisations.exists()
            assert network.items.count() >= 2
            assert not network.items.exclude(kind=ItemKind.TOPIC).exists()
            assert all(item.summary and item.decisions for item in network.items.all())

            consultation = meetings.get(kind=MeetingKind.CASE)
            assert network.ends_at < consultation.starts_at
            open_cases = set(
                Case.objects.filter(cell=cell, status=CaseStatus.OPEN).values_list("pk", flat=True)
            )
            case_items = consultation.items.filter(case__isnull=False)
            assert set(case_items.values_list("case_id", flat=True)) == open_cases
            assert consultation.items.filter(kind=ItemKind.TOPIC).count() == 1
            for item in case_items.select_related("case"):
                assert item.summary and item.decisions
                assert item.next_review is not None
                assert item.case is not None and item.case.review_due == item.next_review
            assert CarryOver.objects.filter(item__meeting=consultation).exists()

            # Every member present acknowledged the secrecy duty for this meeting.
            present = consultation.attendances.filter(present=True)
            assert not present.filter(secrecy_acknowledged_at__isnull=True).exists()
            assert (
                SecrecyAcknowledgement.objects.filter(
                    cell=cell, context=SecrecyAcknowledgement.Context.MEETING
                ).count()
                == present.count()
            )
            present_users = set(present.values_list("user_id", flat=True))
            for prefix in ("coordinator", "io"):
                assert _persona(prefix, slug).pk in present_users
            # The partner persona attends where its organisation takes part in the case.
            partner = _persona("partner", slug)
            takes_part = Participant.objects.filter(
                case__in=open_cases, organisation__memberships__user=partner
            ).exists()
            assert (partner.pk in present_users) == takes_part
            assert _persona("burgemeester", slug).pk not in present_users


def test_the_titles_of_meetings_and_topics_name_no_person():
    call_command("demo", stdout=StringIO())
    names = [name for names in DEMO_NAMES.values() for name in names]
    names += [person.name for person in DEMO_CASE_PERSONS]
    needles = {name.casefold() for name in names} | {name.split()[-1].casefold() for name in names}
    with scopes_disabled():
        titles = list(Meeting.objects.values_list("title", flat=True))
        titles += list(AgendaItem.objects.exclude(title="").values_list("title", flat=True))
    assert len(titles) >= 6 + 3 * 3
    for title in titles:
        assert not any(needle in title.casefold() for needle in needles), title


def test_the_mechelen_feedback_sheet_was_approved_by_every_voter_and_sent():
    call_command("demo", stdout=StringIO())
    with scopes_disabled():
        cell = Cell.objects.get(name="LIVC R Mechelen")
        sheet = FeedbackSheet.objects.get(cell=cell)
        assert sheet.status == SheetStatus.SENT
        assert sheet.sent_at is not None and sheet.no_secrets_confirmed
        assert sheet.item.meeting.kind == MeetingKind.CASE
        votes = list(sheet.votes.values_list("user__email", "vote"))
        assert len(votes) >= 3
        assert all(vote == Vote.APPROVE for _email, vote in votes)
        voters = {email for email, _vote in votes}
        assert {f"io.mechelen@{DEMO_DOMAIN}", f"partner.mechelen@{DEMO_DOMAIN}"} <= voters
        # Only Mechelen sends a sheet in the demo.
        assert FeedbackSheet.objects.count() == 1


def test_it_stores_every_meeting_text_and_only_encrypted():
    call_command("demo", stdout=StringIO())
    assert all(len(text) >= MIN_NEEDLE for text in DEMO_MEETING_TEXTS)
    with scopes_disabled():
        stored = {
            text
            for item in AgendaItem.objects.all()
            for text in (item.summary, item.decisions)
            if text
        }
        stored |= {sheet.text for sheet in FeedbackSheet.objects.all()}
    assert stored == set(DEMO_MEETING_TEXTS)
    assert plain_text_found(DEMO_MEETING_TEXTS) == set()
