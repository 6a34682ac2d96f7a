"""The remembered `date` filter gives exactly what Django's gives, and replaces it everywhere."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.test import override_settings
from django.utils import timezone, translation

from vangnet.lib import templatefilters

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
VALUES = [
    datetime.date(2026, 12, 1),
    datetime.date(2027, 3, 28),
    datetime.datetime(2026, 12, 1, 9, 5, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 1, 10, 5, tzinfo=BRUSSELS),  # the same instant as above
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS, fold=1),
    datetime.datetime(2026, 7, 14, 23, 59),
]
FORMATS = [None, "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "j F Y H:i e T", "l"]


def _outcome(function: Callable[..., str], *args: object) -> tuple[str, object]:
    try:
        return "text", function(*args)
    except TypeError as error:  # e.g. a time format for a date: Django refuses it too
        return "error", str(error)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_formats_like_djangos_date_filter(language: str) -> None:
    with translation.override(language):
        for value in VALUES:
            for arg in FORMATS:
                ours = _outcome(templatefilters.date, value, arg)
                assert ours == _outcome(django_date, value, arg), (value, arg)


def test_it_keeps_equal_instants_in_other_zones_apart() -> None:
    utc, brussels = VALUES[2], VALUES[3]
    assert utc == brussels
    assert templatefilters.date(utc, "H:i") == "09:05"
    assert templatefilters.date(brussels, "H:i") == "10:05"


def test_it_keeps_languages_apart() -> None:
    with translation.override("nl"):
        dutch = templatefilters.date(VALUES[0], "F")
    with translation.override("en"):
        english = templatefilters.date(VALUES[0], "F")
    assert (dutch, english) == ("december", "December")


def test_it_passes_other_values_to_djangos_filter() -> None:
    assert templatefilters.date(None) == ""
    assert templatefilters.date("not a date", "Y") == ""
    assert templatefilters.date(datetime.time(14, 30), "H:i") == "14:30"


def test_it_replaces_the_date_filter_in_every_template() -> None:
    rendered = Template("{{ d|date:'j-n-Y' }}").render(Context({"d": VALUES[0]}))
    assert rendered == "1-12-2026"
    templatefilters._formatted.cache_clear()
    Template("{{ d|date:'Y' }}").render(Context({"d": VALUES[1]}))
    assert templatefilters._formatted.cache_info().currsize == 1


def test_it_shows_aware_values_in_the_current_time_zone() -> None:
    with timezone.override(BRUSSELS):
        rendered = Template("{{ d|date:'H:i' }}").render(Context({"d": VALUES[2]}))
    assert rendered == "10:05"


def test_it_keeps_the_two_readings_of_a_repeated_naive_hour_apart() -> None:
    first = datetime.datetime(2026, 10, 25, 2, 30)
    second = first.replace(fold=1)
    assert first == second
    for value in (first, second):
        assert templatefilters.date(value, "U") == django_date(value, "U")


def test_it_forgets_its_results_when_the_time_zone_setting_changes() -> None:
    value = datetime.datetime(2026, 7, 1, 12, 0)
    with override_settings(TIME_ZONE="Europe/Brussels"):
        brussels = templatefilters.date(value, "T O")
    with override_settings(TIME_ZONE="America/New_York"):
        assert templatefilters.date(value, "T O") == django_date(value, "T O")
        assert templatefilters.date(value, "T O") != brussels
