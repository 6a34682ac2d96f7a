from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.privacy import views

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("cells/<uuid:cell_id>/privacy/", views.office, name="office"),
    path(
        "cells/<uuid:cell_id>/privacy/register.pdf",
        views.register_pdf_download,
        name="register_pdf",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/register.docx",
        views.register_docx_download,
        name="register_docx",
    ),
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
    path("cells/<uuid:cell_id>/privacy/requests/", views.subject_requests, name="subject_requests"),
    path(
        "cells/<uuid:cell_id>/privacy/requests/new/",
        views.subject_request_new,
        name="subject_request_new",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/",
        views.subject_request,
        name="subject_request",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/extend/",
        views.subject_request_extend,
        name="subject_request_extend",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/decide/",
        views.subject_request_decide,
        name="subject_request_decide",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/confirm/",
        views.subject_request_confirm,
        name="subject_request_confirm",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/export.json",
        views.subject_request_export_json,
        name="subject_request_export_json",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/export.pdf",
        views.subject_request_export_pdf,
        name="subject_request_export_pdf",
    ),
    path(
        "cells/<uuid:cell_id>/privacy/requests/<uuid:subject_id>/erase/",
        views.subject_request_erase,
        name="subject_request_erase",
    ),
]
