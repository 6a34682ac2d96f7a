from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from vangnet.events import services
from vangnet.events.models import FeedbackAnswer, FeedbackResponse, Registration
from vangnet.events.tests.conftest import make_event
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

ANSWERS = {
    "a__event____useful": "5",
    "a__event____content_quality": "4",
    "a__event____exchange": "na",
    "a__event____recommend": "1",
    "a__event____improvement": "More time for cases",
}


def after(days: float = 2) -> time_machine.travel:
    return time_machine.travel(timezone.now() + dt.timedelta(days=days))


def attended_event(personas, users):
    event = make_event(personas.vera, days=1, feedback=True)
    for user in users:
        services.registration_create(event=event, user=user)
    return event


def test_attendance_is_recorded_only_after_the_start(client, personas):
    event = attended_event(personas, [personas.alice, personas.walter])
    alice = Registration.objects.get(user=personas.alice)
    with pytest.raises(ValidationError):
        services.attendance_record(event=event, actor=personas.vera, attended={alice.pk: True})
    with after():
        sign_in(client, personas.vera)
        walter = Registration.objects.get(user=personas.walter)
        response = client.post(
            f"/events/{event.pk}/attendance/", {f"r_{alice.pk}": "yes", f"r_{walter.pk}": "no"}
        )
        assert response.status_code == 302
    alice.refresh_from_db()
    walter.refresh_from_db()
    assert alice.attended is True and walter.attended is False


def test_attendance_page_is_for_staff_only(client, personas):
    event = attended_event(personas, [personas.alice])
    sign_in(client, personas.alice)
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 404
    assert client.get(f"/events/{event.pk}/results/").status_code == 404


def test_feedback_is_anonymous_and_given_once(client, personas):
    event = attended_event(personas, [personas.alice, personas.walter])
    with after():
        services.attendance_record(
            event=event,
            actor=personas.vera,
            attended={r.pk: True for r in Registration.objects.filter(event=event)},
        )
        sign_in(client, personas.alice)
        assert client.get(f"/events/{event.pk}/feedback/").status_code == 200
        response = client.post(f"/events/{event.pk}/feedback/", ANSWERS)
        assert response.status_code == 302
        assert client.get(f"/events/{event.pk}/feedback/").status_code == 404
        assert client.post(f"/events/{event.pk}/feedback/", ANSWERS).status_code == 404
    assert FeedbackResponse.objects.count() == 1
    response_fields = {f.name for f in FeedbackResponse._meta.get_fields()}
    answer_fields = {f.name for f in FeedbackAnswer._meta.get_fields()}
    assert response_fields == {"id", "event", "answers"}
    assert "user" not in answer_fields
    assert Registration.objects.get(user=personas.alice).feedback_given is True


def test_feedback_is_refused_to_absentees_and_before_the_end(client, personas):
    event = attended_event(personas, [personas.alice])
    sign_in(client, personas.alice)
    assert client.get(f"/events/{event.pk}/feedback/").status_code == 404
    with after():
        sign_in(client, personas.alice)
        assert client.get(f"/events/{event.pk}/feedback/").status_code == 404  # not marked


def test_feedback_rejects_impossible_values(client, personas):
    event = attended_event(personas, [personas.alice])
    with after():
        services.attendance_record(
            event=event,
            actor=personas.vera,
            attended={Registration.objects.get().pk: True},
        )
        sign_in(client, personas.alice)
        response = client.post(f"/events/{event.pk}/feedback/", {"a__event____useful": "9"})
    assert response.status_code == 400
    assert not FeedbackResponse.objects.exists()


def test_results_are_shown_from_three_responses_after_feedback_closes(client, personas):
    users = [personas.alice, personas.walter, personas.mona]
    event = attended_event(personas, users)
    with after():
        services.attendance_record(
            event=event,
            actor=personas.vera,
            attended={r.pk: True for r in Registration.objects.filter(event=event)},
        )
        registrations = list(Registration.objects.filter(event=event).select_related("event"))
        answers = {("event", "", "useful"): (4, ""), ("event", "", "recommend"): (1, "")}
        for registration in registrations[:2]:
            services.feedback_submit(registration=registration, answers=answers)
    with after(20):
        sign_in(client, personas.vera)
        page = client.get(f"/events/{event.pk}/results/").content.decode()
        assert "2 responses." in page and "Average" not in page
    with after():
        services.feedback_submit(
            registration=registrations[2],
            answers={("event", "", "useful"): (1, ""), ("event", "", "recommend"): (0, "")},
        )
        sign_in(client, personas.vera)
        page = client.get(f"/events/{event.pk}/results/").content.decode()
        # Still open: neither the results nor the count, but when they become available.
        assert "Average" not in page and "3 responses." not in page
        assert "Results become available on" in page
    with after(20):
        sign_in(client, personas.vera)
        page = client.get(f"/events/{event.pk}/results/").content.decode()
    assert "Average: 3.0 on a scale of 1 to 5." in page
    assert "66.7% answered yes." in page


def test_feedback_closes_after_the_feedback_period(client, personas):
    event = attended_event(personas, [personas.alice])
    with after():
        services.attendance_record(
            event=event, actor=personas.vera, attended={Registration.objects.get().pk: True}
        )
    with after(20):
        sign_in(client, personas.alice)
        assert client.get(f"/events/{event.pk}/feedback/").status_code == 404


def test_an_empty_feedback_form_is_refused_and_can_be_given_later(client, personas):
    event = attended_event(personas, [personas.alice])
    with after():
        services.attendance_record(
            event=event, actor=personas.vera, attended={Registration.objects.get().pk: True}
        )
        sign_in(client, personas.alice)
        blank = {name: " " for name in ANSWERS}
        for data in ({}, blank):
            response = client.post(f"/events/{event.pk}/feedback/", data)
            assert response.status_code == 400
            assert "Answer at least one question" in response.content.decode()
        with pytest.raises(ValidationError):
            services.feedback_submit(registration=Registration.objects.get(), answers={})
    assert not FeedbackResponse.objects.exists()
    assert Registration.objects.get().feedback_given is False
