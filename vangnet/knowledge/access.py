"""Who may read which knowledge: the audience rule in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_scopes import scopes_disabled

from vangnet.knowledge.models import Audience

if TYPE_CHECKING:
    from vangnet.accounts.models import User


def is_local_government_user(user: Any) -> bool:
    """An active member of at least one cell, in any role (including municipal staff)."""
    if user is None or not user.is_authenticated:
        return False
    from vangnet.cells.models import Membership

    with scopes_disabled():
        return Membership.objects.filter(user=user, ended_at__isnull=True).exists()


def audiences_for(user: User | Any | None) -> list[str]:
    """The audiences a reader belongs to: public always, members and staff by account."""
    if user is None or not user.is_authenticated:
        return [Audience.PUBLIC]
    if user.is_vvsg_staff:
        return [Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF]
    if is_local_government_user(user):
        return [Audience.PUBLIC, Audience.MEMBERS]
    return [Audience.PUBLIC]
