"""Draft texts from a breach record: the notification to the authority and the message to the
data subjects.

Plain text built from the record only, following art. 33(3) (a)-(d) and art. 34(2). Apart from
the cell's name (the controller), nothing is added that the DPO did not type: no member names,
no case content. The drafts are never sent from here; the DPO checks them and submits the
notification through the authority's online form.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vangnet.breaches.models import Breach, BreachRisk, late_reason_required


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return _("unknown")
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _text(value: str | None) -> str:
    value = (value or "").strip()
    return value or _("(to be completed)")


def _count(value: int | None) -> str:
    return str(value) if value is not None else _("unknown")


def _section(title: str, *lines: str) -> list[str]:
    return [title, "-" * len(title), *lines, ""]


def _is_late(breach: Breach, now: datetime.datetime) -> bool:
    if breach.notified_at is not None:
        return late_reason_required(aware_at=breach.aware_at, notified_at=breach.notified_at)
    return breach.notification_required and now > breach.deadline


def authority_draft(breach: Breach, *, controller: str, now: datetime.datetime) -> str:
    """The notification to the Data Protection Authority, structured as art. 33(3)."""
    occurred = _when(breach.occurred_at)
    if breach.occurred_at is not None and breach.occurred_approximate:
        occurred = _("%(when)s (approximate)") % {"when": occurred}
    lines = [
        _("DRAFT - check and complete this text before it is submitted."),
        _(
            "This is not a notification: submit it through the online notification form of "
            "the Data Protection Authority (GBA/APD)."
        ),
        "",
        _("Notification of a personal data breach (art. 33 GDPR)"),
        "",
        _("Controller: %(name)s") % {"name": controller},
        _("Internal reference: %(code)s") % {"code": breach.code},
        _("The breach occurred on: %(when)s") % {"when": occurred},
        _("The controller became aware of it on: %(when)s") % {"when": _when(breach.aware_at)},
        "",
        *_section(
            _("(a) The nature of the breach"),
            _("Kind: %(kinds)s") % {"kinds": ", ".join(breach.nature_labels) or _("unknown")},
            _("What happened:"),
            _text(breach.description),
            _("Categories of data subjects concerned: %(text)s")
            % {"text": _text(breach.subject_categories)},
            _("Approximate number of data subjects concerned: %(count)s")
            % {"count": _count(breach.subject_count)},
            _("Categories of personal data records concerned: %(text)s")
            % {"text": _text(breach.record_categories)},
            _("Approximate number of personal data records concerned: %(count)s")
            % {"count": _count(breach.record_count)},
        ),
        *_section(
            _("(b) The contact point where more information can be obtained"),
            _text(breach.contact),
        ),
        *_section(_("(c) The likely consequences of the breach"), _text(breach.consequences)),
        *_section(
            _(
                "(d) The measures taken or proposed to address the breach, including measures "
                "to mitigate its possible adverse effects"
            ),
            _text(breach.measures),
        ),
    ]
    if _is_late(breach, now):
        lines += _section(
            _("Reasons for the delay (more than 72 hours, art. 33(1))"),
            _text(breach.late_reason),
        )
    lines += _section(_("Data subjects (art. 34 GDPR)"), _subjects_line(breach))
    return "\n".join(lines).rstrip() + "\n"


def _subjects_line(breach: Breach) -> str:
    if breach.subjects_informed_at is not None:
        return _("The data subjects were informed on %(when)s.") % {
            "when": _when(breach.subjects_informed_at)
        }
    if breach.risk == BreachRisk.HIGH:
        return _("The breach is assessed as a high risk: the data subjects will be informed.")
    if breach.risk == BreachRisk.NOT_ASSESSED:
        return _("The risk to the data subjects is still being assessed.")
    return _("The breach is not assessed as a high risk: the data subjects are not informed.")


def subjects_draft(breach: Breach) -> str:
    """The message to the data subjects (art. 34(2)); only for a high-risk breach."""
    lines = [
        _("DRAFT - message to the data subjects (art. 34 GDPR)."),
        _(
            "Rewrite it in clear and plain language for the reader and check it before it is "
            "sent. Check for each person whether the message itself would reveal that the "
            "cell discusses them, and record how they were informed, or why not."
        ),
        "",
        *_section(_("What happened"), _text(breach.description)),
        *_section(_("What this may mean for you"), _text(breach.consequences)),
        *_section(_("What we did and will do about it"), _text(breach.measures)),
        *_section(_("Who to contact for more information"), _text(breach.contact)),
    ]
    return "\n".join(lines).rstrip() + "\n"
