from __future__ import annotations

from django.urls import path

from vangnet.cells import views

app_name = "cells"

cell_urls = [
    path("cells/switch/", views.cell_switch, name="cell_switch"),
    path("cells/<uuid:cell_id>/", views.cell_home, name="cell_home"),
    path("cells/<uuid:cell_id>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("cells/<uuid:cell_id>/framework/edit/", views.framework_edit, name="framework_edit"),
    path(
        "cells/<uuid:cell_id>/framework/approve/",
        views.framework_approve,
        name="framework_approve",
    ),
    path("cells/<uuid:cell_id>/phenomena/add/", views.phenomenon_add, name="phenomenon_add"),
    path(
        "cells/<uuid:cell_id>/phenomena/<uuid:item_id>/disable/",
        views.phenomenon_disable,
        name="phenomenon_disable",
    ),
    path("cells/<uuid:cell_id>/map/sharing/", views.map_sharing, name="map_sharing"),
    path("cells/<uuid:cell_id>/history/", views.history, name="history"),
    path("cells/<uuid:cell_id>/handover/", views.handover, name="handover"),
]

document_urls = [
    path("cells/<uuid:cell_id>/documents/", views.documents, name="documents"),
    path("cells/<uuid:cell_id>/documents/upload/", views.document_upload, name="document_upload"),
    path(
        "cells/<uuid:cell_id>/documents/<uuid:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
]

member_urls = [
    path("cells/<uuid:cell_id>/members/", views.members, name="members"),
    path("cells/<uuid:cell_id>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "cells/<uuid:cell_id>/members/<uuid:membership_id>/end/",
        views.member_end,
        name="member_end",
    ),
    path(
        "cells/<uuid:cell_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("join/<str:token>/", views.join, name="join"),
    path(
        "invitations/<uuid:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
]

support_urls = [
    path("support/", views.support_home, name="support_home"),
]

urlpatterns = cell_urls + document_urls + member_urls + support_urls
