"""The meeting list: a page at a time, the latest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from vangnet.meetings import services
from vangnet.meetings.models import MeetingKind
from vangnet.meetings.views import PAGE_SIZE
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def _meetings(personas, count: int) -> None:
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with scope(cell=personas.mechelen.pk):
        for n in range(count):
            services.meeting_create(
                cell=personas.mechelen,
                kind=MeetingKind.NETWORK,
                title=f"Netwerkoverleg {n}",
                starts_at=start - dt.timedelta(days=7 * n),
                ends_at=start - dt.timedelta(days=7 * n, hours=-2),
                chair=personas.alice,
                created_by=personas.alice,
            )


def test_it_shows_one_page_of_meetings_at_a_time_the_latest_first(personas, client):
    _meetings(personas, PAGE_SIZE + 1)
    sign_in(client, personas.alice)
    url = f"/cells/{personas.mechelen.pk}/meetings/"
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["rows"]) == PAGE_SIZE
    assert first.context["rows"][0][0].title == "Netwerkoverleg 0"
    assert "?page=2" in first.content.decode()
    second = client.get(url + "?page=2")
    assert [m.title for m, _url in second.context["rows"]] == [f"Netwerkoverleg {PAGE_SIZE}"]
    meeting, meeting_url = second.context["rows"][0]
    assert meeting_url == f"{url}{meeting.pk}/"
    assert client.get(meeting_url).status_code == 200


def test_another_cell_sees_no_meeting_list(personas, client):
    _meetings(personas, 1)
    sign_in(client, personas.walter)
    assert client.get(f"/cells/{personas.mechelen.pk}/meetings/").status_code == 404
