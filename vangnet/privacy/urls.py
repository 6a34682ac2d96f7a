from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.privacy import views

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("cells/<uuid:cell_id>/privacy/", views.office, name="office"),
]
