from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.cells.models import Cell, Membership, Role, SecrecyAcknowledgement
from vangnet.cells.services import membership_add
from vangnet.events import services as event_services
from vangnet.events.models import EventKind
from vangnet.exercises.models import Exercise
from vangnet.exercises.services import exercise_open, exercise_role_set, exercise_sync
from vangnet.exercises.tests.conftest import make_tabletop, open_with
from vangnet.tests_support.personas import make_user, sign_in


def _roles(exercise):
    with scopes_disabled():
        return {
            m.user_id: m.role
            for m in Membership.objects.filter(cell=exercise.cell, ended_at__isnull=True)
        }


def test_it_opens_a_sandbox_with_the_registered_participants_in_their_own_roles(personas):
    exercise = open_with(personas, [personas.alice, personas.bob, personas.ilse, personas.pim])
    cell = exercise.cell
    assert cell.is_sandbox
    assert cell.name.startswith("Oefencel \u2013 Tafeloefening radicalisering (")
    assert cell.municipalities.count() == 0
    assert _roles(exercise) == {
        personas.alice.pk: Role.COORDINATOR,
        personas.bob.pk: Role.MAYOR,
        personas.ilse.pk: Role.INFORMATION_OFFICER,
        personas.pim.pk: Role.MEMBER,
    }
    with scopes_disabled():
        assert SecrecyAcknowledgement.objects.filter(cell=cell).count() == 4


def test_it_links_a_partner_to_the_scenario_organisation_of_the_same_sector(personas):
    with scopes_disabled():
        exercise = open_with(personas, [personas.pim], scenario="teenager-online")
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
        assert membership.organisation.name == "CAW Oefenstad"
        # No CAW in this scenario: the generic organisation.
        other = open_with(personas, [personas.pim], scenario="detainee-return")
        membership = Membership.objects.get(cell=other.cell, user=personas.pim)
        assert membership.organisation.name == "Oefenpartner Oefenstad"


def test_municipal_staff_practise_as_members_and_waiting_list_and_outsiders_do_not(personas):
    event = make_tabletop(personas.vera)
    event.capacity = 1
    event.save()
    event_services.registration_create(event=event, user=personas.mona)
    event_services.registration_create(event=event, user=personas.walter)  # waiting list
    exercise = exercise_open(event=event, scenario="teenager-online", user=personas.vera)
    assert _roles(exercise) == {personas.mona.pk: Role.MEMBER}


def test_it_mails_each_participant_a_content_free_link(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exercise = open_with(personas, [personas.alice, personas.walter])
    assert len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert mail.subject.startswith("[Oefening]")
    assert f"/cells/{exercise.cell_id}/" in mail.body
    assert "Verzonnen" not in mail.body


def test_only_vvsg_staff_open_a_sandbox(personas):
    event = make_tabletop(personas.vera)
    with pytest.raises(PermissionDenied):
        exercise_open(event=event, scenario="teenager-online", user=personas.alice)


def test_a_non_tabletop_event_cannot_open_a_sandbox(personas):
    event = make_tabletop(personas.vera, kind=EventKind.INTERVISION)
    with pytest.raises(ValidationError):
        exercise_open(event=event, scenario="teenager-online", user=personas.vera)
    assert not Cell.objects.filter(is_sandbox=True).exists()


def test_it_opens_once_per_event(personas):
    event = make_tabletop(personas.vera)
    exercise_open(event=event, scenario="teenager-online", user=personas.vera)
    with pytest.raises(ValidationError):
        exercise_open(event=event, scenario="detainee-return", user=personas.vera)
    assert Cell.objects.filter(is_sandbox=True).count() == 1


def test_a_cancelled_or_ended_event_cannot_open_a_sandbox(personas):
    event = make_tabletop(personas.vera, days=1)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=2)),
        pytest.raises(ValidationError),
    ):
        exercise_open(event=event, scenario="teenager-online", user=personas.vera)
    other = make_tabletop(personas.vera, title="Andere oefening")
    event_services.event_cancel(event=other, actor=personas.vera)
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        exercise_open(event=other, scenario="teenager-online", user=personas.vera)


