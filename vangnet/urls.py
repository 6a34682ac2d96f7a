from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from vangnet.cells import views as cell_views


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", cell_views.home, name="home"),
    path("", include("vangnet.accounts.urls")),
    path("", include("vangnet.cells.urls")),
    path("", include("vangnet.network.urls")),
    path("", include("vangnet.intake.urls")),
    path("", include("vangnet.cases.urls")),
    path("", include("vangnet.meetings.urls")),
    path("", include("vangnet.scans.urls")),
    path("knowledge/", include("vangnet.knowledge.urls")),
    path("helpdesk/", include("vangnet.helpdesk.urls")),
    path("forum/", include("vangnet.forum.urls")),
    path("events/", include("vangnet.events.urls")),
    path("", include("vangnet.coaching.urls")),
    path("", include("vangnet.surveys.urls")),
    path("", include("vangnet.exercises.urls")),
    path("", include("vangnet.insights.urls")),
    path("", include("vangnet.privacy.urls")),
    path("", include("vangnet.breaches.urls")),
    path("i18n/setlang/", login_not_required(require_POST(set_language)), name="set_language"),
    path("healthz/", healthz, name="healthz"),
]
