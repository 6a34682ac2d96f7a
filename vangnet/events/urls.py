from __future__ import annotations

from django.urls import path

from vangnet.events import views

app_name = "events"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/feed/", views.feed_create, name="feed_create"),
    path("mine/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/series/new/", views.series_create, name="series_create"),
    path("<uuid:event_id>/", views.detail, name="detail"),
    path("<uuid:event_id>/register/", views.register, name="register"),
    path("<uuid:event_id>/unregister/", views.unregister, name="unregister"),
    path("<uuid:event_id>/event.ics", views.event_ics, name="ics"),
    path("<uuid:event_id>/feedback/", views.feedback, name="feedback"),
    path("<uuid:event_id>/edit/", views.edit, name="edit"),
    path("<uuid:event_id>/publish/", views.publish, name="publish"),
    path("<uuid:event_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:event_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:event_id>/results/", views.results, name="results"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<uuid:body_id>/", views.body, name="body"),
    path("bodies/<uuid:body_id>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<uuid:body_id>/members/add/", views.body_member_add, name="body_member_add"),
    path(
        "bodies/<uuid:body_id>/members/<uuid:membership_id>/end/",
        views.body_member_end,
        name="body_member_end",
    ),
    path(
        "bodies/<uuid:body_id>/documents/upload/",
        views.body_document_upload,
        name="body_document_upload",
    ),
    path(
        "bodies/documents/<uuid:document_id>/",
        views.body_document_download,
        name="body_document_download",
    ),
]
