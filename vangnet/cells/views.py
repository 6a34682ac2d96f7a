"""Home pages per role, the cell switcher and the cell's own page."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_for_user, cell_view, memberships_for_user
from vangnet.cells.models import Cell, Framework, Membership, Municipality, Role
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest

CURRENT_CELL_KEY = "vn_current_cell"


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each role to its own home: VVSG staff to support, cell members to their cell."""
    if request.user.is_vvsg_staff:
        return redirect("cells:support_home")
    memberships = memberships_for_user(request.user)
    if not memberships:
        return render(request, "cells/no_cell.html")
    cell_ids = [str(m.cell_id) for m in memberships]
    current = request.session.get(CURRENT_CELL_KEY)
    return redirect("cells:cell_home", cell_id=current if current in cell_ids else cell_ids[0])


@require_POST
def cell_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = cell_for_user(request.user, request.POST.get("cell", ""))
    request.session[CURRENT_CELL_KEY] = str(access.cell.pk)
    return redirect("cells:cell_home", cell_id=access.cell.pk)


@require_GET
@cell_view
def cell_home(request: CellHttpRequest) -> HttpResponse:
    cell = request.cell
    request.session[CURRENT_CELL_KEY] = str(cell.pk)
    rank = {role: index for index, role in enumerate(Role.values)}
    members = sorted(
        Membership.objects.filter(ended_at__isnull=True).select_related("user"),
        key=lambda m: (rank.get(m.role, len(rank)), m.user.full_name),
    )
    audit_record(action="cells.members.viewed", request=request, cell=cell, target=cell)
    context = {
        "cell": cell,
        "access": request.cell_access,  # type: ignore[attr-defined]
        "framework": Framework.objects.first(),
        "municipalities": list(cell.municipalities.all()),
        "members": members,
    }
    return render(request, "cells/cell_home.html", context)


@require_GET
def support_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """VVSG's start page: which municipalities have a cell on the platform. No case data."""
    if not request.user.is_vvsg_staff:
        raise Http404
    cells = Cell.objects.annotate(municipality_count=Count("municipalities")).prefetch_related(
        "municipalities"
    )
    covered = Municipality.objects.filter(cells__isnull=False).distinct().count()
    context = {
        "cells": cells,
        "covered": covered,
        "total_municipalities": Municipality.objects.count(),
    }
    return render(request, "cells/support_home.html", context)
