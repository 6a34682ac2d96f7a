"""The privacy office of a cell: retention status and configuration for the DPO (issue 10)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_view
from vangnet.cells.models import CellProfile
from vangnet.lib.typealias import CellHttpRequest
from vangnet.privacy.services import framework_status, members_security, retention_status


@require_GET
@cell_view(require="can_review_privacy")
def office(request: CellHttpRequest) -> HttpResponse:
    """Retention at a glance (upcoming deletions, legal holds, missing dates) and the privacy
    configuration (framework, terms, notice, who has access with or without MFA)."""
    audit_record(action="privacy.office.viewed", request=request, cell=request.cell)
    context = {
        "cell": request.cell,
        "retention": retention_status(request.cell),
        "members": members_security(request.cell),
        "framework": framework_status(request.cell),
        "profile": CellProfile.objects.get(),
    }
    return render(request, "privacy/office.html", context)
