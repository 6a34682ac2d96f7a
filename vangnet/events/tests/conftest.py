from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vangnet.events import services
from vangnet.events.models import Event, EventAudience, EventKind, EventStatus


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


def make_event(
    actor,
    *,
    days: float = 10,
    capacity: int | None = None,
    audience: str = EventAudience.LOCAL_GOVERNMENT,
    body=None,
    publish: bool = True,
    feedback: bool = False,
    title: str = "Intervision case managers",
) -> Event:
    starts = timezone.now() + dt.timedelta(days=days)
    event = services.event_save(
        actor=actor,
        data={
            "kind": EventKind.INTERVISION,
            "title": title,
            "description": "",
            "body": body,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            "location": "VVSG, Bischoffsheimlaan 1, Brussel",
            "online_url": "",
            "capacity": capacity,
            "audience": audience,
        },
        feedback=feedback,
    )
    if publish:
        services.event_publish(event=event, actor=actor)
        event.status = EventStatus.PUBLISHED
    return event
