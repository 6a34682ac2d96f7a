"""Page hygiene: no inline script or style (CSP), pagination, and the links per role."""

from __future__ import annotations

import re

import pytest

from vangnet.knowledge.models import Audience, ItemKind, ItemStatus

from .conftest import add_file

pytestmark = pytest.mark.django_db


def assert_no_inline_code(body: str, path: str) -> None:
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), path
    assert not re.search(r"\son[a-z]+\s*=", body), path
    assert not re.search(r"<[a-z]+[^>]*\sstyle=", body), path


def test_it_has_no_inline_script_or_style(personas, reader, make_item):
    item = make_item("Sjabloon", kind=ItemKind.TEMPLATE, body="<p>Tekst</p>", tags=["x"])
    add_file(item, personas.vera)
    make_item("Verwant", related=[item])
    pages = {
        None: ["/knowledge/", "/knowledge/?q=sjabloon", f"/knowledge/{item.pk}/"],
        personas.vera: [
            "/knowledge/",
            f"/knowledge/{item.pk}/",
            "/knowledge/new/",
            f"/knowledge/{item.pk}/edit/",
            f"/knowledge/{item.pk}/files/new/",
            "/knowledge/manage/",
            "/knowledge/practices/review/",
        ],
        personas.mona: ["/knowledge/", "/knowledge/practices/new/", "/knowledge/practices/mine/"],
    }
    for user, paths in pages.items():
        client = reader(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_no_inline_code(response.content.decode(), path)


def test_it_pages_the_list_by_twenty(reader, make_item):
    for number in range(23):
        make_item(f"Nieuws {number:02d}", kind=ItemKind.NEWS)
    client = reader(None)
    first = client.get("/knowledge/", {"kind": "news"}).content.decode()
    assert first.count("<h3>") == 20
    assert "Page 1 of 2" in first
    assert "kind=news&amp;page=2" in first
    second = client.get("/knowledge/", {"kind": "news", "page": "2"}).content.decode()
    assert second.count("<h3>") == 3
    assert client.get("/knowledge/", {"page": "999"}).status_code == 200
    assert client.get("/knowledge/", {"page": "x"}).status_code == 200


def test_it_offers_each_role_its_own_links(personas, reader):
    anonymous = reader(None).get("/knowledge/").content.decode()
    assert "/knowledge/practices/new/" not in anonymous
    assert "/knowledge/new/" not in anonymous
    olaf = reader(personas.olaf).get("/knowledge/").content.decode()
    assert "/knowledge/practices/new/" not in olaf
    mona = reader(personas.mona).get("/knowledge/").content.decode()
    assert "/knowledge/practices/new/" in mona
    vera = reader(personas.vera).get("/knowledge/").content.decode()
    assert "/knowledge/new/" in vera
    assert "/knowledge/practices/review/" in vera


def test_it_only_answers_get_on_public_pages(reader, make_item):
    item = make_item("Publiek", audience=Audience.PUBLIC, status=ItemStatus.PUBLISHED)
    client = reader(None)
    assert client.post("/knowledge/").status_code == 405
    assert client.post(f"/knowledge/{item.pk}/").status_code == 405
