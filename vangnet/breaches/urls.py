from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.breaches import views

app_name = "breaches"

B = "cells/<uuid:cell_id>/privacy/breaches/"
urlpatterns: list[URLPattern] = [
    path(B, views.breach_list, name="breaches"),
    path(B + "new/", views.breach_new, name="new"),
    path(B + "<uuid:breach_id>/", views.breach_detail, name="breach"),
    path(B + "<uuid:breach_id>/edit/", views.breach_edit, name="edit"),
    path(B + "<uuid:breach_id>/notify/", views.breach_notify, name="notify"),
    path(B + "<uuid:breach_id>/close/", views.breach_close, name="close"),
    path(B + "<uuid:breach_id>/draft/", views.breach_draft, name="draft"),
    path(B + "<uuid:breach_id>/draft.txt", views.breach_draft_text, name="draft_text"),
]
