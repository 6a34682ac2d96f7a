from __future__ import annotations

from django.urls import path

from vangnet.exercises import views

app_name = "exercises"

urlpatterns = [
    path("support/exercises/", views.index, name="index"),
    path("events/<uuid:event_id>/exercise/", views.detail, name="detail"),
    path("events/<uuid:event_id>/exercise/open/", views.open_exercise, name="open"),
    path("events/<uuid:event_id>/exercise/sync/", views.sync, name="sync"),
    path(
        "events/<uuid:event_id>/exercise/participants/<uuid:membership_id>/role/",
        views.role,
        name="role",
    ),
    path("events/<uuid:event_id>/exercise/wipe/", views.wipe, name="wipe"),
]
