from __future__ import annotations

from django.urls import URLPattern, path

from vangnet.insights import exports, views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    # VVSG dashboard (views.py).
    path("support/insights/", views.dashboard, name="dashboard"),
    # Annual report and open data (exports.py).
    path("support/insights/report/", exports.report_page, name="report"),
    path("support/insights/report/<int:year>.pdf", exports.report_pdf, name="report_pdf"),
    path("support/insights/report/<int:year>.xlsx", exports.report_xlsx, name="report_xlsx"),
    path("open-data/", exports.opendata_index, name="opendata"),
    path("open-data/figures-<int:year>.csv", exports.opendata_csv, name="opendata_csv"),
    path("open-data/figures-<int:year>.json", exports.opendata_json, name="opendata_json"),
    path("open-data/dictionary.json", exports.opendata_dictionary, name="opendata_dictionary"),
]
