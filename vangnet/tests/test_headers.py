from __future__ import annotations

import re

import pytest

from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def test_it_sends_security_headers_on_the_login_page(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_it_forbids_caching_authenticated_pages(personas, client):
    sign_in(client, personas.alice)
    response = client.get("/account/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_has_no_inline_script_or_style_in_pages(personas, client):
    sign_in(client, personas.alice)
    pages = (
        "/login/",
        "/account/",
        "/account/mfa/replace/",
        "/account/password/",
        f"/cells/{personas.mechelen.pk}/",
    )
    for path in pages:
        body = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), path
        assert not re.search(r"\son[a-z]+\s*=", body), path
        assert not re.search(r"<[a-z]+[^>]*\sstyle=", body), path


def test_it_rejects_an_oversized_post_with_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/login/", {"email": "a@example.org", "password": "x" * 5000})
    assert response.status_code == 400


def test_it_speaks_dutch_by_default(client):
    response = client.get("/login/")
    assert 'lang="nl"' in response.content.decode()
    assert "Aanmelden" in response.content.decode()


def test_it_speaks_dutch_to_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Aanmelden" in response.content.decode()


def test_it_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in" in client.get("/login/").content.decode()


def test_it_serves_the_vendored_assets_without_login(client):
    for path in (
        "/static/vendor/pico/pico.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/chartjs/chart.umd.min.js",
        "/static/vendor/cytoscape/cytoscape.min.js",
        "/static/vangnet/app.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
