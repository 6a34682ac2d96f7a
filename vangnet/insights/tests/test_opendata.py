from __future__ import annotations

import csv
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from vangnet.audit.models import AuditEvent
from vangnet.insights import opendata
from vangnet.insights.tests._data import fig, sample, sample_areas

NOW = "2025-06-01 10:00 +02:00"


@pytest.fixture
def fake_compute(monkeypatch):
    def areas(year):
        flanders, provinces = sample_areas(year)
        return [flanders, *provinces]

    monkeypatch.setattr(opendata, "opendata_insights", areas)


def test_it_publishes_only_public_figures_and_series():
    rows = list(opendata.public_rows([sample(2024)]))
    keys = {row["key"] for row in rows}
    assert keys == {
        "cells_active",
        "partner_share",
        "helpdesk_questions",
        "meetings_by_type",
        "cells_trend",
    }
    assert "internal_only" not in keys and "internal_series" not in keys


def test_it_csv_has_empty_values_and_a_flag_for_suppressed_figures():
    flanders, provinces = sample_areas(2024)
    text = opendata.figures_csv([flanders, *provinces])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == opendata.CSV_COLUMNS
    by_key = {(r["area"], r["key"], r["breakdown"]): r for r in rows}
    assert by_key[("flanders", "cells_active", "")]["value"] == "42"
    suppressed = by_key[("flanders", "helpdesk_questions", "")]
    assert suppressed["value"] == "" and suppressed["suppressed"] == "true"
    assert by_key[("10000", "cells_active", "")]["area_name"] == "Antwerpen"
    assert by_key[("flanders", "meetings_by_type", "Strategic")]["suppressed"] == "true"
    assert {r["area"] for r in rows} == {"flanders", "10000", "20001", "30000", "40000", "70000"}


def test_it_neutralises_formulas_in_the_csv():
    insights = sample(2024)
    insights.series[0].rows.append(("=cmd|' /C calc'!A0", fig("meetings_by_type", 3)))
    text = opendata.figures_csv([insights])
    assert "'=cmd|" in text
    assert "\n=cmd" not in text and ",=cmd" not in text


