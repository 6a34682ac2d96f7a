from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from vangnet.cases.reminders import overdue_counts, reminders_send
from vangnet.cases.services import (
    action_add,
    action_set_status,
    case_close,
    case_open,
    case_update,
)
from vangnet.cells.models import Role
from vangnet.cells.services import membership_add, membership_end
from vangnet.network.models import Organisation
from vangnet.tests_support.personas import make_user

PERSON = "Jan Janssens"
ACTION_TEXT = "Gesprek met de ouders"


@pytest.fixture(autouse=True)
def _english(settings):
    # The wording is checked in English; Dutch translations come separately.
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://vangnet.example.be"


@pytest.fixture
def dana(personas):
    """Deputy coordinator of Mechelen."""
    user = make_user("dana@example.org", "Dana Deputy")
    membership_add(cell=personas.mechelen, user=user, role=Role.DEPUTY_COORDINATOR)
    return user


def open_case(cell, user, name=PERSON):
    with scope(cell=cell.pk):
        return case_open(
            cell=cell, person_name=name, person_birth_date=dt.date(2004, 5, 1), opened_by=user
        )


def add_action(case, user, *, days):
    with scope(cell=case.cell_id):
        owner = Organisation.objects.first()
        return action_add(
            case=case,
            owner=owner,
            description=ACTION_TEXT,
            due_date=timezone.localdate() + dt.timedelta(days=days),
            user=user,
        )


def review_overdue(case, user):
    with scope(cell=case.cell_id):
        case_update(
            case=case,
            changes={"review_due": timezone.localdate() - dt.timedelta(days=1)},
            user=user,
        )


@pytest.fixture
def overdue(personas):
    """Mechelen: two overdue actions and one overdue review; plus items that do not count."""
    p = personas
    case = open_case(p.mechelen, p.alice)
    add_action(case, p.alice, days=-3)
    add_action(case, p.alice, days=-1)
    add_action(case, p.alice, days=0)  # due today: not overdue yet
    done = add_action(case, p.alice, days=-5)
    with scope(cell=p.mechelen.pk):
        action_set_status(action=done, status="done", user=p.alice)
    review_overdue(case, p.alice)
    other = open_case(p.mechelen, p.alice, name="Piet Pieters")
    add_action(other, p.alice, days=-2)
    with scope(cell=p.mechelen.pk):
        case_close(case=other, reason="unfounded", outcome="", user=p.alice)  # cancels it
    return case


def send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return reminders_send()


class TestOverdueCounts:
    def test_it_counts_overdue_actions_and_reviews_of_open_cases(
        self, personas, overdue, django_assert_max_num_queries
    ):
        with scope(cell=personas.mechelen.pk), django_assert_max_num_queries(2):
            assert overdue_counts(personas.mechelen, timezone.localdate()) == (2, 1)

    def test_it_counts_nothing_before_the_due_dates(self, personas, overdue):
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        with scope(cell=personas.mechelen.pk):
            assert overdue_counts(personas.mechelen, yesterday) == (1, 0)

    def test_it_counts_only_the_cell(self, personas, overdue):
        with scope(cell=personas.wingene.pk):
            assert overdue_counts(personas.wingene, timezone.localdate()) == (0, 0)


class TestReminders:
    def test_it_mails_the_coordinator_and_deputy_of_the_cell(
        self, personas, dana, overdue, django_capture_on_commit_callbacks
    ):
        assert send(django_capture_on_commit_callbacks) == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "dana@example.org"]
        assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)

    def test_it_mails_no_other_roles_nor_cells(
        self, personas, dana, overdue, django_capture_on_commit_callbacks
    ):
        p = personas
        ended = make_user("eddy@example.org", "Eddy Ex")
        membership = membership_add(cell=p.mechelen, user=ended, role=Role.DEPUTY_COORDINATOR)
        membership_end(membership=membership)

        send(django_capture_on_commit_callbacks)

        recipients = {address for m in mail.outbox for address in m.to}
        for user in (p.bob, p.ilse, p.pim, p.walter, p.vera, p.olaf, ended):
            assert user.email not in recipients

    def test_it_says_the_numbers_without_personal_data(
        self, personas, dana, overdue, django_capture_on_commit_callbacks
    ):
        send(django_capture_on_commit_callbacks)

        message = mail.outbox[0]
        assert message.subject == "Vangnet: follow-up needed in your cell"
        assert "2 actions are overdue." in message.body
        assert "1 case review is overdue." in message.body
        assert "https://vangnet.example.be" in message.body
        text = message.subject + message.body
        for secret in (
            overdue.code,
            PERSON,
            "Piet Pieters",
            ACTION_TEXT,
            "Alice",
            "Dana",
            "CAW",
            "alice@example.org",
        ):
            assert secret not in text

    def test_it_uses_the_singular(self, personas, django_capture_on_commit_callbacks):
        case = open_case(personas.mechelen, personas.alice)
        add_action(case, personas.alice, days=-1)

        send(django_capture_on_commit_callbacks)

        assert "1 action is overdue." in mail.outbox[0].body
        assert "review" not in mail.outbox[0].body

    def test_it_mails_nobody_when_nothing_is_overdue(
        self, personas, dana, django_capture_on_commit_callbacks
    ):
        case = open_case(personas.mechelen, personas.alice)
        add_action(case, personas.alice, days=7)

        assert send(django_capture_on_commit_callbacks) == 0
        assert mail.outbox == []

    def test_the_command_sends_them(self, personas, overdue, django_capture_on_commit_callbacks):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=out)

        assert "1 reminder(s) sent." in out.getvalue()
        assert [m.to for m in mail.outbox] == [["alice@example.org"]]