def test_an_unknown_scenario_is_refused(personas):
    event = make_tabletop(personas.vera)
    with pytest.raises(ValidationError):
        exercise_open(event=event, scenario="nope", user=personas.vera)


def test_the_facilitator_changes_a_role_in_the_sandbox_only(personas):
    exercise = open_with(personas, [personas.pim])
    with scopes_disabled():
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
    exercise_role_set(
        exercise=exercise, membership=membership, role=Role.COORDINATOR, user=personas.vera
    )
    assert _roles(exercise) == {personas.pim.pk: Role.COORDINATOR}
    with scopes_disabled():
        real = Membership.objects.get(cell=personas.mechelen, user=personas.pim)
    assert real.role == Role.MEMBER and real.ended_at is None


def test_re_sync_adds_late_registrants(personas, mailoutbox, django_capture_on_commit_callbacks):
    exercise = open_with(personas, [personas.alice])
    event_services.registration_create(event=exercise.event, user=personas.walter)
    with django_capture_on_commit_callbacks(execute=True):
        added, ended = exercise_sync(exercise=exercise, user=personas.vera)
    assert (added, ended) == (1, 0)
    assert _roles(exercise)[personas.walter.pk] == Role.COORDINATOR
    assert [m.to for m in mailoutbox] == [[personas.walter.email]]


# --- Views -----------------------------------------------------------------------------------


def test_staff_open_a_sandbox_from_the_event_page(personas, client):
    event = make_tabletop(personas.vera)
    sign_in(client, personas.vera)
    page = client.get(f"/events/{event.pk}/")
    assert "Open a training cell" in page.content.decode()
    response = client.post(f"/events/{event.pk}/exercise/open/", {"scenario": "teenager-online"})
    assert response.status_code == 302
    assert Exercise.objects.filter(event=event).exists()


def test_a_bad_scenario_on_the_form_changes_nothing(personas, client):
    event = make_tabletop(personas.vera)
    sign_in(client, personas.vera)
    response = client.post(f"/events/{event.pk}/exercise/open/", {"scenario": "nope"})
    assert response.status_code == 302
    assert not Exercise.objects.exists()


@pytest.mark.parametrize("who", ["alice", "walter", "olaf"])
def test_others_cannot_open_see_or_wipe_an_exercise(personas, client, who):
    exercise = open_with(personas, [personas.alice])
    event = exercise.event
    sign_in(client, getattr(personas, who))
    assert client.post(f"/events/{event.pk}/exercise/open/", {"scenario": "x"}).status_code == 404
    assert client.get(f"/events/{event.pk}/exercise/").status_code == 404
    assert client.post(f"/events/{event.pk}/exercise/wipe/").status_code == 404
    assert client.post(f"/events/{event.pk}/exercise/sync/").status_code == 404
    assert client.get("/support/exercises/").status_code == 403
    exercise.refresh_from_db()
    assert exercise.is_open


def test_the_exercise_page_shows_scenario_injects_and_counts_only(personas, client):
    exercise = open_with(personas, [personas.alice, personas.pim])
    sign_in(client, personas.vera)
    html = client.get(f"/events/{exercise.event_id}/exercise/").content.decode()
    assert "Learning goals" in html and "what was he in for?" in html
    assert "Alice Coördinator" in html
    assert "Kenan" not in html  # no content of the sandbox (fictional person's name)
    assert client.get("/support/exercises/").status_code == 200


def test_the_staff_change_a_role_on_the_exercise_page(personas, client):
    exercise = open_with(personas, [personas.pim])
    with scopes_disabled():
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
    sign_in(client, personas.vera)
    url = f"/events/{exercise.event_id}/exercise/participants/{membership.pk}/role/"
    assert client.post(url, {"role": "municipal_staff"}).status_code == 302
    assert _roles(exercise) == {personas.pim.pk: Role.MEMBER}  # refused: not a cell role
    client.post(url, {"role": Role.INFORMATION_OFFICER})
    assert _roles(exercise) == {personas.pim.pk: Role.INFORMATION_OFFICER}