def test_it_json_has_null_for_suppressed_values_and_keeps_non_ascii():
    flanders = sample(2024)
    flanders.series[0].rows.append(("Overleg café", fig("meetings_by_type", 9)))
    document = json.loads(opendata.figures_json([flanders]))
    assert document["year"] == 2024
    assert document["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    rows = {(r["key"], r["breakdown"]): r for r in document["figures"]}
    assert rows[("helpdesk_questions", "")] == {
        "year": 2024,
        "area": "flanders",
        "area_name": "Vlaanderen",
        "key": "helpdesk_questions",
        "breakdown": "",
        "breakdown_label": "",
        "value": None,
        "unit": "",
        "suppressed": True,
    }
    assert rows[("partner_share", "")]["value"] == 61.5
    assert "Overleg café" in opendata.figures_json([flanders])


def test_it_has_a_complete_dictionary_entry_for_every_key():
    assert opendata.DICTIONARY, "the dictionary is empty"
    for key, entry in opendata.DICTIONARY.items():
        assert key and entry.label_nl and entry.label_en, key
        assert entry.definition_nl and entry.definition_en, key


@time_machine.travel(NOW)
def test_it_publishes_2018_up_to_last_year_only():
    assert list(opendata.opendata_years()) == list(range(2018, 2025))


# --- Views (public, no login) -----------------------------------------------------------------


@time_machine.travel(NOW)
@pytest.mark.django_db
def test_it_serves_csv_and_json_without_login(fake_compute):
    client = Client()
    response = client.get("/open-data/figures-2024.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "vangnet-figures-2024.csv" in response["Content-Disposition"]
    assert "cells_active" in response.content.decode()
    response = client.get("/open-data/figures-2024.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert len(json.loads(response.content)["figures"]) > 5
    assert "no-store" in response["Cache-Control"]  # the project's rule stays


@time_machine.travel(NOW)
@pytest.mark.django_db
def test_a_published_year_is_frozen_and_only_replaced_on_purpose(monkeypatch):
    calls: list[int] = []
    value = {"cells_total": 7}

    def areas(year):
        calls.append(year)
        flanders, provinces = sample_areas(year)
        flanders.figures[0] = fig("cells_total", value["cells_total"], public=True)
        return [flanders, *provinces]

    monkeypatch.setattr(opendata, "opendata_insights", areas)
    client = Client()
    first = client.get("/open-data/figures-2024.csv").content
    assert b"cells_total" in first and b",7," in first
    value["cells_total"] = 8  # e.g. a cell stopped sharing: a past year must not move
    assert client.get("/open-data/figures-2024.csv").content == first
    assert b'"value": 7' in client.get("/open-data/figures-2024.json").content
    assert calls == [2024]  # computed once, both files stored
    assert AuditEvent.objects.filter(action="insights.opendata.published").count() == 1

    call_command("opendata_publish", "--year", "2024", "--replace", stdout=io.StringIO())
    assert b",8," in client.get("/open-data/figures-2024.csv").content
    replaced = AuditEvent.objects.get(action="insights.opendata.replaced")
    assert replaced.data == {"year": 2024, "by": "manage.py opendata_publish"}
    out = io.StringIO()
    call_command("opendata_publish", stdout=out)  # every published year not yet stored
    assert "2024: already published (unchanged)." in out.getvalue()
    assert "2023: published." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("opendata_publish", "--year", "2025", "--replace")  # not published yet


@time_machine.travel(NOW)
@pytest.mark.django_db
def test_it_answers_head_requests_for_open_data(fake_compute):
    client = Client()
    for path in ("/open-data/", "/open-data/figures-2024.csv", "/open-data/dictionary.json"):
        assert client.head(path).status_code == 200, path


@time_machine.travel("2026-02-27 10:00 +01:00")
@pytest.mark.django_db
def test_a_year_is_published_from_the_first_of_march():
    assert list(opendata.opendata_years())[-1] == 2024
    with time_machine.travel("2026-03-01 00:30 +01:00"):
        assert list(opendata.opendata_years())[-1] == 2025


@time_machine.travel(NOW)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/open-data/figures-2017.csv",
        "/open-data/figures-2025.csv",  # the current year is not over
        "/open-data/figures-2026.json",
        "/open-data/figures-1.json",
    ],
)
def test_it_404s_for_unpublished_years(fake_compute, path):
    assert Client().get(path).status_code == 404


@time_machine.travel(NOW)
@pytest.mark.django_db
def test_it_serves_the_data_dictionary_as_json_and_html(settings):
    settings.LANGUAGE_CODE = "en"
    client = Client()
    document = json.loads(client.get("/open-data/dictionary.json").content)
    keys = [entry["key"] for entry in document["figures"]]
    assert keys == sorted(opendata.DICTIONARY)
    assert set(document["figures"][0]) == {
        "key",
        "label_nl",
        "label_en",
        "definition_nl",
        "definition_en",
        "unit",
    }
    assert "onderdrukt" in document["suppression"]["nl"]
    with translation.override("en"):
        page = client.get("/open-data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "CC BY 4.0" in html and "figures-2024.csv" in html and "figures-2025" not in html
    for key in opendata.DICTIONARY:
        assert key in html
    assert "<script>" not in html and " style=" not in html


@time_machine.travel(NOW)
def test_it_has_a_dictionary_entry_for_every_public_key_the_metrics_report(personas):
    """A new public figure in metrics.py cannot be published without a definition."""
    areas = opendata.opendata_insights(2024)
    keys = opendata.public_keys(areas)
    assert {"cells_total", "meetings_by_kind", "trend_cells"} <= keys
    missing = keys - set(opendata.DICTIONARY)
    assert not missing, f"public keys without a dictionary entry: {sorted(missing)}"
    stale = set(opendata.DICTIONARY) - keys
    assert not stale, f"dictionary entries for keys that are not public: {sorted(stale)}"


@time_machine.travel(NOW)
def test_it_publishes_real_figures_with_stable_breakdown_keys_and_dutch_labels(personas):
    with translation.override("en"):
        document = json.loads(opendata.figures_json(opendata.opendata_insights(2024)))
    rows = document["figures"]
    assert {r["key"] for r in rows} <= set(opendata.DICTIONARY)
    kinds = {r["breakdown"]: r["breakdown_label"] for r in rows if r["key"] == "meetings_by_kind"}
    assert kinds["case"]  # the Dutch label (once translated), the key stays "case"
    areas = {r["area"] for r in rows}
    assert areas == {"flanders", "10000", "20001", "30000", "40000", "70000"}
    # The two persona cells are below the threshold: cell figures are suppressed, not 0.
    cells = next(r for r in rows if r["key"] == "cells_total" and r["area"] == "flanders")
    assert cells["value"] is None and cells["suppressed"] is True
