from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vangnet.lib.workdays import (
    Calendar,
    belgian_public_holidays,
    easter_sunday,
    parse_closed_days,
    working_days_add,
    working_days_between,
    working_time_between,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
CALENDAR = Calendar()
HOUR = dt.timedelta(hours=1)


def at(text: str) -> dt.datetime:
    """A Brussels wall-clock time, e.g. "2026-04-02 16:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),  # the latest possible date
        (2285, dt.date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_it_knows_easter_sunday(year, easter):
    assert easter_sunday(year) == easter
    assert easter_sunday(year).weekday() == 6


def test_it_knows_the_ten_belgian_public_holidays():
    assert belgian_public_holidays(2026) == {
        dt.date(2026, 1, 1),  # New Year
        dt.date(2026, 4, 6),  # Easter Monday
        dt.date(2026, 5, 1),  # Labour Day
        dt.date(2026, 5, 14),  # Ascension
        dt.date(2026, 5, 25),  # Whit Monday
        dt.date(2026, 7, 21),  # National Day
        dt.date(2026, 8, 15),  # Assumption
        dt.date(2026, 11, 1),  # All Saints
        dt.date(2026, 11, 11),  # Armistice
        dt.date(2026, 12, 25),  # Christmas
    }
    assert len(belgian_public_holidays(2025)) == 10


def test_it_does_not_count_good_friday_or_boxing_day_as_holidays():
    assert CALENDAR.is_working_day(dt.date(2026, 4, 3))  # Good Friday
    assert CALENDAR.is_working_day(dt.date(2025, 12, 26))  # Friday after Christmas
    assert not CALENDAR.is_working_day(dt.date(2026, 4, 6))  # Easter Monday
    assert not CALENDAR.is_working_day(dt.date(2026, 4, 4))  # Saturday


def test_it_counts_a_question_on_friday_afternoon_into_tuesday():
    assert working_days_add(at("2026-03-13 15:00"), 2, CALENDAR) == at("2026-03-17 15:00")
    assert working_days_add(at("2026-03-13 16:00"), 2, CALENDAR) == at("2026-03-17 16:00")


def test_it_starts_the_clock_on_monday_morning_for_a_weekend_question():
    assert working_days_add(at("2026-03-14 11:00"), 2, CALENDAR) == at("2026-03-17 17:00")
    assert working_days_add(at("2026-03-15 23:59"), 2, CALENDAR) == at("2026-03-17 17:00")


def test_it_skips_easter_monday():
    # Thursday 16:00: one hour on Thursday, eight on (Good) Friday, seven on Tuesday.
    assert working_days_add(at("2026-04-02 16:00"), 2, CALENDAR) == at("2026-04-07 16:00")
    # Friday 15:00: two hours on Friday, eight on Tuesday, six on Wednesday.
    assert working_days_add(at("2026-04-03 15:00"), 2, CALENDAR) == at("2026-04-08 15:00")


def test_it_starts_at_opening_time_before_office_hours_and_next_day_after():
    assert working_days_add(at("2026-03-16 07:30"), 1, CALENDAR) == at("2026-03-16 17:00")
    assert working_days_add(at("2026-03-16 18:00"), 1, CALENDAR) == at("2026-03-17 17:00")
    assert working_days_add(at("2026-03-16 09:00"), 0.5, CALENDAR) == at("2026-03-16 13:00")


def test_it_respects_extra_closing_days_and_other_office_hours():
    closed = Calendar(extra_closed_days=frozenset({dt.date(2026, 3, 16)}))
    assert working_days_add(at("2026-03-13 15:00"), 2, closed) == at("2026-03-18 15:00")
    short = Calendar(start=dt.time(8, 0), end=dt.time(12, 0))
    assert working_days_add(at("2026-03-13 11:00"), 1, short) == at("2026-03-16 11:00")


def test_it_refuses_a_naive_start_and_office_hours_that_end_before_they_start():
    with pytest.raises(ValueError):
        working_days_add(dt.datetime(2026, 3, 13, 15, 0), 2, CALENDAR)
    with pytest.raises(ValueError):
        Calendar(start=dt.time(17, 0), end=dt.time(9, 0))


def test_it_measures_working_time_across_a_weekend():
    # Friday 15:00 -> Monday 11:00: two hours on Friday, two on Monday.
    assert working_time_between(at("2026-03-13 15:00"), at("2026-03-16 11:00"), CALENDAR) == (
        4 * HOUR
    )
    assert working_days_between(
        at("2026-03-13 15:00"), at("2026-03-16 11:00"), CALENDAR
    ) == pytest.approx(0.5)


def test_it_measures_working_time_across_a_holiday():
    # Friday 16:00 -> Tuesday 10:00 with Easter Monday in between: one hour plus one hour.
    assert working_time_between(at("2026-04-03 16:00"), at("2026-04-07 10:00"), CALENDAR) == (
        2 * HOUR
    )


def test_it_measures_nothing_backwards_or_outside_office_hours():
    assert working_time_between(at("2026-03-16 12:00"), at("2026-03-16 10:00"), CALENDAR) == (
        dt.timedelta(0)
    )
    assert working_time_between(at("2026-03-14 09:00"), at("2026-03-15 17:00"), CALENDAR) == (
        dt.timedelta(0)
    )
    assert working_time_between(at("2026-03-16 17:30"), at("2026-03-17 08:00"), CALENDAR) == (
        dt.timedelta(0)
    )


def test_it_keeps_wall_clock_office_hours_over_the_change_to_summer_time():
    # Summer time starts on Sunday 29 March 2026: Friday is UTC+1, Monday UTC+2.
    start = at("2026-03-27 16:00")
    due = working_days_add(start, 1, CALENDAR)
    assert due == at("2026-03-30 16:00")
    assert due.utcoffset() == 2 * HOUR
    assert start.utcoffset() == HOUR
    assert working_time_between(start, due, CALENDAR) == 8 * HOUR
    # The same moments given in UTC give the same answer.
    assert working_days_add(start.astimezone(dt.UTC), 1, CALENDAR) == due


def test_it_keeps_wall_clock_office_hours_over_the_change_to_winter_time():
    # Winter time starts on Sunday 25 October 2026.
    start = at("2026-10-23 10:00")
    due = working_days_add(start, 2, CALENDAR)
    assert due == at("2026-10-27 10:00")
    assert working_days_between(start, due, CALENDAR) == pytest.approx(2)


def test_it_reads_closing_days_from_configuration():
    assert parse_closed_days([" 2026-12-24", "2026-12-31"]) == [
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 31),
    ]
    with pytest.raises(ValueError, match="24/12/2026"):
        parse_closed_days(["24/12/2026"])


def test_it_builds_the_calendar_from_settings(settings):
    settings.VANGNET_HELPDESK_OFFICE_START = dt.time(8, 30)
    settings.VANGNET_HELPDESK_OFFICE_END = dt.time(16, 30)
    settings.VANGNET_HELPDESK_CLOSED_DAYS = [dt.date(2026, 12, 24)]
    calendar = Calendar.from_settings()
    assert calendar.start == dt.time(8, 30)
    assert calendar.day_length == 8 * HOUR
    assert not calendar.is_working_day(dt.date(2026, 12, 24))
    assert calendar.timezone == "Europe/Brussels"
