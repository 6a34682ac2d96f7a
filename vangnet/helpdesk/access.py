"""Who may do what in the helpdesk: the rules in one place.

- An *asker* is a local-government user (an active membership of a cell, in any role, including
  municipal staff). They ask questions for a municipality of one of their cells and see only their
  own questions, never internal notes, and only while they still work for that local government:
  someone whose membership ended no longer reads (or adds to) its correspondence. The question
  itself stays, for VVSG and the statistics.
- *VVSG staff* see every question, the queue, notes, canned answers and statistics.
- Anyone else gets 404 for a question (missing and forbidden look the same) and 403 for the
  staff pages that have no object.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_scopes import scopes_disabled

from vangnet.helpdesk.models import Attachment, MessageKind, Question
from vangnet.knowledge.access import is_local_government_user

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.models import Cell, Municipality

__all__ = [
    "MunicipalityChoice",
    "asker_can_open",
    "asker_municipality_codes",
    "attachment_for_user",
    "can_ask",
    "is_staff",
    "municipalities_for_asker",
    "question_for_user",
    "require_staff",
]


def is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_vvsg_staff)


def require_staff(user: Any) -> None:
    """403 for everyone but VVSG staff (for pages that have no object to hide)."""
    if not is_staff(user):
        raise PermissionDenied


def can_ask(user: Any) -> bool:
    """Local-government users ask questions; VVSG staff answer them."""
    return not is_staff(user) and is_local_government_user(user)


@dataclass(frozen=True)
class MunicipalityChoice:
    municipality: Municipality
    cell: Cell


def municipalities_for_asker(user: User) -> list[MunicipalityChoice]:
    """The municipalities of the asker's cells (active memberships, any role), by name."""
    from vangnet.cells.models import Membership

    if not user.is_authenticated:
        return []
    choices: dict[str, MunicipalityChoice] = {}
    # Reading one's own memberships across cells, like cells.access.memberships_for_user.
    with scopes_disabled():
        memberships = (
            Membership.objects.real()  # never an exercise sandbox
            .filter(user=user, ended_at__isnull=True)
            .select_related("cell")
            .prefetch_related("cell__municipalities")
            .order_by("cell__name")
        )
        for membership in memberships:
            for municipality in membership.cell.municipalities.all():
                choices.setdefault(
                    municipality.nis_code, MunicipalityChoice(municipality, membership.cell)
                )
    return sorted(choices.values(), key=lambda choice: choice.municipality.name_nl)


def asker_municipality_codes(user: User) -> set[str]:
    """The NIS codes of the local governments the user may ask for (and read questions of)."""
    from vangnet.cells.models import Membership

    if is_staff(user) or not user.is_authenticated:
        return set()
    # The same memberships as municipalities_for_asker, in one query.
    with scopes_disabled():
        codes = (
            Membership.objects.real()
            .filter(user=user, ended_at__isnull=True, cell__municipalities__isnull=False)
            .values_list("cell__municipalities__nis_code", flat=True)
        )
        return set(codes)


def asker_can_open(user: User, question: Question) -> bool:
    """The user asked the question and still works for its local government."""
    return (
        question.asker_id is not None
        and question.asker_id == user.pk
        and question.municipality_id in asker_municipality_codes(user)
    )


def question_for_user(
    user: User, question_id: uuid.UUID | str, *, staff_only: bool = False
) -> Question:
    """The question if the user is VVSG staff or its asker (``asker_can_open``); Http404 otherwise.

    ``staff_only`` (staff actions: reply, note, assign, status, FAQ) also hides the question
    from its asker, with the same 404.
    """
    try:
        pk = uuid.UUID(str(question_id))
    except ValueError:
        raise Http404 from None
    question = (
        Question.objects.select_related("municipality", "theme", "assigned_to", "asker", "faq_item")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    if is_staff(user):
        return question
    if staff_only or not asker_can_open(user, question):
        raise Http404
    return question


def attachment_for_user(
    user: User, question: Question, attachment_id: uuid.UUID | str
) -> Attachment:
    """An attachment of a question the user may open (``question_for_user`` first); else 404."""
    try:
        pk = uuid.UUID(str(attachment_id))
    except ValueError:
        raise Http404 from None
    attachment = (
        Attachment.objects.select_related("message").filter(pk=pk, question=question).first()
    )
    if attachment is None:
        raise Http404
    if (
        not is_staff(user)
        and attachment.message is not None
        and attachment.message.kind == MessageKind.NOTE
    ):
        raise Http404
    return attachment
