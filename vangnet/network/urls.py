from __future__ import annotations

from django.urls import path

from vangnet.network import views

app_name = "network"

partner_urls = [
    path("cells/<uuid:cell_id>/partners/", views.partners, name="partners"),
    path("cells/<uuid:cell_id>/partners/add/", views.organisation_add, name="organisation_add"),
    path(
        "cells/<uuid:cell_id>/partners/<uuid:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "cells/<uuid:cell_id>/partners/<uuid:organisation_id>/contacts/add/",
        views.contact_add,
        name="contact_add",
    ),
    path(
        "cells/<uuid:cell_id>/contacts/<uuid:contact_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("cells/<uuid:cell_id>/links/add/", views.link_add, name="link_add"),
    path(
        "cells/<uuid:cell_id>/links/<uuid:link_id>/remove/", views.link_remove, name="link_remove"
    ),
]

map_urls = [
    path("cells/<uuid:cell_id>/map/", views.partner_map, name="map"),
    path("cells/<uuid:cell_id>/map/data/", views.partner_map_data, name="map_data"),
    path("cells/<uuid:cell_id>/map/export.csv", views.partner_map_csv, name="map_csv"),
    path("support/cells/<uuid:cell_id>/map/", views.shared_map, name="shared_map"),
    path("support/cells/<uuid:cell_id>/map/data/", views.shared_map_data, name="shared_map_data"),
    path(
        "support/cells/<uuid:cell_id>/map/export.csv",
        views.shared_map_csv,
        name="shared_map_csv",
    ),
]

urlpatterns = partner_urls + map_urls
