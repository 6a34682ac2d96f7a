from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from vangnet.events import services
from vangnet.events.models import EventAudience, Registration, RegistrationStatus
from vangnet.events.tests.conftest import make_event
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def test_it_registers_until_full_then_waitlists(personas):
    event = make_event(personas.vera, capacity=2)
    first = services.registration_create(event=event, user=personas.alice)
    second = services.registration_create(event=event, user=personas.walter)
    third = services.registration_create(event=event, user=personas.mona)
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.REGISTERED
    assert third.status == RegistrationStatus.WAITLISTED


def test_it_promotes_the_first_waiting_person_on_cancellation_and_mails_them(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(personas.vera, capacity=1)
    alice = services.registration_create(event=event, user=personas.alice)
    walter = services.registration_create(event=event, user=personas.walter)
    services.registration_create(event=event, user=personas.mona)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=alice, actor=personas.alice)
    assert promoted is not None and promoted.pk == walter.pk
    walter.refresh_from_db()
    assert walter.status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(user=personas.mona).status == RegistrationStatus.WAITLISTED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [personas.walter.email]
    assert event.title in mailoutbox[0].body
    assert personas.alice.full_name not in mailoutbox[0].body


def test_it_does_not_promote_when_a_waiting_person_cancels(personas, mailoutbox):
    event = make_event(personas.vera, capacity=1)
    services.registration_create(event=event, user=personas.alice)
    waiting = services.registration_create(event=event, user=personas.walter)
    assert services.registration_cancel(registration=waiting, actor=personas.walter) is None
    assert mailoutbox == []


def test_it_never_bumps_registered_people_when_capacity_shrinks(personas):
    event = make_event(personas.vera, capacity=3)
    for user in (personas.alice, personas.walter, personas.mona):
        services.registration_create(event=event, user=user)
    services.event_save(actor=personas.vera, event=event, data={"capacity": 1})
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 3
    )
    # Still full: the next one waits, and a cancellation does not free a place under capacity.
    assert (
        services.registration_create(event=event, user=personas.bob).status
        == RegistrationStatus.WAITLISTED
    )


def test_it_promotes_waiting_people_when_capacity_grows(personas):
    event = make_event(personas.vera, capacity=1)
    services.registration_create(event=event, user=personas.alice)
    waiting = services.registration_create(event=event, user=personas.walter)
    services.event_save(actor=personas.vera, event=event, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_it_refuses_a_double_registration(personas):
    event = make_event(personas.vera)
    services.registration_create(event=event, user=personas.alice)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=personas.alice)


def test_it_allows_registering_again_after_cancelling(personas):
    event = make_event(personas.vera)
    registration = services.registration_create(event=event, user=personas.alice)
    services.registration_cancel(registration=registration, actor=personas.alice)
    again = services.registration_create(event=event, user=personas.alice)
    assert again.status == RegistrationStatus.REGISTERED


def test_it_refuses_registration_after_the_start(personas):
    event = make_event(personas.vera, days=1)
    later = timezone.now() + dt.timedelta(days=1, minutes=5)
    with time_machine.travel(later), pytest.raises(ValidationError):
        services.registration_create(event=event, user=personas.alice)


def test_it_refuses_registration_for_a_draft(personas):
    event = make_event(personas.vera, publish=False)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=personas.alice)


def test_it_refuses_people_outside_the_audience(personas):
    event = make_event(personas.vera, audience=EventAudience.COORDINATORS)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=personas.mona)
    assert (
        services.registration_create(event=event, user=personas.walter).status
        == RegistrationStatus.REGISTERED
    )


def test_it_registers_and_cancels_through_the_pages(client, personas):
    event = make_event(personas.vera, capacity=1)
    sign_in(client, personas.alice)
    response = client.post(f"/events/{event.pk}/register/")
    assert response.status_code == 302
    assert Registration.objects.get(event=event).status == RegistrationStatus.REGISTERED
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert "already registered" in response.content.decode()
    client.post(f"/events/{event.pk}/unregister/")
    assert Registration.objects.get(event=event).status == RegistrationStatus.CANCELLED


def test_it_answers_404_for_an_event_outside_the_audience(client, personas):
    event = make_event(personas.vera, audience=EventAudience.COORDINATORS)
    draft = make_event(personas.vera, publish=False)
    sign_in(client, personas.mona)
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert client.post(f"/events/{event.pk}/register/").status_code == 404
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert client.get(f"/events/{draft.pk}/").status_code == 404
    assert not Registration.objects.exists()


def test_it_refuses_outsiders_the_calendar(client, personas):
    event = make_event(personas.vera)
    sign_in(client, personas.olaf)
    assert client.get("/events/").status_code == 403
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_it_sends_anonymous_visitors_to_login(client, personas):
    event = make_event(personas.vera)
    response = client.get(f"/events/{event.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_notifies_registrants_when_an_event_is_cancelled(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(personas.vera, capacity=1)
    services.registration_create(event=event, user=personas.alice)
    services.registration_create(event=event, user=personas.walter)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_cancel(event=event, actor=personas.vera) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.alice.email, personas.walter.email]
    )
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=personas.mona)


def test_the_index_lists_upcoming_events_with_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    for index in range(6):
        event = make_event(personas.vera, days=index + 2, capacity=5, title=f"Event {index}")
        services.registration_create(event=event, user=personas.alice)
    past = make_event(personas.vera, days=1)
    services.registration_create(event=past, user=personas.alice)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, hours=3)):
        sign_in(client, personas.alice)
        with django_assert_max_num_queries(14):
            response = client.get("/events/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Event 5" in body and "Past events" in body


def test_people_who_leave_the_audience_can_still_see_and_cancel(client, personas):
    from django_scopes import scopes_disabled

    from vangnet.cells.models import Membership

    event = make_event(personas.vera)
    services.registration_create(event=event, user=personas.mona)
    with scopes_disabled():
        Membership.objects.filter(user=personas.mona).update(ended_at=timezone.now())
    sign_in(client, personas.mona)
    assert client.get(f"/events/{event.pk}/").status_code == 200
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 200
    response = client.post(f"/events/{event.pk}/unregister/")
    assert response.status_code == 302
    assert Registration.objects.get(event=event).status == RegistrationStatus.CANCELLED
    assert client.get(f"/events/{event.pk}/").status_code == 404
