"""Calendar files and PDF minutes, both without anything the reader may not see."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from vangnet.accounts.models import User
from vangnet.lib.ics import ics_escape, ics_fold, ics_time
from vangnet.lib.pdf import html_to_pdf
from vangnet.meetings.models import Meeting

logger = logging.getLogger(__name__)


def meeting_ics(meeting: Meeting) -> str:
    """An iCalendar event: title, time, place and a link. No agenda, no names of persons."""
    url = f"{settings.SITE_URL}/cells/{meeting.cell_id}/meetings/{meeting.pk}/"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vangnet//LIVC R//NL",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{meeting.pk}@vangnet",
        f"DTSTAMP:{ics_time(timezone.now())}",
        f"DTSTART:{ics_time(meeting.starts_at)}",
        f"DTEND:{ics_time(meeting.ends_at)}",
        f"SUMMARY:{ics_escape(meeting.title)}",
        f"LOCATION:{ics_escape(meeting.place or meeting.online_link)}",
        f"URL:{url}",
        "CLASS:CONFIDENTIAL",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(ics_fold(line) for line in lines) + "\r\n"


def invitations_send(meeting: Meeting, people: list[User]) -> tuple[int, int]:
    """E-mail each invitee the time and place with an .ics file; no agenda, no persons.

    Returns (sent, failed): one unreachable address does not stop the others.
    """
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: invitation to a meeting of your cell")
        subject = meeting.cell.mail_subject(subject)
        body = render_to_string(
            "meetings/emails/invitation.txt",
            {
                "meeting": meeting,
                "url": f"{settings.SITE_URL}/cells/{meeting.cell_id}/meetings/{meeting.pk}/",
            },
        )
    ics = meeting_ics(meeting)
    sent = failed = 0
    for person in people:
        message = EmailMessage(subject, body, to=[person.email])
        message.attach("vangnet-overleg.ics", ics, "text/calendar")
        try:
            message.send()
        except Exception:  # logged without the address
            logger.exception("An invitation for meeting %s could not be sent", meeting.pk)
            failed += 1
        else:
            sent += 1
    return sent, failed


def minutes_pdf(html: str, request: HttpRequest) -> bytes:
    """Render the reader's own minutes page to PDF with WeasyPrint (no network access)."""
    return html_to_pdf(html)
