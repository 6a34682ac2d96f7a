from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vangnet.cells.access import memberships_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Cells for the cell switcher and the current cell, on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cells: dict[str, Any] = {}
    for membership in memberships_for_user(user):
        cells.setdefault(str(membership.cell_id), membership.cell)
    return {
        "nav_cells": list(cells.values()),
        "current_cell": getattr(request, "cell", None),
        "current_access": getattr(request, "cell_access", None),
    }
