"""The project's URLs plus the floor page, which exists only under `bench.settings`."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from vangnet.audit.services import audit_record
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.urls import urlpatterns as project_urlpatterns


@require_GET
def floor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cheapest page the platform can serve: signed in, audited, through every middleware.

    Every other page is measured against this one, so the ratios say what a page costs on top
    of what any page costs (session, session guard, one audit event).
    """
    audit_record(action="bench.floor.viewed", request=request)
    return HttpResponse("<!doctype html><title>floor</title><p>ok</p>")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urlpatterns]
