"""Need-to-know, generated from one table: actor x operation → expected answer.

"list" means: does the case appear in the actor's case list. The other operations are the
HTTP status of the page. 403 on a coordinator-only page is independent of the case (a random
case id gives the same 403), so it reveals nothing; opening a case one may not see is 404.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from vangnet.cases.models import Case
from vangnet.cases.services import case_open, participant_add
from vangnet.cells.services import membership_add
from vangnet.network.models import Organisation
from vangnet.network.services import organisation_create
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db

OPERATIONS = ("list", "detail", "edit", "close", "export", "access_log")
PATHS = {
    "detail": "",
    "edit": "edit/",
    "close": "close/",
    "export": "export/",
    "access_log": "access-log/",
}

# actor: (list, detail, edit, close, export, access_log)
MATRIX = {
    "coordinator": (True, 200, 200, 200, 200, 200),
    "deputy": (True, 200, 200, 200, 200, 200),
    "mayor": (True, 200, 403, 403, 403, 403),
    "information_officer": (True, 200, 403, 403, 403, 403),
    "participant": (True, 200, 403, 403, 403, 403),
    "member_not_on_case": (False, 404, 403, 403, 403, 404),
    "dpo": (False, 404, 403, 403, 403, 200),
    "other_cell_coordinator": (False, 404, 404, 404, 404, 404),
    "vvsg_staff": (False, 404, 404, 404, 404, 404),
    "anonymous": (False, 302, 302, 302, 302, 302),
}
CANARY = "Canary Persoon Zichtbaar"


@pytest.fixture
def world(personas):
    cell = personas.mechelen
    with scope(cell=cell.pk):
        caw = Organisation.objects.get()
        clb = organisation_create(
            cell=cell, name="CLB Mechelen", sector="clb", participation="per_case"
        )
        deputy = make_user("deputy@example.org", "Dirk Deputy")
        membership_add(cell=cell, user=deputy, role="deputy_coordinator")
        outsider_member = make_user("mia@example.org", "Mia Member")
        membership_add(cell=cell, user=outsider_member, role="member", organisation=clb)
        dpo = make_user("dpo@example.org", "Dora DPO")
        membership_add(cell=cell, user=dpo, role="dpo")
        case = case_open(
            cell=cell, person_name=CANARY, person_birth_date=None, opened_by=personas.alice
        )
        participant_add(case=case, organisation=caw, reason="Begeleiding", user=personas.alice)
    actors = {
        "coordinator": personas.alice,
        "deputy": deputy,
        "mayor": personas.bob,
        "information_officer": personas.ilse,
        "participant": personas.pim,
        "member_not_on_case": outsider_member,
        "dpo": dpo,
        "other_cell_coordinator": personas.walter,
        "vvsg_staff": personas.vera,
        "anonymous": None,
    }
    return personas, case, actors


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


@pytest.mark.parametrize("actor", MATRIX)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_it_follows_the_access_matrix(world, actor, operation):
    personas, case, actors = world
    expected = MATRIX[actor][OPERATIONS.index(operation)]
    client = client_for(actors[actor])
    base = f"/cells/{personas.mechelen.pk}/cases/"
    if operation == "list":
        response = client.get(base)
        listed = response.status_code == 200 and case.code in response.content.decode()
        assert listed is expected
        assert CANARY not in response.content.decode()  # names never appear in lists
        return
    response = client.get(f"{base}{case.pk}/{PATHS[operation]}")
    assert response.status_code == expected, (actor, operation, response.status_code)
    if expected != 200:
        assert CANARY.encode() not in response.content
    if expected == 200 and operation in ("detail", "export"):
        assert CANARY.encode() in response.content


def test_it_covers_every_case_route_in_the_matrix():
    from vangnet.tests.test_urlconf import ROUTES

    case_routes = {name for name, route in ROUTES if "<uuid:case_id>/" in route}
    read_and_lifecycle = {
        "cases:case",
        "cases:edit",
        "cases:close",
        "cases:export",
        "cases:access_log",
    }
    # The other case routes are coordinator actions tested in test_case_workflow.py.
    assert read_and_lifecycle <= case_routes


class TestParticipation:
    def test_it_ends_access_when_the_participant_is_removed(self, world):
        personas, case, _actors = world
        pim = client_for(personas.pim)
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/"
        assert pim.get(url).status_code == 200
        with scope(cell=personas.mechelen.pk):
            participant = case.participants.get()
        coordinator = client_for(personas.alice)
        coordinator.post(f"{url}participants/{participant.pk}/remove/")
        assert pim.get(url).status_code == 404
        assert pim.post(f"{url}factors/").status_code in (403, 404)

    def test_it_ends_time_boxed_access_when_the_action_is_done(self, world):
        from vangnet.cases.services import action_add

        personas, case, actors = world
        mia = actors["member_not_on_case"]
        with scope(cell=personas.mechelen.pk):
            clb = Organisation.objects.get(name="CLB Mechelen")
            action = action_add(
                case=case,
                owner=clb,
                description="Schoolgesprek",
                due_date=case.opened_at.date(),
                user=personas.alice,
            )
            participant_add(
                case=case,
                organisation=clb,
                reason="Eenmalig gesprek",
                until_action=action,
                user=personas.alice,
            )
        client = client_for(mia)
        url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/"
        assert client.get(url).status_code == 200
        # The CLB closes its own action: its access ends with it.
        client.post(f"{url}actions/{action.pk}/status/", {"status": "done"})
        with scope(cell=personas.mechelen.pk):
            action.refresh_from_db()
        assert action.status == "done"
        assert client.get(url).status_code == 404
        assert personas  # unchanged for others
        assert client_for(personas.pim).get(url).status_code == 200

    def test_it_refuses_a_partner_who_left_from_posting_to_the_case(self, world):
        personas, case, _actors = world
        with scope(cell=personas.mechelen.pk):
            participant = case.participants.get()
            action_count = case.actions.count()
        client_for(personas.alice).post(
            f"/cells/{personas.mechelen.pk}/cases/{case.pk}/participants/{participant.pk}/remove/"
        )
        pim = client_for(personas.pim)
        response = pim.post(
            f"/cells/{personas.mechelen.pk}/cases/{case.pk}/actions/add/",
            {"owner": "x", "description": "y", "due_date": "2030-01-01"},
        )
        assert response.status_code in (403, 404)
        with scope(cell=personas.mechelen.pk):
            assert Case.objects.get(pk=case.pk).actions.count() == action_count


def test_it_offers_mark_done_to_managers_and_to_the_owning_organisation_only(world):
    from vangnet.cases.services import action_add, case_close

    personas, case, _actors = world
    with scope(cell=personas.mechelen.pk):
        caw = Organisation.objects.exclude(name="CLB Mechelen").get()
        clb = Organisation.objects.get(name="CLB Mechelen")
        for owner, description in ((caw, "Huisbezoek CAW"), (clb, "Gesprek CLB")):
            action_add(
                case=case,
                owner=owner,
                description=description,
                due_date=case.opened_at.date(),
                user=personas.alice,
            )
    url = f"/cells/{personas.mechelen.pk}/cases/{case.pk}/"

    def mark_done_buttons(user) -> int:
        response = client_for(user).get(url)
        assert response.status_code == 200
        return response.content.decode().count('name="status" value="done"')

    assert mark_done_buttons(personas.alice) == 2  # the coordinator runs the case
    assert mark_done_buttons(personas.pim) == 1  # the CAW's action, not the CLB's
    assert mark_done_buttons(personas.bob) == 0  # the mayor represents no owner
    with scope(cell=personas.mechelen.pk):
        case_close(case=case, reason="risk_reduced", outcome="", user=personas.alice)
    assert mark_done_buttons(personas.alice) == 0
    assert mark_done_buttons(personas.pim) == 0
