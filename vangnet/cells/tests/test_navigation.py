"""The layout's links come from the navigation context processor, reversed once."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from vangnet.cells.context_processors import CELL_URLS, SITE_URLS, _cell_urls, navigation
from vangnet.lib.urls import urlconf_key
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def test_it_gives_the_same_links_as_reverse() -> None:
    request = RequestFactory().get("/")
    urls = navigation(request)["nav_urls"]
    for key, name in SITE_URLS.items():
        assert urls[key] == reverse(name)
    assert urls["knowledge"] == reverse("knowledge:index")


def test_it_gives_each_cell_its_own_links() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    for cell_id in (first, second):
        urls = _cell_urls(urlconf_key(), cell_id)
        for key, name in CELL_URLS.items():
            assert urls[key] == reverse(name, kwargs={"cell_id": cell_id})


def test_it_follows_the_script_prefix() -> None:
    request = RequestFactory().get("/")
    try:
        set_script_prefix("/vangnet/")
        prefixed = navigation(request)["nav_urls"]["home"]
    finally:
        set_script_prefix("/")
    assert prefixed.startswith("/vangnet/")
    assert navigation(request)["nav_urls"]["home"] == reverse("home")


def test_the_cell_menu_links_to_the_current_cell(personas, client) -> None:
    sign_in(client, personas.alice)
    body = client.get(f"/cells/{personas.mechelen.pk}/cases/").content.decode()
    assert f'href="/cells/{personas.mechelen.pk}/signals/"' in body
    assert f'href="/cells/{personas.mechelen.pk}/meetings/"' in body
    assert 'href=""' not in body


def test_an_anonymous_page_has_its_links(client) -> None:
    body = client.get("/login/").content.decode()
    assert f'href="{reverse("home")}"' in body
    assert 'href=""' not in body
