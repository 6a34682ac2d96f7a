"""iCalendar text for one event and for a personal feed: event data only, never names."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from vangnet.events.models import Event, EventStatus

# The project's RFC 5545 helpers (UTC times, escaping, folding at 75 octets).
from vangnet.meetings.documents import _ics_escape, _ics_fold, _ics_time


def _vevent(event: Event) -> list[str]:
    url = f"{settings.SITE_URL}/events/{event.pk}/"
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@vangnet",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(event.starts_at)}",
        f"DTEND:{_ics_time(event.ends_at)}",
        f"SUMMARY:{_ics_escape(event.title)}",
        f"LOCATION:{_ics_escape(event.location or event.online_url)}",
        f"URL:{url}",
    ]
    if event.online_url:
        lines.append(f"DESCRIPTION:{_ics_escape(event.online_url)}")
    if event.status == EventStatus.CANCELLED:
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[Event], *, name: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vangnet//Events//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{_ics_escape(name)}")
    for event in events:
        lines.extend(_vevent(event))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"
