from __future__ import annotations

from django.urls import path

from vangnet.coaching import views

app_name = "coaching"

V = "coaching/"
T = V + "<uuid:trajectory_id>/"
C = "cells/<uuid:cell_id>/coaching/"
urlpatterns = [
    # VVSG staff
    path(V, views.index, name="index"),
    path(V + "new/", views.trajectory_new, name="new"),
    path(T, views.trajectory_detail, name="trajectory"),
    path(T + "edit/", views.trajectory_edit, name="edit"),
    path(T + "status/", views.trajectory_status, name="status"),
    path(T + "milestones/new/", views.milestone_new, name="milestone_new"),
    path(T + "milestones/<uuid:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path(T + "notes/new/", views.note_new, name="note_new"),
    path(T + "documents/new/", views.document_new, name="document_new"),
    path(T + "documents/<uuid:document_id>/", views.document_download, name="document_download"),
    # The cell's coordinator, deputy and mayor (read-only)
    path(C, views.cell_trajectories, name="cell_trajectories"),
    path(C + "<uuid:trajectory_id>/", views.cell_trajectory, name="cell_trajectory"),
    path(
        C + "<uuid:trajectory_id>/documents/<uuid:document_id>/",
        views.cell_document_download,
        name="cell_document_download",
    ),
]
