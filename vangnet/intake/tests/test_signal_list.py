"""The signal list: a page at a time, codes and categories only, for the readers it allows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from vangnet.intake.services import signal_submit
from vangnet.intake.views import PAGE_SIZE
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def _signals(personas, count: int, *, by=None) -> None:
    with scope(cell=personas.mechelen.pk):
        for n in range(count):
            signal_submit(
                cell=personas.mechelen,
                submitted_by=by or personas.pim,
                received_on=timezone.localdate() - dt.timedelta(days=n),
                category="violence",
                person_name=f"Persoon Fictief {n}",
                person_birth_date=dt.date(2007, 3, 3),
            )


def _url(personas) -> str:
    return f"/cells/{personas.mechelen.pk}/signals/"


def test_it_shows_one_page_at_a_time_with_links_to_the_others(personas, client):
    _signals(personas, PAGE_SIZE + 1)
    sign_in(client, personas.alice)
    first = client.get(_url(personas))
    assert first.status_code == 200
    assert len(first.context["rows"]) == PAGE_SIZE
    body = first.content.decode()
    assert "?page=2" in body and "Persoon Fictief" not in body
    second = client.get(_url(personas) + "?page=2")
    assert len(second.context["rows"]) == 1
    assert "?page=1" in second.content.decode()


def test_it_links_each_row_to_its_signal(personas, client):
    _signals(personas, 2)
    sign_in(client, personas.alice)
    response = client.get(_url(personas))
    for signal, url in response.context["rows"]:
        assert url == f"/cells/{personas.mechelen.pk}/signals/{signal.pk}/"
        assert client.get(url).status_code == 200


def test_it_answers_a_page_out_of_range_with_the_last_page(personas, client):
    _signals(personas, 3)
    sign_in(client, personas.alice)
    for page in ("999", "abc", "-1"):
        response = client.get(_url(personas) + f"?page={page}")
        assert response.status_code == 200
        assert len(response.context["rows"]) == 3


def test_a_partner_sees_only_the_signals_they_reported(personas, client):
    _signals(personas, 2, by=personas.alice)
    _signals(personas, 1, by=personas.pim)
    sign_in(client, personas.pim)
    rows = client.get(_url(personas)).context["rows"]
    assert len(rows) == 1


def test_another_cell_sees_no_signal_list(personas, client):
    _signals(personas, 1)
    sign_in(client, personas.walter)
    assert client.get(_url(personas)).status_code == 404


def test_its_queries_do_not_grow_with_the_rows(personas, client):
    _signals(personas, 2)
    sign_in(client, personas.alice)
    client.get(_url(personas))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(personas))
    _signals(personas, 20)
    with CaptureQueriesContext(connection) as many:
        client.get(_url(personas))
    assert len(many) == len(few)
