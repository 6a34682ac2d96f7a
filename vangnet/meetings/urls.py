from __future__ import annotations

from django.urls import path

from vangnet.meetings import views

app_name = "meetings"

M = "cells/<uuid:cell_id>/meetings/"
I = M + "<uuid:meeting_id>/items/<uuid:item_id>/"  # noqa: E741
urlpatterns = [
    path(M, views.meeting_list, name="meetings"),
    path(M + "new/", views.meeting_new, name="new"),
    path(M + "<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path(M + "<uuid:meeting_id>/agenda/propose/", views.agenda_propose, name="propose"),
    path(M + "<uuid:meeting_id>/agenda/topic/", views.topic_add, name="topic_add"),
    path(M + "<uuid:meeting_id>/invitations/", views.invitations_send, name="invite"),
    path(M + "<uuid:meeting_id>/meeting.ics", views.meeting_ics, name="ics"),
    path(M + "<uuid:meeting_id>/attendance/", views.attendance_save, name="attendance"),
    path(M + "<uuid:meeting_id>/secrecy/", views.secrecy_acknowledge, name="secrecy"),
    path(M + "<uuid:meeting_id>/minutes/", views.minutes, name="minutes"),
    path(M + "<uuid:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(M + "<uuid:meeting_id>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(I, views.item_detail, name="item"),
    path(I + "remove/", views.item_remove, name="item_remove"),
    path(I + "move/", views.item_move, name="item_move"),
    path(I + "actions/add/", views.item_action_add, name="item_action_add"),
    path(I + "actions/<uuid:action_id>/carry-over/", views.item_carry_over, name="carry_over"),
    path(I + "feedback/", views.sheet_save, name="sheet_save"),
    path(I + "feedback/submit/", views.sheet_submit, name="sheet_submit"),
    path(I + "feedback/vote/", views.sheet_vote, name="sheet_vote"),
    path(I + "feedback/sent/", views.sheet_sent, name="sheet_sent"),
    path(I + "feedback/reopen/", views.sheet_reopen, name="sheet_reopen"),
]
