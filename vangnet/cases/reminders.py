"""Daily reminders to the people who run a cell: how many actions and reviews are overdue.

The e-mail holds counts only: no case codes, no names, no descriptions. The coordinator signs in
to see which items they are.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from vangnet.cases.models import Action, ActionStatus, Case, CaseStatus
from vangnet.cells.models import MANAGING_ROLES, Cell, Membership

logger = logging.getLogger(__name__)


def overdue_counts(cell: Cell, today: datetime.date) -> tuple[int, int]:
    """(overdue actions, overdue case reviews) of the cell's open cases. Two queries.

    Works inside ``scope(cell=cell.pk)`` as well as with scopes disabled.
    """
    actions = Action.objects.filter(
        cell_id=cell.pk,
        status=ActionStatus.OPEN,
        due_date__lt=today,
        case__status=CaseStatus.OPEN,
    ).count()
    reviews = Case.objects.filter(
        cell_id=cell.pk, status=CaseStatus.OPEN, review_due__lt=today
    ).count()
    return actions, reviews


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Mail each coordinator and deputy coordinator of a cell with overdue items; return the count.

    Training cells (tabletop-exercise sandboxes) get no reminders. One e-mail per person and
    cell, sent at once (the command holds no lock); a mail server failure is logged, without
    the address, and does not stop the other reminders.
    """
    today = today or timezone.localdate()
    sent = 0
    with scopes_disabled():
        # Not the tabletop-exercise sandboxes: reminders during a one-day exercise are noise.
        for cell in Cell.objects.real().order_by("name"):
            actions, reviews = overdue_counts(cell, today)
            if not (actions or reviews):
                continue
            recipients = sorted(
                set(
                    Membership.objects.filter(
                        cell=cell,
                        role__in=MANAGING_ROLES,
                        ended_at__isnull=True,
                        user__is_active=True,
                    ).values_list("user__email", flat=True)
                )
            )
            if not recipients:
                continue
            context = {
                "cell_name": cell.name,
                "actions": actions,
                "reviews": reviews,
                "site_url": settings.SITE_URL,
            }
            with override(settings.LANGUAGE_CODE):
                subject = _("Vangnet: follow-up needed in your cell")
                body = render_to_string("cases/emails/reminder.txt", context)
            for email in recipients:
                try:
                    send_mail(subject, body, None, [email])
                except Exception:  # one failing address must not stop the other reminders
                    logger.exception("A reminder could not be sent (cell %s)", cell.pk)
                else:
                    sent += 1
    return sent
