from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vangnet.cells.access import memberships_for_request
from vangnet.knowledge.access import is_local_government_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Cells for the cell switcher, the current cell and the support links, on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cells: dict[str, Any] = {}
    for membership in memberships_for_request(request):
        cells.setdefault(str(membership.cell_id), membership.cell)
    # Municipal staff have no cell pages but do use the support desk and the forum.
    # A sandbox (tabletop exercise) membership alone does not make a local-government user.
    real_cell = any(not cell.is_sandbox for cell in cells.values())
    local_government = real_cell or (not user.is_vvsg_staff and is_local_government_user(user))
    return {
        "nav_local_government": local_government,
        "nav_cells": list(cells.values()),
        "current_cell": getattr(request, "cell", None),
        "current_access": getattr(request, "cell_access", None),
    }
