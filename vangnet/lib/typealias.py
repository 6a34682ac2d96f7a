"""Shared type aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.access import CellAccess
    from vangnet.cells.models import Cell

JSONDict = dict[str, Any]


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed login and MFA (LoginRequiredMiddleware + SessionGuardMiddleware)."""

    user: User
    request_id: str


class CellHttpRequest(AuthenticatedHttpRequest):
    """A request inside one cell, after `cell_view` checked the membership."""

    cell: Cell
    cell_access: CellAccess
