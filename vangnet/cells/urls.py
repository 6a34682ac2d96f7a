from __future__ import annotations

from django.urls import path

from vangnet.cells import views

app_name = "cells"

cell_urls = [
    path("cells/switch/", views.cell_switch, name="cell_switch"),
    path("cells/<uuid:cell_id>/", views.cell_home, name="cell_home"),
]

support_urls = [
    path("support/", views.support_home, name="support_home"),
]

urlpatterns = cell_urls + support_urls
