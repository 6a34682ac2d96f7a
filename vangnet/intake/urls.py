from __future__ import annotations

from django.urls import path

from vangnet.intake import views

app_name = "intake"

urlpatterns = [
    path("cells/<uuid:cell_id>/signals/", views.signals, name="signals"),
    path("cells/<uuid:cell_id>/signals/new/", views.signal_new, name="signal_new"),
    path("cells/<uuid:cell_id>/signals/<uuid:signal_id>/", views.signal_detail, name="signal"),
    path(
        "cells/<uuid:cell_id>/signals/<uuid:signal_id>/screen/",
        views.signal_screen,
        name="signal_screen",
    ),
    path(
        "cells/<uuid:cell_id>/signals/<uuid:signal_id>/police/",
        views.signal_police,
        name="signal_police",
    ),
    path(
        "cells/<uuid:cell_id>/signals/<uuid:signal_id>/open-case/",
        views.signal_open_case,
        name="signal_open_case",
    ),
    path("cells/<uuid:cell_id>/trends/", views.trends, name="trends"),
    path("cells/<uuid:cell_id>/trends/new/", views.trend_new, name="trend_new"),
]
