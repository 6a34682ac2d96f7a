from __future__ import annotations

import pytest

from vangnet.helpdesk.models import Question, QuestionStatus
from vangnet.helpdesk.services import question_status_set, statistics_for_year, statistics_years
from vangnet.helpdesk.tests.factories import answer, at, make_question, wingene
from vangnet.knowledge.models import Theme
from vangnet.lib.workdays import Calendar, working_days_between
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

NOW = at("2026-01-15 12:00")


@pytest.fixture
def year_2025(personas, theme):
    """Five questions in 2025 (Belgian time), one just before and one just after the year."""
    work = Theme.objects.get(slug="werking")
    # 0.5 working days: asked Monday 9:00, answered at 13:00. Due Tuesday 17:00: in time.
    q1 = make_question(personas.pim, now=at("2025-03-03 09:00"))
    answer(q1, personas.vera, now=at("2025-03-03 13:00"))
    # 1 working day: two hours on Friday, six on Monday. In time.
    q2 = make_question(personas.alice, now=at("2025-03-07 15:00"))
    answer(q2, personas.vera, now=at("2025-03-10 15:00"))
    # 2.375 working days: 1 h Thursday, 8 h Good Friday, Easter Monday (21 April) skipped,
    # 8 h Tuesday, 2 h Wednesday = 19 h. Due Tuesday 22 April 16:00: late.
    q3 = make_question(
        personas.walter, now=at("2025-04-17 16:00"), municipality=wingene(), theme=work
    )
    answer(q3, personas.vera, now=at("2025-04-23 11:00"))
    # Never answered: overdue on 15 January 2026, still open.
    make_question(personas.mona, now=at("2025-11-03 10:00"), theme=work)
    make_question(personas.pim, now=at("2025-12-31 23:30"))  # New Year's Eve, Belgian time
    # Outside 2025.
    make_question(personas.walter, now=at("2024-12-31 10:00"), municipality=wingene())
    make_question(personas.alice, now=at("2026-01-01 00:10"))


def test_it_counts_the_questions_and_local_governments_of_a_year(year_2025):
    figures = statistics_for_year(2025, now=NOW)
    assert figures.questions == 5
    assert figures.local_governments == 2  # Mechelen and Wingene
    assert figures.sentence == "5 questions from 2 local governments in 2025"


def test_it_counts_every_theme_including_the_empty_ones(year_2025):
    per_theme = dict(statistics_for_year(2025, now=NOW).per_theme)
    assert len(per_theme) == Theme.objects.count()
    assert per_theme["Gedeeld beroepsgeheim en privacy"] == 3
    assert per_theme["Werking en organisatie van de LIVC R"] == 2
    assert sum(per_theme.values()) == 5
    assert per_theme["Andere"] == 0


def test_it_counts_per_month_in_belgian_time(year_2025):
    per_month = dict(statistics_for_year(2025, now=NOW).per_month)
    assert list(per_month) == list(range(1, 13))
    assert per_month == {1: 0, 2: 0, 3: 2, 4: 1, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0, 11: 1, 12: 1}


def waited(asked: str) -> float:
    """Working days a question asked at ``asked`` has waited by NOW."""
    return working_days_between(at(asked), NOW, Calendar.from_settings())


def test_it_measures_first_response_times_in_working_days(year_2025):
    figures = statistics_for_year(2025, now=NOW)
    assert figures.responded == 3
    # The two questions still without a reply, long after their deadline, are not left out:
    # they count with the time they have waited so far.
    assert figures.overdue == 2
    assert figures.measured == 5
    assert waited("2025-12-31 23:30") > 2.375
    assert figures.median_response_days == pytest.approx(2.375)  # 0.5, 1, 2.375, then the two
    assert figures.mean_response_days == pytest.approx(
        (0.5 + 1.0 + 2.375 + waited("2025-11-03 10:00") + waited("2025-12-31 23:30")) / 5
    )
    assert figures.within_sla == 2
    assert figures.within_sla_share == pytest.approx(2 / 5)
    assert figures.sla_breaches == 3  # one late reply, two still without a reply
    assert figures.open_questions == 2


