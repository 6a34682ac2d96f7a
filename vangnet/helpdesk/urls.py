from __future__ import annotations

from django.urls import path

from vangnet.helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("queue/", views.queue, name="queue"),
    path("statistics/", views.statistics, name="statistics"),
    path("canned/", views.canned_list, name="canned_list"),
    path("canned/new/", views.canned_create, name="canned_create"),
    path("canned/<uuid:canned_id>/", views.canned_edit, name="canned_edit"),
    path("<uuid:question_id>/", views.question_detail, name="question"),
    path("<uuid:question_id>/follow-up/", views.question_follow_up, name="follow_up"),
    path("<uuid:question_id>/reply/", views.question_reply, name="reply"),
    path("<uuid:question_id>/note/", views.question_note, name="note"),
    path("<uuid:question_id>/assign/", views.question_assign, name="assign"),
    path("<uuid:question_id>/status/", views.question_status, name="status"),
    path("<uuid:question_id>/faq/", views.question_faq, name="faq"),
    path(
        "<uuid:question_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