def test_a_participant_gets_a_link_and_a_marked_sandbox(personas, client):
    exercise = open_with(personas, [personas.alice])
    sign_in(client, personas.alice)
    html = client.get(f"/events/{exercise.event_id}/").content.decode()
    assert f"/cells/{exercise.cell_id}/" in html
    home = client.get(f"/cells/{exercise.cell_id}/").content.decode()
    assert "sandbox-banner" in home
    assert "sandbox-banner" not in client.get(f"/cells/{personas.mechelen.pk}/").content.decode()
    assert "sandbox-badge" in home


def test_a_non_participant_gets_404_on_the_sandbox(personas, client):
    exercise = open_with(personas, [personas.alice])
    for user in (personas.walter, personas.vera, personas.olaf):
        sign_in(client, user)
        assert client.get(f"/cells/{exercise.cell_id}/").status_code == 404
        assert (
            f"/cells/{exercise.cell_id}/"
            not in client.get(f"/events/{exercise.event_id}/").content.decode()
        )


def test_participants_practise_the_whole_flow_in_the_sandbox(personas, client):
    """Screen a signal, open a case, add an action, hold a meeting: counted, nothing else."""
    from vangnet.cases.services import action_add
    from vangnet.exercises.services import exercise_progress
    from vangnet.intake.models import Signal
    from vangnet.intake.services import signal_open_case, signal_screen
    from vangnet.meetings.services import meeting_create
    from vangnet.network.models import Organisation

    exercise = open_with(personas, [personas.alice], scenario="teenager-online")
    alice = personas.alice
    with scopes_disabled():
        signal = Signal.objects.filter(cell=exercise.cell).first()
        signal = signal_screen(signal=signal, outcome="case", reason="Oefening", screened_by=alice)
        case = signal_open_case(signal=signal, opened_by=alice)
        owner = Organisation.objects.filter(cell=exercise.cell).first()
        action_add(
            case=case,
            owner=owner,
            description="Oefenactie",
            due_date=timezone.localdate() + dt.timedelta(days=7),
            user=alice,
        )
        start = timezone.now() - dt.timedelta(minutes=5)
        meeting_create(
            cell=exercise.cell,
            kind="case",
            title="Casusoverleg (oefening)",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            chair=alice,
            created_by=alice,
        )
    assert exercise_progress(exercise) == {
        "signals_screened": 1,
        "cases_opened": 1,
        "meetings_held": 1,
        "actions_added": 1,
    }


def test_meeting_invitations_from_the_sandbox_are_marked(personas, mailoutbox):
    from vangnet.meetings import documents
    from vangnet.meetings.services import meeting_create

    exercise = open_with(personas, [personas.alice])
    start = timezone.now() + dt.timedelta(days=1)
    with scopes_disabled():
        meeting = meeting_create(
            cell=exercise.cell,
            kind="case",
            title="Casusoverleg (oefening)",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            chair=personas.alice,
            created_by=personas.alice,
        )
        documents.invitations_send(meeting, [personas.alice])
        real = meeting_create(
            cell=personas.mechelen,
            kind="case",
            title="Casusoverleg",
            starts_at=start + dt.timedelta(hours=2),
            ends_at=start + dt.timedelta(hours=3),
            chair=personas.alice,
            created_by=personas.alice,
        )
        documents.invitations_send(real, [personas.alice])
    assert mailoutbox[0].subject.startswith("[Oefening]")
    assert not mailoutbox[1].subject.startswith("[Oefening]")


def test_late_user_without_cell_is_not_added(personas):
    stranger = make_user("nieuw@example.org", "Nieuw Persoon")
    exercise = open_with(personas, [personas.alice])
    with scopes_disabled():
        membership_add(cell=personas.wingene, user=stranger, role=Role.DPO)
    event_services.registration_create(event=exercise.event, user=stranger)
    exercise_sync(exercise=exercise, user=personas.vera)
    assert _roles(exercise)[stranger.pk] == Role.DPO
