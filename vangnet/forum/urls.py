from __future__ import annotations

from django.urls import path

from vangnet.forum import views

app_name = "forum"

space_urls = [
    path("", views.index, name="index"),
    path("following/", views.following, name="following"),
    path("<uuid:space_id>/", views.space, name="space"),
    path("<uuid:space_id>/subscribe/", views.space_subscribe, name="space_subscribe"),
    path("<uuid:space_id>/unsubscribe/", views.space_unsubscribe, name="space_unsubscribe"),
    path("<uuid:space_id>/threads/new/", views.thread_start, name="thread_start"),
]

thread_urls = [
    path("threads/<uuid:thread_id>/", views.thread, name="thread"),
    path("threads/<uuid:thread_id>/reply/", views.reply, name="reply"),
    path("threads/<uuid:thread_id>/subscribe/", views.thread_subscribe, name="thread_subscribe"),
    path(
        "threads/<uuid:thread_id>/unsubscribe/",
        views.thread_unsubscribe,
        name="thread_unsubscribe",
    ),
    path("threads/<uuid:thread_id>/lock/", views.thread_lock, name="thread_lock"),
    path("threads/<uuid:thread_id>/unlock/", views.thread_unlock, name="thread_unlock"),
    path("threads/<uuid:thread_id>/title/", views.thread_title_edit, name="thread_title_edit"),
]

post_urls = [
    path("posts/<uuid:post_id>/hide/", views.post_hide, name="post_hide"),
    path("posts/<uuid:post_id>/show/", views.post_show, name="post_show"),
    path("posts/<uuid:post_id>/edit/", views.post_edit, name="post_edit"),
]

urlpatterns = space_urls + thread_urls + post_urls
