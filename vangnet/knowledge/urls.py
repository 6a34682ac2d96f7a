from __future__ import annotations

from django.urls import path

from vangnet.knowledge import views

app_name = "knowledge"

urlpatterns = [
    # Public (anonymous visitors and signed-in users alike).
    path("", views.index, name="index"),
    path("<uuid:item_id>/", views.item_detail, name="item"),
    path("<uuid:item_id>/files/<uuid:file_id>/", views.file_download, name="file_download"),
    # VVSG staff.
    path("manage/", views.manage, name="manage"),
    path("new/", views.item_create, name="item_create"),
    path("<uuid:item_id>/edit/", views.item_edit, name="item_edit"),
    path("<uuid:item_id>/publish/", views.item_publish, name="item_publish"),
    path("<uuid:item_id>/archive/", views.item_archive, name="item_archive"),
    path("<uuid:item_id>/files/new/", views.file_upload, name="file_upload"),
    path("practices/review/", views.practice_queue, name="practice_queue"),
    path("practices/<uuid:practice_id>/", views.practice_review, name="practice_review"),
    path("practices/<uuid:practice_id>/publish/", views.practice_publish, name="practice_publish"),
    path("practices/<uuid:practice_id>/return/", views.practice_return, name="practice_return"),
    # Local-government users.
    path("practices/new/", views.practice_submit, name="practice_submit"),
    path("practices/mine/", views.practice_mine, name="practice_mine"),
]
