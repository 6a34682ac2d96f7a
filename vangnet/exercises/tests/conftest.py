from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from vangnet.events import services as event_services
from vangnet.events.models import Event, EventAudience, EventKind, EventStatus
from vangnet.exercises.models import Exercise
from vangnet.exercises.services import exercise_open


@pytest.fixture(autouse=True)
def _media_and_language(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


def make_tabletop(
    actor: Any,
    *,
    days: float = 5,
    kind: str = EventKind.TABLETOP_EXERCISE,
    audience: str = EventAudience.LOCAL_GOVERNMENT,
    title: str = "Tafeloefening radicalisering",
    publish: bool = True,
) -> Event:
    starts = timezone.now() + dt.timedelta(days=days)
    event = event_services.event_save(
        actor=actor,
        data={
            "kind": kind,
            "title": title,
            "description": "",
            "body": None,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
            "location": "VVSG, Brussel",
            "online_url": "",
            "capacity": None,
            "audience": audience,
        },
    )
    if publish:
        event_services.event_publish(event=event, actor=actor)
        event.status = EventStatus.PUBLISHED
    return event


def open_with(
    personas: Any, users: list[Any], *, scenario: str = "detainee-return", days: float = 5
) -> Exercise:
    event = make_tabletop(personas.vera, days=days)
    for user in users:
        event_services.registration_create(event=event, user=user)
    return exercise_open(event=event, scenario=scenario, user=personas.vera)
