from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from vangnet.helpdesk.tests.factories import answer, at, make_question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        # Friday afternoon: two hours on Friday, eight on Monday, six on Tuesday.
        ("2026-03-13 15:00", "2026-03-17 15:00"),
        # Thursday before Easter Monday: one hour Thursday, eight on Good Friday (a working
        # day in Belgium), Easter Monday skipped, seven on Tuesday.
        ("2026-04-02 16:00", "2026-04-07 16:00"),
        # Friday before Easter Monday: two hours Friday, eight Tuesday, six Wednesday.
        ("2026-04-03 15:00", "2026-04-08 15:00"),
        # Saturday: the clock starts on Monday at 9:00.
        ("2026-03-14 11:00", "2026-03-17 17:00"),
        # Monday before office hours: the clock starts at 9:00.
        ("2026-03-16 07:45", "2026-03-17 17:00"),
        # Evening before Ascension Day (Thursday 14 May 2026): Friday and Monday count.
        ("2026-05-13 18:00", "2026-05-18 17:00"),
    ],
)
def test_the_first_response_is_due_two_working_days_later(personas, theme, asked, due):
    question = make_question(personas.pim, now=at(asked))
    assert question.created_at == at(asked)
    assert question.due_at == at(due)


def test_the_number_of_working_days_is_configurable(personas, theme, settings):
    settings.VANGNET_HELPDESK_FIRST_RESPONSE_DAYS = 3
    question = make_question(personas.pim, now=at("2026-03-13 15:00"))
    assert question.due_at == at("2026-03-18 15:00")


def test_closing_days_and_office_hours_are_configurable(personas, theme, settings):
    settings.VANGNET_HELPDESK_CLOSED_DAYS = [dt.date(2026, 3, 16)]
    question = make_question(personas.pim, now=at("2026-03-13 15:00"))
    assert question.due_at == at("2026-03-18 15:00")
    settings.VANGNET_HELPDESK_CLOSED_DAYS = []
    settings.VANGNET_HELPDESK_OFFICE_START = dt.time(8, 0)
    settings.VANGNET_HELPDESK_OFFICE_END = dt.time(16, 0)
    question = make_question(personas.pim, now=at("2026-03-13 15:00"))
    assert question.due_at == at("2026-03-17 15:00")
    question = make_question(personas.pim, now=at("2026-03-13 15:30"))
    assert question.due_at == at("2026-03-17 15:30")


def test_the_clock_uses_the_current_time_when_no_moment_is_given(personas, theme):
    with time_machine.travel(at("2026-03-13 15:00"), tick=False):
        question = make_question(personas.pim)
    assert question.created_at == at("2026-03-13 15:00")
    assert question.due_at == at("2026-03-17 15:00")


def test_a_question_breaches_the_sla_when_the_first_reply_is_late_or_missing(personas, theme):
    question = make_question(personas.pim, now=at("2026-03-13 15:00"))
    assert not question.sla_breached(at("2026-03-17 14:59"))
    assert question.sla_breached(at("2026-03-17 15:01"))
    answer(question, personas.vera, now=at("2026-03-17 14:00"))
    question.refresh_from_db()
    assert not question.sla_breached(at("2027-01-01 00:00"))

    late = make_question(personas.pim, now=at("2026-03-13 15:00"))
    answer(late, personas.vera, now=at("2026-03-17 15:30"))
    late.refresh_from_db()
    assert late.sla_breached()
