from __future__ import annotations

import pytest
from django.core.management import call_command

from vangnet.events import services
from vangnet.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def test_it_reminds_registered_people_once(personas, mailoutbox):
    soon = make_event(personas.vera, days=1.5, title="Soon")
    later = make_event(personas.vera, days=5, title="Later")
    tomorrow_morning = make_event(personas.vera, days=0.5, title="Too close")
    for event in (soon, later, tomorrow_morning):
        services.registration_create(event=event, user=personas.alice)
    services.registration_create(event=soon, user=personas.walter)
    cancelled = services.registration_create(event=soon, user=personas.mona)
    services.registration_cancel(registration=cancelled, actor=personas.mona)

    call_command("event_reminders", stdout=__import__("io").StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.alice.email, personas.walter.email]
    )
    assert all("Soon" in m.body for m in mailoutbox)

    assert services.reminders_send() == 0  # idempotent
    assert len(mailoutbox) == 2


def test_deactivated_accounts_get_no_reminder_or_cancellation(personas, mailoutbox):
    event = make_event(personas.vera, days=1.5)
    services.registration_create(event=event, user=personas.alice)
    services.registration_create(event=event, user=personas.walter)
    personas.walter.is_active = False
    personas.walter.save(update_fields=["is_active"])
    assert services.reminders_send() == 1
    assert [m.to[0] for m in mailoutbox] == [personas.alice.email]
    mailoutbox.clear()
    with __import__("django").test.TestCase.captureOnCommitCallbacks(execute=True):
        assert services.event_cancel(event=event, actor=personas.vera) == 1
    assert [m.to[0] for m in mailoutbox] == [personas.alice.email]
