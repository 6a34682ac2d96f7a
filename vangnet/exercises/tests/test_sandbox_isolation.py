"""A sandbox stays in its box: its meetings block no real agenda, nothing it shares reaches
VVSG, its mails are marked "[Oefening]" (or not sent at all), its wipe removes every row but
keeps the append-only audit log, and malformed requests change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cases.reminders import reminders_send
from vangnet.cells.models import Cell, CellProfile, Membership, Role
from vangnet.cells.services import invitation_create, map_sharing_set
from vangnet.coaching import overview
from vangnet.exercises.models import ExerciseStatus
from vangnet.exercises.services import exercise_role_set, exercise_wipe
from vangnet.exercises.tests.conftest import open_with
from vangnet.exercises.tests.test_statistics_exclusion import _closed_round
from vangnet.meetings.models import Meeting
from vangnet.meetings.services import meeting_create
from vangnet.questionnaires.services import template_current
from vangnet.scans import services as scan_services
from vangnet.scans.models import Round
from vangnet.surveys import services as survey_services
from vangnet.surveys.models import Audience, Survey
from vangnet.tests_support.personas import sign_in

MARK = "[Oefening]"


def _meeting(cell, chair, start, title="Casusoverleg"):
    with scopes_disabled():
        return meeting_create(
            cell=cell,
            kind="case",
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            chair=chair,
            created_by=chair,
        )


# --- Meetings: a sandbox never collides with a real agenda -----------------------------------


def test_a_sandbox_meeting_does_not_block_a_real_meeting_of_the_same_chair(personas):
    exercise = open_with(personas, [personas.alice])
    start = timezone.now() + dt.timedelta(days=2)
    _meeting(exercise.cell, personas.alice, start, "Oefening")
    real = _meeting(personas.mechelen, personas.alice, start + dt.timedelta(minutes=30))
    assert real.cell_id == personas.mechelen.pk


def test_a_real_meeting_does_not_block_a_sandbox_meeting_of_the_same_chair(personas):
    exercise = open_with(personas, [personas.alice])
    start = timezone.now() + dt.timedelta(days=2)
    _meeting(personas.mechelen, personas.alice, start)
    played = _meeting(exercise.cell, personas.alice, start, "Oefening")
    assert played.cell_id == exercise.cell_id


def test_overlaps_are_still_refused_inside_a_sandbox_and_between_real_cells(personas):
    exercise = open_with(personas, [personas.alice])
    start = timezone.now() + dt.timedelta(days=2)
    _meeting(exercise.cell, personas.alice, start, "Oefening")
    with pytest.raises(ValidationError):
        _meeting(exercise.cell, personas.alice, start + dt.timedelta(minutes=15), "Oefening 2")
    _meeting(personas.mechelen, personas.alice, start)
    with scopes_disabled():
        other = Cell.objects.create(name="LIVC R Andere")
    with pytest.raises(ValidationError):
        _meeting(other, personas.alice, start + dt.timedelta(minutes=15))
    with scopes_disabled():
        assert Meeting.objects.filter(chair=personas.alice).count() == 2


# --- Sharing with VVSG ------------------------------------------------------------------------


def test_a_sandbox_round_is_never_shown_to_vvsg_even_if_marked_shared(personas, client):
    exercise = open_with(personas, [personas.alice])
    sandbox_round = _closed_round(exercise.cell, personas.alice, 4)
    with scopes_disabled():
        Round.objects.filter(pk=sandbox_round.pk).update(shared_with_vvsg=True)
    sign_in(client, personas.vera)
    assert client.get(f"/support/scans/{sandbox_round.pk}/").status_code == 404
    # The same round in a real cell would be shown: the 404 comes from the sandbox rule.
    Cell.objects.filter(pk=exercise.cell_id).update(is_sandbox=False)
    assert client.get(f"/support/scans/{sandbox_round.pk}/").status_code == 200


def test_a_sandbox_cannot_share_a_round_or_its_map(personas, client):
    exercise = open_with(personas, [personas.alice])
    sandbox_round = _closed_round(exercise.cell, personas.alice, 4)
    with scope(cell=exercise.cell_id), pytest.raises(ValidationError):
        scan_services.sharing_set(scan_round=sandbox_round, shared=True, user=personas.alice)
    with scope(cell=exercise.cell_id), pytest.raises(ValidationError):
        map_sharing_set(
            profile=CellProfile.objects.get(cell=exercise.cell),
            shared=True,
            changed_by=personas.alice,
        )
    sign_in(client, personas.alice)
    base = f"/cells/{exercise.cell_id}"
    response = client.post(f"{base}/scans/{sandbox_round.pk}/share/", {"shared": "1"})
    assert response.status_code == 302
    response = client.post(f"{base}/map/sharing/", {"shared": "1"})
    assert response.status_code == 302  # a message, never a 500
    with scopes_disabled():
        assert not Round.objects.get(pk=sandbox_round.pk).shared_with_vvsg
        assert not CellProfile.objects.get(cell=exercise.cell).map_shared_with_vvsg
    assert not AuditEvent.objects.filter(
        action__in=("scans.round.shared", "cells.map.shared"), cell_id=exercise.cell_id
    ).exists()


def test_a_sandbox_offers_no_share_buttons(personas, client, settings):
    settings.LANGUAGE_CODE = "en"
    exercise = open_with(personas, [personas.alice])
    sandbox_round = _closed_round(exercise.cell, personas.alice, 4)
    sign_in(client, personas.alice)
    base = f"/cells/{exercise.cell_id}"
    round_page = client.get(f"{base}/scans/{sandbox_round.pk}/")
    map_page = client.get(f"{base}/map/")
    assert round_page.status_code == map_page.status_code == 200
    assert b"/share/" not in round_page.content
    assert b"/map/sharing/" not in map_page.content
    # A real cell's coordinator does get them.
    real_round = _closed_round(personas.mechelen, personas.alice, 4)
    assert b"/share/" in client.get(f"/cells/{personas.mechelen.pk}/scans/{real_round.pk}/").content
    assert b"/map/sharing/" in client.get(f"/cells/{personas.mechelen.pk}/map/").content


def test_coaching_never_lists_a_shared_sandbox_round(personas):
    exercise = open_with(personas, [personas.alice])
    sandbox_round = _closed_round(exercise.cell, personas.alice, 4)
    with scopes_disabled():
        Round.objects.filter(pk=sandbox_round.pk).update(shared_with_vvsg=True)
    assert overview.shared_rounds([exercise.cell]) == {exercise.cell_id: []}


# --- Mails from a sandbox ---------------------------------------------------------------------


def test_no_overdue_reminders_are_sent_for_a_sandbox(personas, mailoutbox):
    exercise = open_with(personas, [personas.alice])  # its scenario case has open actions
    later = timezone.localdate() + dt.timedelta(days=400)
    with time_machine.travel(later):
        assert reminders_send(today=later) == 0
    assert mailoutbox == []
    # Proof that the scenario does have overdue items: as a real cell it would be reminded.
    Cell.objects.filter(pk=exercise.cell_id).update(is_sandbox=False)
    with time_machine.travel(later):
        assert reminders_send(today=later) >= 1
    assert not any(MARK in m.subject for m in mailoutbox)


def test_scan_invitations_from_a_sandbox_are_marked(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    exercise = open_with(personas, [personas.alice, personas.pim])
    with scope(cell=exercise.cell_id), django_capture_on_commit_callbacks(execute=True):
        scan_round = scan_services.round_open(
            cell=exercise.cell,
            title="Oefenronde",
            does_case_management=True,
            opened_by=personas.alice,
        )
        scan_services.round_invite(scan_round=scan_round, user=personas.alice)
    with scope(cell=personas.mechelen.pk), django_capture_on_commit_callbacks(execute=True):
        real = scan_services.round_open(
            cell=personas.mechelen,
            title="Ronde",
            does_case_management=True,
            opened_by=personas.alice,
        )
        scan_services.round_invite(scan_round=real, user=personas.alice)
    assert len(mailoutbox) >= 3
    marked = [m for m in mailoutbox if m.subject.startswith(MARK)]
    assert len(marked) == 2  # alice and pim in the sandbox, nobody of the real round


def test_cell_invitations_from_a_sandbox_are_marked(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    exercise = open_with(personas, [personas.alice])
    with scope(cell=exercise.cell_id), django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            cell=exercise.cell,
            email="gast@example.org",
            role=Role.MAYOR,
            organisation=None,
            invited_by=personas.alice,
        )
    with scope(cell=personas.mechelen.pk), django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            cell=personas.mechelen,
            email="gast@example.org",
            role=Role.DPO,
            organisation=None,
            invited_by=personas.alice,
        )
    assert [m.subject.startswith(MARK) for m in mailoutbox] == [True, False]


def test_survey_invitations_from_a_sandbox_are_marked(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    exercise = open_with(personas, [personas.alice])
    for cell in (exercise.cell, personas.mechelen):
        with scopes_disabled():
            survey = survey_services.survey_create(
                cell=cell,
                template=template_current("partner-signals-needs", survey=True),
                title="Oefenbevraging",
                intro="",
                audience=Audience.CELL_MEMBERS,
                anonymous_link=False,
                closes_on=None,
                user=personas.alice,
            )
            survey_services.survey_open(survey=survey, user=personas.alice)
            with django_capture_on_commit_callbacks(execute=True):
                survey_services.survey_invite(survey=survey, user=personas.alice)
    sandbox, real = mailoutbox[0], mailoutbox[-1]
    assert sandbox.subject.startswith(MARK)
    assert not real.subject.startswith(MARK)


# --- Wipe -------------------------------------------------------------------------------------


def test_the_wipe_removes_surveys_scans_and_meetings_but_keeps_the_audit_log(personas):
    exercise = open_with(personas, [personas.alice])
    cell_id = exercise.cell_id
    _closed_round(exercise.cell, personas.alice, 4)
    _meeting(exercise.cell, personas.alice, timezone.now() + dt.timedelta(days=1), "Oefening")
    with scopes_disabled():
        survey = survey_services.survey_create(
            cell=exercise.cell,
            template=template_current("partner-signals-needs", survey=True),
            title="Oefenbevraging",
            intro="",
            audience=Audience.CELL_MEMBERS,
            anonymous_link=True,
            closes_on=None,
            user=personas.alice,
        )
        survey_services.survey_open(survey=survey, user=personas.alice)
        survey_services.anonymous_link_create(survey=survey, user=personas.alice)
    audit_before = set(AuditEvent.objects.filter(cell_id=cell_id).values_list("pk", flat=True))
    assert audit_before
    exercise_wipe(exercise=exercise, user=personas.vera)
    with scopes_disabled():
        assert not Survey.objects.filter(cell_id=cell_id).exists()
        assert not Round.objects.filter(cell_id=cell_id).exists()
        assert not Meeting.objects.filter(cell_id=cell_id).exists()
    # Append-only: every audit event of the sandbox is still there, plus the wipe itself.
    audit_after = set(AuditEvent.objects.filter(cell_id=cell_id).values_list("pk", flat=True))
    assert audit_before < audit_after
    assert AuditEvent.objects.filter(action="exercises.exercise.wiped", cell_id=cell_id).exists()


# --- Bad input --------------------------------------------------------------------------------


def _roles(exercise):
    with scopes_disabled():
        return dict(
            Membership.objects.filter(cell_id=exercise.cell_id, ended_at__isnull=True).values_list(
                "user_id", "role"
            )
        )


def test_a_role_change_for_a_membership_of_another_cell_is_a_404(personas, client):
    exercise = open_with(personas, [personas.alice])
    with scopes_disabled():
        real = Membership.objects.get(cell=personas.mechelen, user=personas.alice)
    sign_in(client, personas.vera)
    url = f"/events/{exercise.event_id}/exercise/participants/{real.pk}/role/"
    assert client.post(url, {"role": Role.MEMBER}).status_code == 404
    with scopes_disabled():
        real.refresh_from_db()
    assert real.role == Role.COORDINATOR and real.ended_at is None


def test_the_service_refuses_a_membership_of_another_cell(personas):
    exercise = open_with(personas, [personas.alice])
    with scopes_disabled():
        real = Membership.objects.get(cell=personas.mechelen, user=personas.alice)
    with pytest.raises(ValidationError):
        exercise_role_set(exercise=exercise, membership=real, role=Role.MEMBER, user=personas.vera)
    with scopes_disabled():
        real.refresh_from_db()
    assert real.role == Role.COORDINATOR and real.ended_at is None


@pytest.mark.parametrize("data", [{}, {"role": ""}, {"role": "king"}, {"role": ["a", "b"]}])
def test_a_malformed_role_post_changes_nothing(personas, client, data):
    exercise = open_with(personas, [personas.pim])
    before = _roles(exercise)
    with scopes_disabled():
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
    sign_in(client, personas.vera)
    url = f"/events/{exercise.event_id}/exercise/participants/{membership.pk}/role/"
    assert client.post(url, data).status_code == 302
    assert _roles(exercise) == before


def test_a_role_change_on_a_wiped_exercise_is_a_404(personas, client):
    exercise = open_with(personas, [personas.pim])
    with scopes_disabled():
        membership = Membership.objects.get(cell=exercise.cell, user=personas.pim)
    exercise_wipe(exercise=exercise, user=personas.vera)
    sign_in(client, personas.vera)
    url = f"/events/{exercise.event_id}/exercise/participants/{membership.pk}/role/"
    assert client.post(url, {"role": Role.MEMBER}).status_code == 404
    assert client.post(f"/events/{exercise.event_id}/exercise/sync/").status_code == 302
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED


@pytest.mark.parametrize("data", [{}, {"scenario": ""}, {"scenario": "../../etc/passwd"}])
def test_a_malformed_open_post_changes_nothing(personas, client, data):
    from vangnet.exercises.tests.conftest import make_tabletop

    event = make_tabletop(personas.vera)
    sign_in(client, personas.vera)
    assert client.post(f"/events/{event.pk}/exercise/open/", data).status_code == 302
    assert not Cell.objects.filter(is_sandbox=True).exists()
