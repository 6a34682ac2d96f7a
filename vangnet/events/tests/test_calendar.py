from __future__ import annotations

import re

import pytest

from vangnet.events import services
from vangnet.events.calendar import calendar_text
from vangnet.events.models import CalendarFeed
from vangnet.events.tests.conftest import make_event
from vangnet.lib.tokens import token_hash
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_it_builds_a_valid_ics_for_one_event(personas):
    event = make_event(personas.vera, title="Regional platform " + "Oost-Vlaanderen " * 8)
    text = calendar_text([event])
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75  # folded
    lines = unfold(text)
    assert "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    assert f"UID:event-{event.pk}@vangnet" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    start = event.starts_at.astimezone(__import__("datetime").UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert any(re.fullmatch(r"DTEND:\d{8}T\d{6}Z", line) for line in lines)
    assert f"SUMMARY:{event.title}" in lines
    assert "LOCATION:VVSG\\, Bischoffsheimlaan 1\\, Brussel" in lines


def test_it_serves_the_ics_to_readers(client, personas):
    event = make_event(personas.vera)
    sign_in(client, personas.alice)
    response = client.get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_it_stores_only_the_hash_of_the_feed_token(personas):
    token = services.feed_create(user=personas.alice)
    feed = CalendarFeed.objects.get(user=personas.alice)
    assert feed.token_hash == token_hash(token)
    assert token not in feed.token_hash


def test_the_feed_lists_only_my_registered_events(client, personas):
    mine = make_event(personas.vera, title="Mine")
    theirs = make_event(personas.vera, title="Theirs")
    cancelled = make_event(personas.vera, title="Cancelled registration")
    services.registration_create(event=mine, user=personas.alice)
    services.registration_create(event=theirs, user=personas.walter)
    registration = services.registration_create(event=cancelled, user=personas.alice)
    services.registration_cancel(registration=registration, actor=personas.alice)
    token = services.feed_create(user=personas.alice)
    response = client.get(f"/events/feed/{token}.ics")  # public: no sign-in
    assert response.status_code == 200
    text = response.content.decode()
    assert "SUMMARY:Mine" in text
    assert "Theirs" not in text and "Cancelled registration" not in text
    assert personas.walter.full_name not in text and personas.alice.full_name not in text


def test_a_revoked_or_unknown_feed_token_gives_404(client, personas):
    token = services.feed_create(user=personas.alice)
    assert client.get(f"/events/feed/{token}.ics").status_code == 200
    services.feed_revoke(user=personas.alice)
    assert client.get(f"/events/feed/{token}.ics").status_code == 404
    assert client.get("/events/feed/nonsense.ics").status_code == 404


def test_regenerating_the_feed_stops_the_old_address(client, personas):
    old = services.feed_create(user=personas.alice)
    new = services.feed_create(user=personas.alice)
    assert client.get(f"/events/feed/{old}.ics").status_code == 404
    assert client.get(f"/events/feed/{new}.ics").status_code == 200


def test_the_my_events_page_shows_a_new_feed_address_once(client, personas):
    sign_in(client, personas.alice)
    response = client.post("/events/mine/feed/")
    assert response.status_code == 200
    match = re.search(r"/events/feed/([\w-]+)\.ics", response.content.decode())
    assert match
    assert CalendarFeed.objects.get(user=personas.alice).token_hash == token_hash(match[1])
    assert match[1] not in client.get("/events/mine/").content.decode()
    client.post("/events/mine/feed/revoke/")
    assert client.get(f"/events/feed/{match[1]}.ics").status_code == 404


def online_event(personas):
    event = make_event(personas.vera, capacity=1)
    event.location = ""
    event.online_url = "https://meet.example.org/secret-room"
    event.save()
    return event


def test_the_online_link_is_only_in_the_ics_of_registered_people_and_staff(client, personas):
    event = online_event(personas)
    sign_in(client, personas.alice)
    text = client.get(f"/events/{event.pk}/event.ics").content.decode()
    assert "secret-room" not in text
    assert "LOCATION:Online (link on the event page)" in unfold(text)
    services.registration_create(event=event, user=personas.alice)
    services.registration_create(event=event, user=personas.walter)  # waiting list
    text = client.get(f"/events/{event.pk}/event.ics").content.decode()
    assert "secret-room" in text
    sign_in(client, personas.walter)
    assert "secret-room" not in client.get(f"/events/{event.pk}/event.ics").content.decode()
    sign_in(client, personas.vera)
    assert "secret-room" in client.get(f"/events/{event.pk}/event.ics").content.decode()


def test_calendar_responses_are_not_cached_and_carry_last_modified(client, personas):
    event = make_event(personas.vera)
    services.registration_create(event=event, user=personas.alice)
    token = services.feed_create(user=personas.alice)
    sign_in(client, personas.alice)
    for url in (f"/events/{event.pk}/event.ics", f"/events/feed/{token}.ics"):
        response = client.get(url)
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert any(
            re.fullmatch(r"LAST-MODIFIED:\d{8}T\d{6}Z", line)
            for line in unfold(response.content.decode())
        ), url


def test_creating_a_feed_twice_leaves_one_active_feed(personas):
    services.feed_create(user=personas.alice)
    token = services.feed_create(user=personas.alice)
    active = CalendarFeed.objects.filter(user=personas.alice, revoked_at__isnull=True)
    assert active.count() == 1
    assert active.get().token_hash == token_hash(token)
