"""Cell workflows: creating cells and their framework, adding and ending memberships."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from vangnet.audit.services import audit_record
from vangnet.cells.models import Cell, Framework, LegalBasis, Membership, Municipality, Role

if TYPE_CHECKING:
    from vangnet.accounts.models import User


@transaction.atomic
def cell_create(
    *,
    name: str,
    nis_codes: Iterable[str],
    legal_basis: str = LegalBasis.LIVC_LAW_2018,
    participant_categories: str = "",
    working_arrangements: str = "",
    start_date: datetime.date | None = None,
    created_by: User | None = None,
) -> Cell:
    """Create a cell for one municipality, or a joint cell for several, with its framework."""
    codes = sorted(set(nis_codes))
    municipalities = list(Municipality.objects.filter(nis_code__in=codes))
    if not codes or len(municipalities) != len(codes):
        raise ValidationError(_("Choose one or more existing Flemish municipalities."))
    cell = Cell.objects.create(name=name)
    cell.municipalities.set(municipalities)
    with scope(cell=cell.pk):
        Framework.objects.create(
            cell=cell,
            legal_basis=legal_basis,
            participant_categories=participant_categories,
            working_arrangements=working_arrangements,
            start_date=start_date,
        )
    audit_record(
        action="cells.cell.created",
        actor=created_by,
        cell=cell,
        target=cell,
        data={"municipalities": codes},
    )
    return cell


@transaction.atomic
def membership_add(
    *,
    cell: Cell,
    user: User,
    role: str,
    organisation: str = "",
    added_by: User | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with scope(cell=cell.pk):
        membership, _created = Membership.objects.get_or_create(
            cell=cell,
            user=user,
            role=role,
            ended_at=None,
            defaults={"organisation": organisation},
        )
    audit_record(
        action="cells.membership.added",
        actor=added_by,
        cell=cell,
        target=membership,
        data={"role": role},
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_by: User | None = None) -> None:
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    audit_record(
        action="cells.membership.ended",
        actor=ended_by,
        cell=membership.cell_id,
        target=membership,
        data={"role": membership.role},
    )