def test_a_question_still_within_its_deadline_is_not_measured_yet(personas, theme):
    asked = make_question(personas.pim, now=at("2025-06-02 10:00"))
    answer(asked, personas.vera, now=at("2025-06-02 11:00"))
    make_question(personas.alice, now=at("2025-06-03 10:00"))  # due 5 June 10:00
    figures = statistics_for_year(2025, now=at("2025-06-04 10:00"))
    assert (figures.responded, figures.overdue, figures.measured) == (1, 0, 1)
    assert figures.within_sla_share == 1.0
    figures = statistics_for_year(2025, now=at("2025-06-06 10:00"))
    assert (figures.responded, figures.overdue, figures.measured) == (1, 1, 2)
    assert figures.within_sla_share == pytest.approx(1 / 2)
    assert figures.median_response_days == pytest.approx((0.125 + 3.0) / 2)  # waited 3 days


def test_a_question_closed_without_a_reply_is_not_an_sla_breach(personas, theme):
    # A duplicate, closed the same day without a reply, and never answered.
    answered = make_question(personas.pim, now=at("2025-06-02 10:00"))
    answer(answered, personas.vera, now=at("2025-06-02 11:00"))
    duplicate = make_question(personas.pim, now=at("2025-06-02 10:25"))
    question_status_set(
        question=duplicate,
        status=QuestionStatus.CLOSED,
        actor=personas.vera,
        now=at("2025-06-02 12:00"),
    )
    duplicate.refresh_from_db()
    assert duplicate.closed_without_reply
    assert not duplicate.sla_breached(now=NOW)
    assert not Question.objects.overdue(now=NOW).exists()
    figures = statistics_for_year(2025, now=NOW)
    assert figures.questions == 2
    assert figures.closed_without_reply == 1
    assert (figures.responded, figures.overdue, figures.measured) == (1, 0, 1)
    assert figures.sla_breaches == 0
    assert figures.within_sla_share == 1.0
    assert figures.median_response_days == pytest.approx(0.125)


def test_it_handles_a_year_without_questions(personas):
    figures = statistics_for_year(2019, now=NOW)
    assert figures.questions == 0
    assert figures.median_response_days is None
    assert figures.within_sla_share is None
    assert figures.sentence == "0 questions from 0 local governments in 2019"


def test_it_speaks_in_the_singular_for_one(personas, theme):
    make_question(personas.pim, now=at("2024-06-03 10:00"))
    assert statistics_for_year(2024).sentence == "1 question from 1 local government in 2024"


def test_it_lists_the_years_that_have_questions(year_2025):
    assert statistics_years() == [2026, 2025, 2024]


def test_the_statistics_page_shows_the_sentence_and_tables(
    personas, client, year_2025, django_assert_max_num_queries
):
    sign_in(client, personas.vera)
    with django_assert_max_num_queries(12):
        response = client.get("/helpdesk/statistics/?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 questions from 2 local governments in 2025" in html
    assert '<th scope="row">Gedeeld beroepsgeheim en privacy</th><td>3</td>' in html
    assert '<th scope="row">March</th><td>2</td>' in html
    assert '<option value="2024">2024</option>' in html
    # What the SLA share means is spelled out next to it.
    assert "First reply within 2 working days" in html
    assert "40 % (2 of 5)" in html
    assert "Questions without a reply after their deadline</dt><dd>2</dd>" in html
    assert "Closed without a reply (duplicates, withdrawn; not counted below)" in html
    assert "the latter count with the time they have waited so far" in html


def test_the_statistics_page_defaults_to_the_latest_year_and_ignores_a_bad_one(
    personas, client, year_2025
):
    sign_in(client, personas.vera)
    assert "in 2026" in client.get("/helpdesk/statistics/").content.decode()
    response = client.get("/helpdesk/statistics/?year=1999")
    assert response.status_code == 200
    assert "in 2026" in response.content.decode()
