"""The remembered `date` filter gives exactly what Django's gives, and replaces it everywhere."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable

import pytest
from django.http import HttpRequest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # not in the stubs
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.template import Context, Template, engines
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import truncatechars as django_truncatechars
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

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


# --- truncatechars --------------------------------------------------------------------------

TEXTS = [
    "",
    "kort",
    "x" * 80,
    "x" * 81,
    "e\u0301" * 60,
    "e\u0301" * 81,
    "Cafe\u0301 " * 30,
    "ﬁ" * 90,
    "e\u0301" * 40,  # 80 code points, 40 characters in NFC
    "\u0f43" * 80,  # NFC makes it 160 characters, all counted: cut
    "\u0958" * 80,  # NFC makes it 160, half of them combining: whole
]


@pytest.mark.parametrize("arg", [80, "80", 1, 0, -3, "many"])
def test_it_truncates_like_djangos_truncatechars(arg: object) -> None:
    for text in TEXTS:
        for value in (text, mark_safe(text)):
            ours = templatefilters.truncatechars(value, arg)
            theirs = django_truncatechars(value, arg)  # type: ignore[arg-type]
            assert (ours, isinstance(ours, SafeString)) == (
                theirs,
                isinstance(theirs, SafeString),
            ), (text, arg)


def test_it_replaces_truncatechars_in_every_template() -> None:
    template = Template("{{ t|truncatechars:5 }}|{{ s|truncatechars:80 }}")
    assert template.render(Context({"t": "abcdefgh", "s": "<b>"})) == "abcd…|&lt;b&gt;"
    filters = template.nodelist[0].filter_expression.filters  # type: ignore[attr-defined]
    assert filters[0][0] is templatefilters.truncatechars


# --- {% csrf_token %} -----------------------------------------------------------------------


def _token_request() -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = _get_new_csrf_string()
    return request


def test_it_replaces_the_csrf_token_tag_in_every_template() -> None:
    node = Template("{% csrf_token %}").nodelist[0]
    assert isinstance(node, templatefilters.RememberedCsrfTokenNode)


def test_it_gives_every_form_of_a_rendering_the_same_field_as_djangos_tag() -> None:
    request = _token_request()
    source = "{% csrf_token %}|{% csrf_token %}{% for i in three %}|{% csrf_token %}{% endfor %}"
    rendered = engines["django"].from_string(source).render({"three": [1, 2, 3]}, request)
    fields = rendered.split("|")
    assert len(fields) == 5 and len(set(fields)) == 1
    token = fields[0].split('value="')[1].removesuffix('">')
    assert fields[0] == f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    # A valid mask of the request's secret, as Django's own tag gives.
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


def test_it_makes_a_new_field_for_each_rendering_and_for_another_token() -> None:
    request = _token_request()
    template = engines["django"].from_string("{% csrf_token %}")
    assert template.render({}, request) != template.render({}, request)  # a new mask each time
    source = "{% csrf_token %}{% with csrf_token='other' %}{% csrf_token %}{% endwith %}"
    rendered = Template(source).render(Context({"csrf_token": "first"}))
    assert 'value="first"' in rendered and 'value="other"' in rendered


@pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning")
def test_it_renders_nothing_without_a_token_as_django_does() -> None:
    assert Template("{% csrf_token %}").render(Context({})) == ""
    assert Template("{% csrf_token %}").render(Context({"csrf_token": "NOTPROVIDED"})) == ""


@pytest.mark.django_db
def test_a_form_with_the_remembered_field_passes_the_csrf_check() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login")).content.decode()
    fields = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(fields) >= 2 and len(set(fields)) == 1  # the login form and the language switch
    data = {"username": "nobody@example.invalid", "password": "wrong"}
    assert client.post(reverse("accounts:login"), data).status_code == 403
    answer = client.post(reverse("accounts:login"), {**data, "csrfmiddlewaretoken": fields[0]})
    assert answer.status_code == 200  # the form with its error, not the CSRF failure
