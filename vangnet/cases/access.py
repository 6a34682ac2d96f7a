"""Need-to-know: who may open a case (on top of cell membership, see cells/access.py)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from vangnet.cases.models import ActionStatus, Case, Participant
from vangnet.cells.access import CellAccess
from vangnet.cells.models import Membership, Role
from vangnet.lib.prepared import PreparedQuery

if TYPE_CHECKING:
    from vangnet.accounts.models import User

# Roles that open every case of their cell (the law's core of the LIVC R).
CASE_ROLES = frozenset(
    {Role.COORDINATOR, Role.DEPUTY_COORDINATOR, Role.MAYOR, Role.INFORMATION_OFFICER}
)


def organisation_ids(user: User, access: CellAccess) -> list[uuid.UUID]:
    """Organisations the user represents in the cell. A DPO membership represents none: the
    DPO reads access logs, never case content through an organisation."""
    return [
        org_id
        for org_id in Membership.objects.filter(
            user=user, cell=access.cell, ended_at__isnull=True, organisation__isnull=False
        )
        .exclude(role=Role.DPO)
        .values_list("organisation_id", flat=True)
        if org_id is not None
    ]


def active_participations(
    user: User, access: CellAccess, *, own: list[uuid.UUID] | None = None
) -> QuerySet[Participant]:
    """Participant rows that give this user access: named, or through their organisation.

    ``own``: ``organisation_ids(user, access)`` when the caller has read them already.
    """
    if own is None:
        own = organisation_ids(user, access)
    return (
        Participant.objects.filter(removed_at__isnull=True)
        .filter(Q(user=user) | Q(organisation_id__in=own))
        .filter(Q(until_action__isnull=True) | Q(until_action__status=ActionStatus.OPEN))
    )


def cases_for_user(user: User, access: CellAccess) -> QuerySet[Case]:
    """The cases of the current cell this user may open (call inside the cell's scope)."""
    if access.roles & CASE_ROLES:
        return Case.objects.all()
    return Case.objects.filter(
        Exists(active_participations(user, access).filter(case=OuterRef("pk")))
    )


def case_for_user(user: User, access: CellAccess, case_id: uuid.UUID | str) -> Case:
    """One case, or Http404 for a missing case and for one the user may not open alike."""
    try:
        case_uuid = uuid.UUID(str(case_id))
    except ValueError:
        raise Http404 from None
    if access.roles & CASE_ROLES:
        found = _case_by_id(case_id=case_uuid)
    else:
        found = list(cases_for_user(user, access).filter(pk=case_uuid))
    if not found:
        raise Http404
    return found[0]


# Those who open every case of the cell (CASE_ROLES) read a case by its id alone.
_case_by_id = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))


def can_manage_case(access: CellAccess) -> bool:
    """Coordinator and deputy run case files: identity, participants, actions, closure."""
    return access.can_manage


def can_see_access_log(access: CellAccess) -> bool:
    return access.can_manage or access.is_dpo


def action_owner_ids(user: User, access: CellAccess, case: Case) -> set[uuid.UUID]:
    """Owner organisations whose actions this user may update in this case: organisations the
    user represents that take part in the case (not a named person of another organisation)."""
    own = organisation_ids(user, access)
    return set(
        active_participations(user, access, own=own)
        .filter(case=case, organisation_id__in=own)
        .values_list("organisation_id", flat=True)
    )
