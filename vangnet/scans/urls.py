from __future__ import annotations

from django.urls import path

from vangnet.scans import views

app_name = "scans"

S = "cells/<uuid:cell_id>/scans/"
urlpatterns = [
    path(S, views.scans, name="scans"),
    path(S + "new/", views.round_new, name="new"),
    path(S + "<uuid:round_id>/", views.round_detail, name="round"),
    path(S + "<uuid:round_id>/invite/", views.round_invite, name="invite"),
    path(S + "<uuid:round_id>/close/", views.round_close, name="close"),
    path(S + "<uuid:round_id>/share/", views.round_share, name="share"),
    path(S + "<uuid:round_id>/improvements/", views.improvement_add, name="improvement_add"),
    path("scan/<str:token>/", views.respond, name="respond"),
    path("support/scans/<uuid:round_id>/", views.shared_round, name="shared_round"),
    path("support/scan-template/", views.template_editor, name="template_editor"),
]
