"""Who reads what: every reader against every audience and status, on every public surface."""

from __future__ import annotations

import pytest

from vangnet.knowledge.models import Audience, ItemKind, ItemStatus
from vangnet.knowledge.search import items_search

from .conftest import add_file

pytestmark = pytest.mark.django_db

# Item key -> (audience, status). Titles are "Matrix <key>" and every body holds "matrixwoord".
ITEMS = {
    "public": (Audience.PUBLIC, ItemStatus.PUBLISHED),
    "members": (Audience.MEMBERS, ItemStatus.PUBLISHED),
    "staff": (Audience.STAFF, ItemStatus.PUBLISHED),
    "draft": (Audience.PUBLIC, ItemStatus.DRAFT),
    "archived": (Audience.PUBLIC, ItemStatus.ARCHIVED),
}
# Reader -> items whose page (and files) the reader may open.
OPENS = {
    "anonymous": {"public"},
    "olaf": {"public"},
    "pim": {"public", "members"},
    "mona": {"public", "members"},
    "vera": {"public", "members", "staff", "draft", "archived"},
}
# Lists, search results and related lists show published items only, even to VVSG staff.
LISTS = {reader: opens & {"public", "members", "staff"} for reader, opens in OPENS.items()}
# Titles that contain no other title (no "Matrix public" inside "Matrix public draft").
TITLES = {key: f"Matrix {key.upper()}item" for key in ITEMS}


@pytest.fixture
def matrix(personas, make_item):
    items = {
        key: make_item(
            TITLES[key],
            kind=ItemKind.DOCUMENT,
            audience=audience,
            status=status,
            body="<p>Een matrixwoord in de tekst.</p>",
        )
        for key, (audience, status) in ITEMS.items()
    }
    for item in items.values():
        add_file(item, personas.vera)
    # The public item is related to all the others.
    items["public"].related.set([i for key, i in items.items() if key != "public"])
    return items


def user_of(personas, name):
    return None if name == "anonymous" else getattr(personas, name)


@pytest.mark.parametrize("name", OPENS)
def test_it_lists_only_what_the_reader_may_see(personas, matrix, reader, name):
    content = reader(user_of(personas, name)).get("/knowledge/").content.decode()
    shown = {key for key, title in TITLES.items() if title in content}
    assert shown == LISTS[name]


@pytest.mark.parametrize("name", OPENS)
def test_it_opens_only_what_the_reader_may_see(personas, matrix, reader, name):
    client = reader(user_of(personas, name))
    for key, item in matrix.items():
        response = client.get(f"/knowledge/{item.pk}/")
        assert response.status_code == (200 if key in OPENS[name] else 404), key


@pytest.mark.parametrize("name", OPENS)
def test_it_serves_files_only_of_items_the_reader_may_see(personas, matrix, reader, name):
    client = reader(user_of(personas, name))
    for key, item in matrix.items():
        item_file = item.files.get()
        response = client.get(f"/knowledge/{item.pk}/files/{item_file.pk}/")
        assert response.status_code == (200 if key in OPENS[name] else 404), key
        item_file.refresh_from_db()
        assert item_file.downloads == (1 if key in OPENS[name] else 0), key


@pytest.mark.parametrize("name", OPENS)
def test_it_shows_only_visible_related_items(personas, matrix, reader, name):
    response = reader(user_of(personas, name)).get(f"/knowledge/{matrix['public'].pk}/")
    content = response.content.decode()
    shown = {key for key, title in TITLES.items() if title in content} - {"public"}
    assert shown == LISTS[name] - {"public"}


@pytest.mark.parametrize("name", OPENS)
def test_it_searches_only_what_the_reader_may_see(personas, matrix, reader, name):
    user = user_of(personas, name)
    found = {item.title for item in items_search("matrixwoord", user=user)}
    assert found == {TITLES[key] for key in LISTS[name]}
    content = reader(user).get("/knowledge/", {"q": "matrixwoord"}).content.decode()
    shown = {key for key, title in TITLES.items() if title in content}
    assert shown == LISTS[name]
    count = len(LISTS[name])
    assert f"{count} item{'s' if count != 1 else ''} found" in content  # counts leak nothing


def test_it_does_not_count_hidden_items_for_anonymous_visitors(personas, make_item, reader):
    for number in range(25):
        make_item(f"Ledenitem {number}", audience=Audience.MEMBERS)
    make_item("Publiek item")
    content = reader(None).get("/knowledge/").content.decode()
    assert "Publiek item" in content
    assert "Ledenitem" not in content
    assert "Page 1 of" not in content  # 26 items would need two pages; one is visible


def test_it_gives_404_for_a_file_of_another_item(personas, matrix, reader):
    other_file = matrix["members"].files.get()
    response = reader(None).get(f"/knowledge/{matrix['public'].pk}/files/{other_file.pk}/")
    assert response.status_code == 404


def test_it_gives_404_for_an_unknown_item(reader):
    assert reader(None).get("/knowledge/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_an_ended_membership_loses_the_members_items(personas, matrix, reader):
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from vangnet.cells.models import Membership

    client = reader(personas.pim)
    members = matrix["members"]
    assert client.get(f"/knowledge/{members.pk}/").status_code == 200
    with scopes_disabled():
        Membership.objects.filter(user=personas.pim).update(ended_at=timezone.now())
    assert client.get(f"/knowledge/{members.pk}/").status_code == 404
    item_file = members.files.get()
    assert client.get(f"/knowledge/{members.pk}/files/{item_file.pk}/").status_code == 404
    content = client.get("/knowledge/").content.decode()
    assert TITLES["public"] in content
    assert TITLES["members"] not in content
    content = client.get("/knowledge/", {"q": "matrixwoord"}).content.decode()
    assert "1 item found" in content
    assert TITLES["members"] not in content
    assert {i.title for i in items_search("matrixwoord", user=personas.pim)} == {TITLES["public"]}
    assert "/knowledge/practices/new/" not in content  # no longer a local-government user
