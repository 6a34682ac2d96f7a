from __future__ import annotations

from django.urls import path

from vangnet.cases import views

app_name = "cases"

C = "cells/<uuid:cell_id>/cases/"
urlpatterns = [
    path(C, views.case_list, name="cases"),
    path(C + "find/", views.case_find, name="find"),
    path(C + "<uuid:case_id>/", views.case_detail, name="case"),
    path(C + "<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path(C + "<uuid:case_id>/factors/", views.factors_save, name="factors"),
    path(C + "<uuid:case_id>/participants/add/", views.participant_add, name="participant_add"),
    path(
        C + "<uuid:case_id>/participants/<uuid:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(C + "<uuid:case_id>/actions/add/", views.action_add, name="action_add"),
    path(
        C + "<uuid:case_id>/actions/<uuid:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path(C + "<uuid:case_id>/close/", views.case_close, name="close"),
    path(C + "<uuid:case_id>/legal-hold/", views.legal_hold, name="legal_hold"),
    path(C + "<uuid:case_id>/export/", views.case_export, name="export"),
    path(C + "<uuid:case_id>/access-log/", views.access_log, name="access_log"),
]
