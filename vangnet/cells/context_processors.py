from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from vangnet.cells.access import memberships_for_request
from vangnet.knowledge.access import is_local_government_request
from vangnet.lib.urls import urlconf_key

# The layout's links (base.html, cells/_nav.html) on every page: reversed once per URLconf,
# script prefix and language (``lib.urls.urlconf_key``; and per cell for the cell's menu), not a
# dozen times per request.
SITE_URLS = {
    "home": "home",
    "support": "cells:support_home",
    "events": "events:index",
    "profile": "accounts:profile",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "cell_switch": "cells:cell_switch",
    "set_language": "set_language",
}
# Shown only where the URLconf has them.
OPTIONAL_SITE_URLS = {
    "knowledge": "knowledge:index",
    "helpdesk": "helpdesk:index",
    "forum": "forum:index",
}
CELL_URLS = {
    "home": "cells:cell_home",
    "signals": "intake:signals",
    "cases": "cases:cases",
    "meetings": "meetings:meetings",
    "members": "cells:members",
    "partners": "network:partners",
    "map": "network:map",
    "documents": "cells:documents",
    "scans": "scans:scans",
    "coaching": "coaching:cell_trajectories",
    "surveys": "surveys:cell_list",
    "history": "cells:history",
    "handover": "cells:handover",
    "privacy": "privacy:office",
}


@functools.lru_cache(maxsize=32)
def _site_urls(urlconf: tuple[str, str, str, str]) -> dict[str, str]:
    urls = {key: reverse(name) for key, name in SITE_URLS.items()}
    for key, name in OPTIONAL_SITE_URLS.items():
        try:
            urls[key] = reverse(name)
        except NoReverseMatch:
            urls[key] = ""
    return urls


@functools.lru_cache(maxsize=1024)
def _cell_urls(urlconf: tuple[str, str, str, str], cell_id: Any) -> dict[str, str]:
    return {key: reverse(name, kwargs={"cell_id": cell_id}) for key, name in CELL_URLS.items()}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Cells for the cell switcher, the current cell and the support links, on every page."""
    urlconf = urlconf_key()
    nav_urls = _site_urls(urlconf)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_urls": nav_urls}
    cells: dict[str, Any] = {}
    for membership in memberships_for_request(request):
        cells.setdefault(str(membership.cell_id), membership.cell)
    # Municipal staff have no cell pages but do use the support desk and the forum.
    # A sandbox (tabletop exercise) membership alone does not make a local-government user.
    real_cell = any(not cell.is_sandbox for cell in cells.values())
    local_government = real_cell or (
        not user.is_vvsg_staff and is_local_government_request(request)
    )
    current_cell = getattr(request, "cell", None)
    return {
        "nav_urls": nav_urls,
        "cell_urls": _cell_urls(urlconf, current_cell.pk) if current_cell else {},
        "nav_local_government": local_government,
        "nav_cells": list(cells.values()),
        "current_cell": current_cell,
        "current_access": getattr(request, "cell_access", None),
    }
