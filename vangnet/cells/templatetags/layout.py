"""The layout's header and the cell's menu (base.html), rendered from memory.

Each tag reads what its fragment shows from the page's context (filled by
``cells.context_processors.navigation``), as plain values, and hands them to
``lib.fragments.render_remembered``: the fragment's template sees nothing else, so two readers
with the same values (the same kind of account, the same cells, the same language) get the same
markup, and each rendering adds only its own CSRF token and address.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from vangnet.lib.fragments import render_remembered
from vangnet.lib.markup import csrf_field

register = template.Library()


def _cell_values(cell: Any) -> dict[str, Any]:
    return {"pk": str(cell.pk), "name": cell.name, "is_sandbox": bool(cell.is_sandbox)}


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The header: site links for this kind of reader, their cells, sign-out and language."""
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    current_cell = context.get("current_cell") if authenticated else None
    values = {
        "nav_urls": context.get("nav_urls") or {},
        "authenticated": authenticated,
        "vvsg_staff": bool(authenticated and getattr(user, "is_vvsg_staff", False)),
        "local_government": bool(authenticated and context.get("nav_local_government")),
        "current_cell": _cell_values(current_cell) if current_cell else None,
        "cell_home": (context.get("cell_urls") or {}).get("home", "") if current_cell else "",
        "cells": [_cell_values(cell) for cell in context.get("nav_cells") or ()]
        if authenticated
        else [],
    }
    request = context.get("request")
    holes = {
        # What {% csrf_token %} writes: the page's own token (the same as its other forms'),
        # or nothing where the page has none.
        "csrf_field": mark_safe(csrf_field(context)),  # noqa: S308 - escaped by csrf_field
        "next_path": request.get_full_path() if request is not None else "",
    }
    return render_remembered("layout/_header.html", values, holes)


@register.simple_tag(takes_context=True)
def cell_menu(context: template.Context) -> SafeString:
    """The current cell's menu; the overseeing and privacy links only for who may use them."""
    access = context.get("current_access")
    values = {
        "cell_urls": context.get("cell_urls") or {},
        "can_oversee": bool(getattr(access, "can_oversee", False)),
        "can_review_privacy": bool(getattr(access, "can_review_privacy", False)),
    }
    return render_remembered("cells/_nav.html", values)
