"""Municipal staff use the support desk, knowledge base and forum, never the cell's pages."""

from __future__ import annotations

import pytest
from django.http import Http404
from django_scopes import scopes_disabled

from vangnet.cells.access import cell_for_user, memberships_for_user
from vangnet.knowledge.access import (
    audiences_for,
    audiences_for_request,
    is_local_government_user,
)
from vangnet.scans.services import size_band
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

CELL_PAGES = ["", "members/", "partners/", "signals/", "cases/", "meetings/", "history/"]


@pytest.mark.parametrize("page", CELL_PAGES)
def test_it_hides_every_cell_page_from_municipal_staff(personas, client, page):
    sign_in(client, personas.mona)
    assert client.get(f"/cells/{personas.mechelen.pk}/{page}").status_code == 404


def test_municipal_staff_have_no_cell_access_but_are_local_government(personas):
    with pytest.raises(Http404):
        cell_for_user(personas.mona, personas.mechelen.pk)
    assert memberships_for_user(personas.mona) == []
    assert is_local_government_user(personas.mona)
    assert "members" in audiences_for(personas.mona)
    assert not is_local_government_user(personas.olaf)


def test_their_home_is_the_helpdesk(personas, client):
    sign_in(client, personas.mona)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/helpdesk/"


def test_they_do_not_count_as_cell_members(personas):
    with scopes_disabled():
        # Alice, Bob, Ilse and Pim: four people run or take part in the cell, Mona does not.
        assert size_band(personas.mechelen) == "small"


@pytest.mark.parametrize(
    ("persona", "expected", "queries"),
    [
        ("alice", ["public", "members"], 1),  # the cell memberships tell: no second query
        ("mona", ["public", "members"], 2),  # municipal staff: their membership is looked up
        ("olaf", ["public"], 2),
        ("vera", ["public", "members", "staff"], 0),
    ],
)
def test_the_audiences_of_a_request_match_the_users_with_at_most_one_membership_query(
    personas, rf, django_assert_num_queries, persona, expected, queries
):
    user = getattr(personas, persona)
    assert audiences_for(user) == expected
    request = rf.get("/knowledge/")
    request.user = user
    with django_assert_num_queries(queries):
        assert audiences_for_request(request) == expected
        assert audiences_for_request(request) == expected  # remembered for the request
