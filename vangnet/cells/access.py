"""The only way views load a cell: membership-checked, with one 404 for missing and forbidden.

`cell_view` wraps a view so that it runs inside `django_scopes.scope(cell=...)`: a query on a
tenant-owned model outside that scope raises instead of silently reading every cell.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django_scopes import scope, scopes_disabled

from vangnet.cells.models import CELL_ROLES, MANAGING_ROLES, Cell, Membership, Role
from vangnet.lib.prepared import PreparedQuery

if TYPE_CHECKING:
    from vangnet.accounts.models import User


@dataclass(frozen=True)
class CellAccess:
    """What one user may do in one cell (a user can hold several roles in a cell)."""

    cell: Cell
    roles: frozenset[str]

    @property
    def can_manage(self) -> bool:
        """Coordinator and deputy run the cell: profile, partners, members."""
        return bool(self.roles & MANAGING_ROLES)

    @property
    def is_mayor(self) -> bool:
        return Role.MAYOR in self.roles

    @property
    def can_oversee(self) -> bool:
        """The mayor sees everything of the cell; so do those who manage it."""
        return self.can_manage or self.is_mayor

    @property
    def can_approve(self) -> bool:
        """The mayor approves the framework, unless they also edit it (four-eyes principle)."""
        return self.is_mayor and not self.can_manage

    def allows(self, require: str | None) -> bool:
        if require is None:
            return True
        return bool(getattr(self, require))

    @property
    def is_dpo(self) -> bool:
        return Role.DPO in self.roles

    @property
    def can_review_privacy(self) -> bool:
        """The privacy office (retention, configuration, access logs): the cell's
        data-protection officer, and those who run or oversee the cell. Never case content."""
        return self.is_dpo or self.can_oversee

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in sorted(self.roles)]


def memberships_for_user(user: User) -> list[Membership]:
    """Active memberships of a user across cells (for navigation and the cell switcher)."""
    if not user.is_authenticated:
        return []
    # Reading one's own memberships crosses cells by design; this is the one place it happens.
    with scopes_disabled():
        return _memberships(user_id=user.pk)


# On every cell page: compiled once per process (lib/prepared.py).
_memberships = PreparedQuery[Membership](
    lambda user_id: (
        Membership.objects.filter(
            user_id=user_id, ended_at__isnull=True, role__in=sorted(CELL_ROLES)
        )
        .select_related("cell")
        .order_by("cell__name", "role")
    )
)


_REQUEST_MEMBERSHIPS = "_vangnet_memberships"


def memberships_for_request(request: HttpRequest) -> list[Membership]:
    """`memberships_for_user` of the signed-in user, read once per request: the access check
    of a cell page and the navigation of its template share one query."""
    cached: list[Membership] | None = getattr(request, _REQUEST_MEMBERSHIPS, None)
    if cached is None:
        cached = memberships_for_user(request.user)  # type: ignore[arg-type]
        setattr(request, _REQUEST_MEMBERSHIPS, cached)
    return cached


def cell_for_user(
    user: User, cell_id: uuid.UUID | str, *, memberships: list[Membership] | None = None
) -> CellAccess:
    """The cell with this id if the user is an active member; Http404 otherwise.

    ``memberships``: the user's active memberships when already read (``memberships_for_request``),
    which saves the two queries of the check.
    """
    try:
        cell_uuid = uuid.UUID(str(cell_id))
    except ValueError:
        raise Http404 from None
    if not user.is_authenticated:
        raise Http404
    if memberships is not None:
        mine = [m for m in memberships if m.cell_id == cell_uuid]
        if not mine:
            raise Http404
        return CellAccess(cell=mine[0].cell, roles=frozenset(m.role for m in mine))
    with scopes_disabled():
        roles = frozenset(
            Membership.objects.filter(
                user=user, cell_id=cell_uuid, ended_at__isnull=True, role__in=CELL_ROLES
            ).values_list("role", flat=True)
        )
    if not roles:
        raise Http404
    cell = Cell.objects.get(pk=cell_uuid)
    return CellAccess(cell=cell, roles=roles)


ViewFunc = Callable[..., HttpResponseBase]


@overload
def cell_view(view: ViewFunc) -> ViewFunc: ...


@overload
def cell_view(*, require: str | None = None) -> Callable[[ViewFunc], ViewFunc]: ...


def cell_view(
    view: ViewFunc | None = None, *, require: str | None = None
) -> ViewFunc | Callable[[ViewFunc], ViewFunc]:
    """Decorator for views under /cells/<uuid:cell_id>/: access check, then scope.

    Non-members get 404 (as for a missing cell). `require` names a `CellAccess` property
    (`"can_manage"`, `"can_oversee"`, `"is_mayor"`); a member without it gets 403.
    """

    def decorate(func: ViewFunc) -> ViewFunc:
        @functools.wraps(func)
        def wrapper(
            request: HttpRequest, cell_id: uuid.UUID, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            access = cell_for_user(
                request.user,  # type: ignore[arg-type]
                cell_id,
                memberships=memberships_for_request(request),
            )
            if not access.allows(require):
                raise PermissionDenied
            request.cell = access.cell  # type: ignore[attr-defined]
            request.cell_access = access  # type: ignore[attr-defined]
            with scope(cell=access.cell.pk):
                return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
