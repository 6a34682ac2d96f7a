"""Who is invited to a meeting: the chair, members of invited organisations, and, once cases
are on the agenda, the roles that open every case and whoever takes part in those cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from vangnet.cases.services import case_open, participant_add
from vangnet.cells.models import Membership, Role
from vangnet.cells.services import membership_add, membership_end
from vangnet.meetings import services
from vangnet.network.models import Organisation
from vangnet.network.services import organisation_create
from vangnet.tests_support.personas import make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def cell_world(personas):
    cell = personas.mechelen
    with scope(cell=cell.pk):
        caw = Organisation.objects.get()  # Pim's organisation
        clb = organisation_create(cell=cell, name="CLB", sector="clb", participation="per_case")
        jeugd = organisation_create(
            cell=cell, name="Jeugdwerk", sector="youth_work", participation="standing"
        )
        carla = make_user("carla@example.org", "Carla CLB")
        membership_add(cell=cell, user=carla, role=Role.MEMBER, organisation=clb)
        jan = make_user("jan@example.org", "Jan Jeugdwerk")
        membership_add(cell=cell, user=jan, role=Role.MEMBER, organisation=jeugd)
        gone = make_user("gone@example.org", "Gert Gestopt")
        membership_add(cell=cell, user=gone, role=Role.MEMBER, organisation=jeugd)
        membership_end(membership=Membership.objects.get(user=gone), ended_by=personas.alice)
        blocked = make_user("blocked@example.org", "Bert Geblokkeerd")
        membership_add(cell=cell, user=blocked, role=Role.MEMBER, organisation=jeugd)
        blocked.is_active = False
        blocked.save(update_fields=["is_active"])
        named = make_user("named@example.org", "Nora Genoemd")
        membership_add(cell=cell, user=named, role=Role.MEMBER)
        meeting = services.meeting_create(
            cell=cell,
            kind="case",
            title="Overleg",
            starts_at=NOW,
            ends_at=NOW + dt.timedelta(hours=2),
            chair=personas.alice,
            created_by=personas.alice,
            invited_organisations=[jeugd],
        )
    return personas, cell, meeting, {"caw": caw, "clb": clb, "named": named}


def _open_case(personas, cell, person_name: str):
    return case_open(
        cell=cell, person_name=person_name, person_birth_date=None, opened_by=personas.alice
    )


def _names(meeting, cell) -> list[str]:
    with scope(cell=cell.pk):
        return [user.full_name for user in services.invitees(meeting)]


def test_without_cases_the_chair_and_the_invited_organisations_members_are_invited(cell_world):
    personas, cell, meeting, _ = cell_world
    with scope(cell=cell.pk):
        services.topic_add(meeting=meeting, title="Trends", user=personas.alice)
    # Not the mayor or the information officer: no case is discussed. Not an ended membership
    # or a blocked account.
    assert _names(meeting, cell) == [personas.alice.full_name, "Jan Jeugdwerk"]


def test_case_items_invite_the_case_roles_and_the_cases_participants(cell_world):
    personas, cell, meeting, orgs = cell_world
    with scope(cell=cell.pk):
        case = _open_case(personas, cell, "Fictief Persoon")
        participant_add(case=case, organisation=orgs["clb"], reason="School", user=personas.alice)
        participant_add(case=case, person=orgs["named"], reason="Begeleider", user=personas.alice)
        other = _open_case(personas, cell, "Niet Besproken")
        participant_add(case=other, organisation=orgs["caw"], reason="r", user=personas.alice)
        services.agenda_propose(meeting=meeting, user=personas.alice)
        # Only the first case is discussed: the other one's item is removed again.
        services.item_remove(item=meeting.items.get(case=other), user=personas.alice)
    assert sorted(_names(meeting, cell)) == sorted(
        [
            personas.alice.full_name,  # chair and coordinator
            personas.bob.full_name,  # mayor
            personas.ilse.full_name,  # information officer
            "Carla CLB",  # her organisation takes part in the case
            "Nora Genoemd",  # named in person
            "Jan Jeugdwerk",  # invited organisation
        ]
    )
    assert personas.pim.full_name not in _names(meeting, cell)  # the CAW is on the other case


def test_the_attendance_list_names_the_same_people(cell_world):
    personas, cell, meeting, _ = cell_world
    with scope(cell=cell.pk):
        services.agenda_propose(meeting=meeting, user=personas.alice)
        people = services.invitees(meeting)
        assert services.invitee_names(meeting) == [(u.pk, u.full_name) for u in people]


def test_removed_participants_municipal_staff_and_a_chair_without_a_cell_role(cell_world):
    from vangnet.cases.services import participant_remove

    personas, cell, meeting, orgs = cell_world
    with scope(cell=cell.pk):
        jeugd = Organisation.objects.get(name="Jeugdwerk")
        clerk = make_user("clerk@example.org", "Klara Klerk")
        membership_add(cell=cell, user=clerk, role=Role.MUNICIPAL_STAFF, organisation=jeugd)
        case = _open_case(personas, cell, "Fictief Persoon")
        removed = participant_add(
            case=case, organisation=orgs["clb"], reason="School", user=personas.alice
        )
        participant_remove(participant=removed, user=personas.alice)
        services.agenda_propose(meeting=meeting, user=personas.alice)
        # A chair from outside the cell's roles (VVSG staff chairing a session) is invited too.
        meeting.chair = personas.vera
        meeting.save(update_fields=["chair"])
    names = _names(meeting, cell)
    assert personas.vera.full_name in names
    assert "Carla CLB" not in names  # her organisation was removed from the case
    assert "Klara Klerk" not in names  # municipal staff have no cell role
    assert "Jan Jeugdwerk" in names


def test_an_invitation_carries_the_meetings_cell_and_stays_in_it(cell_world):
    from django_scopes import ScopeError

    from vangnet.meetings.models import MeetingInvitation

    personas, cell, meeting, _ = cell_world
    with scope(cell=cell.pk):
        invitations = list(MeetingInvitation.objects.filter(meeting=meeting))
    assert [i.cell_id for i in invitations] == [cell.pk]
    with scope(cell=personas.wingene.pk):
        assert not MeetingInvitation.objects.filter(meeting=meeting).exists()
    with pytest.raises(ScopeError):
        MeetingInvitation.objects.count()
