from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.surveys import views

app_name = "surveys"

C = "cells/<uuid:cell_id>/surveys/"
CS = C + "<uuid:survey_id>/"
V = "support/surveys/"
VS = V + "<uuid:survey_id>/"
urlpatterns: list[URLPattern] = [
    # A cell's own surveys (coordinator and deputy; the mayor reads).
    path(C, views.cell_list, name="cell_list"),
    path(C + "new/", views.cell_new, name="cell_new"),
    path(CS, views.cell_survey, name="cell_survey"),
    path(CS + "open/", views.cell_open, name="cell_open"),
    path(CS + "send/", views.cell_send, name="cell_send"),
    path(CS + "close/", views.cell_close, name="cell_close"),
    path(CS + "link/", views.cell_link, name="cell_link"),
    path(CS + "link/revoke/", views.cell_link_revoke, name="cell_link_revoke"),
    path(CS + "export.csv", views.cell_export_csv, name="cell_export_csv"),
    path(CS + "export.xlsx", views.cell_export_xlsx, name="cell_export_xlsx"),
    # VVSG surveys across Flanders, and the survey library.
    path(V, views.vvsg_list, name="vvsg_list"),
    path(V + "new/", views.vvsg_new, name="vvsg_new"),
    path(V + "library/", views.library, name="library"),
    path(V + "library/<slug:slug>/", views.library_edit, name="library_edit"),
    path(VS, views.vvsg_survey, name="vvsg_survey"),
    path(VS + "open/", views.vvsg_open, name="vvsg_open"),
    path(VS + "send/", views.vvsg_send, name="vvsg_send"),
    path(VS + "close/", views.vvsg_close, name="vvsg_close"),
    path(VS + "link/", views.vvsg_link, name="vvsg_link"),
    path(VS + "link/revoke/", views.vvsg_link_revoke, name="vvsg_link_revoke"),
    path(VS + "export.csv", views.vvsg_export_csv, name="vvsg_export_csv"),
    path(VS + "export.xlsx", views.vvsg_export_xlsx, name="vvsg_export_xlsx"),
    # The public answer form: a personal single-use link or the survey's anonymous link.
    path("survey/<str:token>/", views.respond, name="respond"),
]
