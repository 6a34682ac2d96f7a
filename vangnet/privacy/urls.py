from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.privacy import views

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("cells/<uuid:cell_id>/privacy/", views.office, name="office"),
    path("cells/<uuid:cell_id>/privacy/access-log/", views.access_log, name="access_log"),
    path(
        "cells/<uuid:cell_id>/privacy/access-log/export.csv",
        views.access_log_export,
        name="access_log_export",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/access-log/sign/",
        views.access_review_sign,
        name="access_review_sign",
    ),
]
