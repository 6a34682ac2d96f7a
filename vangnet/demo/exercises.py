"""The demo's tabletop exercise: a training cell open for the upcoming tabletop-exercise event.

The network part of the demo (``network_content.py``) plans a tabletop exercise for
coordinators; here its sandbox is opened with the "teenager-online" scenario, and the Mechelen
coordinator is registered so that a demo visitor can try the training cell. Idempotent.
"""

from __future__ import annotations

from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.demo.people import DEMO_DOMAIN
from vangnet.events.models import ACTIVE_STATUSES, Event, EventKind, EventStatus
from vangnet.events.services import registration_create
from vangnet.exercises.models import Exercise
from vangnet.exercises.services import exercise_open

DEMO_SCENARIO = "teenager-online"


def exercises_load(*, staff: User) -> Exercise | None:
    event = (
        Event.objects.filter(
            kind=EventKind.TABLETOP_EXERCISE,
            status=EventStatus.PUBLISHED,
            starts_at__gt=timezone.now(),
            created_by=staff,
        )
        .order_by("starts_at")
        .first()
    )
    if event is None:  # the network part was not loaded
        return None
    existing = Exercise.objects.filter(event=event).first()
    if existing is not None:
        return existing
    coordinator = User.objects.filter(email=f"coordinator.mechelen@{DEMO_DOMAIN}").first()
    if (
        coordinator is not None
        and not event.registrations.filter(user=coordinator, status__in=ACTIVE_STATUSES).exists()
    ):
        registration_create(event=event, user=coordinator)
    return exercise_open(event=event, scenario=DEMO_SCENARIO, user=staff)
