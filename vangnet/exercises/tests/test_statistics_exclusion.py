"""A sandbox counts in no statistic and admits nobody to anything outside itself.

One test per place that aggregates over cells or admits people because of a cell membership.
The shared rule is ``Cell.objects.real()`` / ``Membership.objects.real()`` in cells/models.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cases.models import Case
from vangnet.cells.context_processors import navigation
from vangnet.cells.models import Cell, CellProfile, Membership, Role
from vangnet.cells.services import cell_create, membership_add
from vangnet.coaching import overview
from vangnet.coaching.forms import TrajectoryForm
from vangnet.coaching.models import CoachingCategory, Trajectory
from vangnet.coaching.services import trajectory_create
from vangnet.events import services as event_services
from vangnet.events.access import viewer_for
from vangnet.events.models import EventAudience
from vangnet.exercises.services import exercise_role_set
from vangnet.exercises.tests.conftest import make_tabletop, open_with
from vangnet.forum.access import forum_access
from vangnet.helpdesk import services as helpdesk_services
from vangnet.helpdesk.access import asker_municipality_codes, can_ask, municipalities_for_asker
from vangnet.knowledge.access import (
    audiences_for,
    audiences_for_request,
    is_local_government_user,
)
from vangnet.knowledge.services import practice_municipalities
from vangnet.scans import services as scan_services
from vangnet.scans.models import Round
from vangnet.tests_support.personas import make_user, sign_in


def _coordinator_in_sandbox_only(personas):
    """Pim is a partner in Mechelen and the coordinator of a sandbox."""
    exercise = open_with(personas, [personas.pim])
    with scopes_disabled():
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
    exercise_role_set(
        exercise=exercise, membership=membership, role=Role.COORDINATOR, user=personas.vera
    )
    return exercise


def _sandbox_only_user(personas):
    """Someone whose only membership is in a sandbox (their real membership ended)."""
    exercise = open_with(personas, [personas.alice])
    user = make_user("alleen.oefening@example.org", "Alleen Oefening")
    membership_add(cell=exercise.cell, user=user, role=Role.COORDINATOR)
    return exercise, user


def _closed_round(cell, user, value):
    with scope(cell=cell.pk):
        scan_round = scan_services.round_open(
            cell=cell, title=f"Ronde {value}", does_case_management=True, opened_by=user
        )
        invitation = scan_services.RespondentInvitation.objects.create(
            cell=cell, round=scan_round, token_hash=f"{cell.pk}-{value}", role="member"
        )
    definition = scan_round.template.definition
    answers = {
        (m["key"], s, i["key"]): (value, "")
        for m in definition["modules"]
        for s in (m["situations"] or [""])
        for i in m["indicators"]
        if i["kind"] == "likert"
    }
    scan_services.response_submit(invitation=invitation, answers=answers)
    with scope(cell=cell.pk):
        scan_services.round_close(scan_round=scan_round, user=user)
    return scan_round


# --- Statistics --------------------------------------------------------------------------------


def test_a_sandbox_with_five_closed_scan_rounds_does_not_change_the_benchmark(personas):
    from vangnet.cells.models import Municipality

    codes = list(Municipality.objects.order_by("nis_code").values_list("nis_code", flat=True))
    with scopes_disabled():
        real = [cell_create(name=f"Cel {i}", nis_codes=[codes[i]]) for i in range(4)]
    rounds = [_closed_round(cell, personas.alice, 3) for cell in real]
    with scope(cell=real[0].pk):
        before = scan_services.benchmark(rounds[0])
    exercise = open_with(personas, [personas.alice])
    for value in range(1, 6):
        _closed_round(exercise.cell, personas.alice, value)
    with scope(cell=real[0].pk):
        after = scan_services.benchmark(rounds[0])
    assert after == before
    assert all(v["flanders"] is None and v["flanders_cells"] == 4 for v in after.values())


def test_the_vvsg_support_page_lists_no_sandbox_and_counts_no_coverage(personas, client):
    exercise = open_with(personas, [personas.alice])
    sandbox_round = _closed_round(exercise.cell, personas.alice, 4)
    with scopes_disabled():
        Round.objects.filter(pk=sandbox_round.pk).update(shared_with_vvsg=True)
        CellProfile.objects.filter(cell=exercise.cell).update(map_shared_with_vvsg=True)
    sign_in(client, personas.vera)
    response = client.get("/support/")
    html = response.content.decode()
    assert exercise.cell.name not in html
    assert {c.pk for c in response.context["cells"]} == {
        c.pk for c in Cell.objects.filter(is_sandbox=False)
    }
    assert all(r.cell_id != exercise.cell_id for r in response.context["shared_rounds"])
    assert exercise.cell_id not in response.context["shared"]
    assert client.get(f"/support/cells/{exercise.cell_id}/map/").status_code == 404


def test_helpdesk_statistics_are_unchanged_and_a_sandbox_gives_no_municipality(personas):
    year = timezone.localdate().year
    before = helpdesk_services.statistics_for_year(year)
    alice_before = municipalities_for_asker(personas.alice)
    exercise = _coordinator_in_sandbox_only(personas)
    assert helpdesk_services.statistics_for_year(year) == before
    assert municipalities_for_asker(personas.alice) == alice_before
    assert all(c.cell.pk != exercise.cell_id for c in municipalities_for_asker(personas.pim))


def test_coaching_overview_and_pickers_leave_sandboxes_out(personas):
    with scopes_disabled():
        trajectory_create(
            coach=personas.vera,
            title="Opstart",
            category=CoachingCategory.values[0],
            cells=[personas.mechelen],
            started_on=timezone.localdate(),
            actor=personas.vera,
        )
    everything = Trajectory.objects.all()
    before = (overview.municipalities_reached(everything), overview.reach_per_province(everything))
    exercise = open_with(personas, [personas.alice])
    assert (
        overview.municipalities_reached(everything),
        overview.reach_per_province(everything),
    ) == before
    picker = TrajectoryForm().fields["cells"].queryset
    assert exercise.cell not in picker and personas.mechelen in picker
    with pytest.raises(ValidationError):
        trajectory_create(
            coach=personas.vera,
            title="Oefening",
            category=CoachingCategory.values[0],
            cells=[exercise.cell],
            started_on=timezone.localdate(),
            actor=personas.vera,
        )


def test_real_cells_are_what_statistics_count(personas):
    exercise = open_with(personas, [personas.alice])
    assert exercise.cell not in Cell.objects.real()
    with scopes_disabled():
        assert not Membership.objects.real().filter(cell=exercise.cell).exists()
        assert Membership.objects.real().filter(cell=personas.mechelen).exists()


# --- Rules that admit people elsewhere -------------------------------------------------------


def test_a_sandbox_coordinator_cannot_register_for_a_coordinators_only_event(personas):
    _coordinator_in_sandbox_only(personas)
    event = make_tabletop(
        personas.vera, title="Coordinatorendag", audience=EventAudience.COORDINATORS, days=20
    )
    assert not viewer_for(personas.pim).is_coordinator
    with pytest.raises(ValidationError):
        event_services.registration_create(event=event, user=personas.pim)
    assert viewer_for(personas.alice).is_coordinator  # a real coordinator still may


def test_a_sandbox_coordinator_does_not_see_the_coordinators_forum_space(personas):
    _coordinator_in_sandbox_only(personas)
    access = forum_access(personas.pim)
    assert access.is_member and not access.is_coordinator and not access.is_case_manager


def test_a_sandbox_case_manager_does_not_join_the_case_managers_space(personas):
    from vangnet.cases.services import participant_add

    exercise = open_with(personas, [personas.pim])
    with scopes_disabled():
        case = Case.objects.get(cell=exercise.cell)
        participant_add(
            case=case, reason="Oefening", user=personas.vera, person=personas.pim,
            is_case_manager=True,
        )  # fmt: skip
    assert not forum_access(personas.pim).is_case_manager


def test_a_sandbox_only_membership_admits_to_nothing_outside(personas, rf: RequestFactory):
    exercise, user = _sandbox_only_user(personas)
    assert not is_local_government_user(user)
    assert audiences_for(user) == ["public"]
    assert not can_ask(user)
    assert asker_municipality_codes(user) == set()
    assert practice_municipalities(user) == []
    assert not forum_access(user).is_member
    viewer = viewer_for(user)
    assert not viewer.is_local and not viewer.is_coordinator
    request = rf.get("/")
    request.user = user
    context = navigation(request)
    assert context["nav_local_government"] is False
    assert [c.pk for c in context["nav_cells"]] == [exercise.cell_id]  # the sandbox itself works
    assert audiences_for_request(request) == ["public"]


def test_a_participant_keeps_their_real_standing(personas):
    _coordinator_in_sandbox_only(personas)
    assert is_local_government_user(personas.pim)
    assert {m.nis_code for m in practice_municipalities(personas.pim)} == {"12025"}
    assert asker_municipality_codes(personas.pim) == {"12025"}


def test_an_exercise_event_cancelled_later_leaves_no_statistic_behind(personas):
    exercise = open_with(personas, [personas.alice], days=2)
    event_services.event_cancel(event=exercise.event, actor=personas.vera)
    assert not Cell.objects.filter(is_sandbox=True).exists()
    assert timezone.now() < exercise.event.ends_at + dt.timedelta(days=1)
