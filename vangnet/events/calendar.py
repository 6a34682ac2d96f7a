"""iCalendar text for one event and for a personal feed: event data only, never names."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from vangnet.events.models import Event, EventStatus

# The project's RFC 5545 helpers (UTC times, escaping, folding at 75 octets).
from vangnet.lib.ics import ics_escape, ics_fold, ics_time

ONLINE_PLACEHOLDER = "Online (link on the event page)"


def _vevent(event: Event, *, with_link: bool) -> list[str]:
    """with_link: the online link only for staff and people who are registered (not waiting)."""
    online_url = event.online_url if with_link else ""
    location = event.location or online_url or (ONLINE_PLACEHOLDER if event.online_url else "")
    updated_at = getattr(event, "updated_at", None)
    url = f"{settings.SITE_URL}/events/{event.pk}/"
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@vangnet",
        f"DTSTAMP:{ics_time(timezone.now())}",
        f"DTSTART:{ics_time(event.starts_at)}",
        f"DTEND:{ics_time(event.ends_at)}",
        f"SUMMARY:{ics_escape(event.title)}",
        f"LOCATION:{ics_escape(location)}",
        f"URL:{url}",
    ]
    if updated_at is not None:
        lines.append(f"LAST-MODIFIED:{ics_time(updated_at)}")
    if online_url:
        lines.append(f"DESCRIPTION:{ics_escape(online_url)}")
    if event.status == EventStatus.CANCELLED:
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[Event], *, name: str = "", with_link: bool = False) -> str:
    """with_link: include online links (the caller checked the reader is staff or registered)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vangnet//Events//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{ics_escape(name)}")
    for event in events:
        lines.extend(_vevent(event, with_link=with_link))
    lines.append("END:VCALENDAR")
    return "\r\n".join(ics_fold(line) for line in lines) + "\r\n"
