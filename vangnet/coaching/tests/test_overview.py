from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from vangnet.cells.models import Province
from vangnet.cells.services import cell_create
from vangnet.coaching import overview, services
from vangnet.coaching.models import Trajectory
from vangnet.coaching.tests.conftest import make_trajectory
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(personas):
    """Mechelen (Antwerpen) twice, Wingene (West-Vlaanderen) once, a joint cell of two
    Antwerp municipalities once."""
    with scopes_disabled():
        joint = cell_create(name="LIVC R Rupel", nis_codes=["11002", "11001"])
    first = make_trajectory(personas, title="Een", category="reactivate")
    make_trajectory(
        personas, title="Twee", category="optimise", cells=[personas.mechelen, personas.wingene]
    )
    third = make_trajectory(personas, title="Drie", category="start_up", cells=[joint])
    services.trajectory_status_set(trajectory=first, status="active", actor=personas.vera)
    services.trajectory_status_set(trajectory=third, status="closed", actor=personas.vera)
    return joint


def test_it_counts_trajectories_by_category_and_status(personas, spread):
    rows = {row.category: row for row in overview.category_status_counts(Trajectory.objects.all())}
    # Status order: planned, active, paused, closed.
    assert rows["reactivate"].counts == [0, 1, 0, 0]
    assert rows["optimise"].counts == [1, 0, 0, 0]
    assert rows["start_up"].counts == [0, 0, 0, 1]
    assert rows["monitor"].total == 0


def test_it_counts_each_municipality_once(personas, spread):
    assert overview.municipalities_reached(Trajectory.objects.all()) == 4


def test_it_counts_the_reach_per_province(personas, spread):
    rows = {row.code: row for row in overview.reach_per_province(Trajectory.objects.all())}
    antwerpen = rows[Province.ANTWERPEN]
    assert (antwerpen.trajectories, antwerpen.cells, antwerpen.municipalities) == (3, 2, 3)
    west = rows[Province.WEST_VLAANDEREN]
    assert (west.trajectories, west.cells, west.municipalities) == (1, 1, 1)
    limburg = rows[Province.LIMBURG]
    assert (limburg.trajectories, limburg.cells, limburg.municipalities) == (0, 0, 0)


def test_the_overview_page_filters_the_list(personas, client, spread):
    sign_in(client, personas.vera)
    url = reverse("coaching:index")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["municipalities_reached"] == 4
    assert {t.title for t in response.context["trajectories"]} == {"Een", "Twee", "Drie"}

    def titles(**params):
        return {t.title for t in client.get(url, params).context["trajectories"]}

    assert titles(category="optimise") == {"Twee"}
    assert titles(status="closed") == {"Drie"}
    assert titles(province=Province.WEST_VLAANDEREN) == {"Twee"}
    assert titles(coach=personas.vera.pk) == {"Een", "Twee", "Drie"}
    # A bad filter value is ignored with an error, never a 500.
    response = client.get(url, {"status": "nonsense"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert {t.title for t in response.context["trajectories"]} == {"Een", "Twee", "Drie"}


def test_the_overview_shows_an_empty_state(personas, client):
    sign_in(client, personas.vera)
    response = client.get(reverse("coaching:index"))
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_the_overview_does_not_grow_in_queries_with_data(
    personas, client, django_assert_max_num_queries
):
    sign_in(client, personas.vera)
    url = reverse("coaching:index")
    make_trajectory(personas, title="A")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(6):
        make_trajectory(
            personas,
            title=f"T{i}",
            cells=[personas.mechelen, personas.wingene],
            started_on=datetime.date(2026, 1, 1 + i),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["trajectories"]) == 7


def test_the_cell_list_does_not_grow_in_queries_with_data(
    personas, client, django_assert_max_num_queries
):
    sign_in(client, personas.alice)
    url = reverse("coaching:cell_trajectories", kwargs={"cell_id": personas.mechelen.pk})
    make_trajectory(personas, title="A")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(5):
        make_trajectory(personas, title=f"T{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
