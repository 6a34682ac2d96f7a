"""Who may read which knowledge: the audience rule in one place."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django_scopes import scopes_disabled

from vangnet.knowledge.models import Audience, GoodPractice, Item

if TYPE_CHECKING:
    from vangnet.accounts.models import User


def is_local_government_user(user: Any) -> bool:
    """An active member of at least one cell, in any role (including municipal staff)."""
    if user is None or not user.is_authenticated:
        return False
    from vangnet.cells.models import Membership

    with scopes_disabled():
        # A membership of an exercise sandbox does not make anyone a local-government user.
        return Membership.objects.real().filter(user=user, ended_at__isnull=True).exists()


_REQUEST_LOCAL_GOVERNMENT = "_vangnet_local_government"


def is_local_government_request(request: HttpRequest) -> bool:
    """``is_local_government_user`` of the signed-in user, read once per request, and without
    a query when the memberships the page reads anyway (``memberships_for_request``: the cell
    roles) include a real cell; only municipal staff need the query."""
    cached: bool | None = getattr(request, _REQUEST_LOCAL_GOVERNMENT, None)
    if cached is None:
        from vangnet.cells.access import memberships_for_request

        user = request.user
        cached = bool(user.is_authenticated) and (
            any(not m.cell.is_sandbox for m in memberships_for_request(request))
            or is_local_government_user(user)
        )
        setattr(request, _REQUEST_LOCAL_GOVERNMENT, cached)
    return cached


def audiences_for_request(request: HttpRequest) -> list[str]:
    """``audiences_for(request.user)`` with the membership check of the request."""
    return audiences_for(request.user, request=request)


def audiences_for(user: User | Any | None, *, request: HttpRequest | None = None) -> list[str]:
    """The audiences a reader belongs to: public always, members and staff by account.

    ``request``: the reader's request, whose memberships answer the membership question
    (``is_local_government_request``).
    """
    if user is None or not user.is_authenticated:
        return [Audience.PUBLIC]
    if user.is_vvsg_staff:
        return [Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF]
    local = (
        is_local_government_request(request)
        if request is not None
        else is_local_government_user(user)
    )
    if local:
        return [Audience.PUBLIC, Audience.MEMBERS]
    return [Audience.PUBLIC]


def require_staff(user: Any) -> None:
    """Pages of VVSG staff without an object of their own: 403 for anyone else."""
    if not (user.is_authenticated and user.is_vvsg_staff):
        raise PermissionDenied


def require_local_government_user(user: Any) -> None:
    """Pages for members of a local cell (any role): 403 for anyone else."""
    if not is_local_government_user(user):
        raise PermissionDenied


def item_for_reader(user: Any, item_id: uuid.UUID, *, audiences: list[str] | None = None) -> Item:
    """An item this reader may open, or 404 (missing, another audience, a draft).

    ``audiences`` (from ``audiences_for(user)``) saves the membership query when known.
    """
    item = Item.objects.visible_to(user, audiences=audiences).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def item_for_staff(user: Any, item_id: uuid.UUID) -> Item:
    """Any item, for VVSG staff only; 404 for everybody else (no hint that it exists)."""
    if not (user.is_authenticated and user.is_vvsg_staff):
        raise Http404
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def practice_for_reviewer(user: Any, practice_id: uuid.UUID) -> GoodPractice:
    """A submitted good practice, for VVSG staff only; 404 for everybody else."""
    if not (user.is_authenticated and user.is_vvsg_staff):
        raise Http404
    practice = (
        GoodPractice.objects.select_related("municipality", "theme", "item")
        .filter(pk=practice_id)
        .first()
    )
    if practice is None:
        raise Http404
    return practice
