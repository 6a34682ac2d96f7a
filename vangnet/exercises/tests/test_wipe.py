from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Case
from vangnet.cases.services import case_close, legal_hold_set
from vangnet.cells.models import Cell, DocumentKind, Membership
from vangnet.cells.services import document_upload
from vangnet.events import services as event_services
from vangnet.exercises.models import Exercise, ExerciseStatus
from vangnet.exercises.services import exercise_wipe
from vangnet.exercises.tests.conftest import open_with
from vangnet.keyring.models import DataKey
from vangnet.tests_support.personas import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _cell_models() -> list[tuple[type[models.Model], str]]:
    """Every model with a foreign key to Cell (including one-to-one), and that key."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Cell:
                found.append((model, field.attname))
    return found


def _rows(cell_id) -> dict[str, int]:
    with scopes_disabled():
        counts = {
            f"{model._meta.label}.{name}": model._base_manager.filter(**{name: cell_id}).count()
            for model, name in _cell_models()
        }
    return {label: n for label, n in counts.items() if n}


def _busy_sandbox(personas):
    """A sandbox with a case, a closed case under a legal hold, a document and a data key."""
    exercise = open_with(personas, [personas.alice, personas.pim, personas.ilse])
    cell = exercise.cell
    with scopes_disabled():
        document_upload(
            cell=cell,
            kind=DocumentKind.HOUSE_RULES,
            title="Huisregels oefencel",
            upload=SimpleUploadedFile("regels.pdf", PDF),
            approved_on=None,
            uploaded_by=personas.alice,
        )
        case = Case.objects.get(cell=cell)
        case_close(case=case, reason="regular_care", outcome="Oefening", user=personas.alice)
        legal_hold_set(
            case=case,
            hold=True,
            reason="Oefening",
            review_on=timezone.localdate() + dt.timedelta(days=90),
            user=personas.alice,
        )
    return exercise


def test_it_wipes_every_row_of_the_sandbox_and_its_files(
    personas, settings, django_capture_on_commit_callbacks
):
    exercise = _busy_sandbox(personas)
    cell_id = exercise.cell_id
    before = _rows(cell_id)
    for label in (
        "intake.Signal.cell_id",
        "cases.Case.cell_id",
        "cases.Action.cell_id",
        "cells.Membership.cell_id",
        "network.Organisation.cell_id",
        "cells.CellDocument.cell_id",
        "keyring.DataKey.cell_id",
        "exercises.Exercise.cell_id",
    ):
        assert before.get(label), label
    folder = Path(settings.MEDIA_ROOT) / "cells" / str(cell_id)
    assert any(folder.rglob("*"))
    with django_capture_on_commit_callbacks(execute=True):
        assert exercise_wipe(exercise=exercise, user=personas.vera)
    assert _rows(cell_id) == {}
    assert not Cell.objects.filter(pk=cell_id).exists()
    assert not DataKey.objects.filter(cell_id=cell_id).exists()
    assert not folder.exists()
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED
    assert exercise.cell_id is None and exercise.wiped_by == personas.vera
    event = AuditEvent.objects.filter(action="exercises.exercise.wiped").get()
    assert set(event.data) == {"reason", "rows", "files"}


def test_it_keeps_the_counts_for_the_debrief(personas):
    from vangnet.intake.models import Signal
    from vangnet.intake.services import signal_screen

    exercise = open_with(personas, [personas.alice], scenario="teenager-online")
    with scopes_disabled():
        signal = Signal.objects.filter(cell=exercise.cell).first()
        signal_screen(signal=signal, outcome="information", reason="x", screened_by=personas.alice)
    exercise_wipe(exercise=exercise)
    exercise.refresh_from_db()
    assert exercise.signals_screened == 1
    assert exercise.cases_opened == 0
    assert exercise.wiped_by is None


def test_real_cells_are_untouched(personas):
    from vangnet.intake.services import signal_submit

    with scopes_disabled():
        signal_submit(
            cell=personas.mechelen,
            submitted_by=personas.alice,
            received_on=timezone.localdate(),
            category="online",
            description="Echt signaal",
        )
    real_before = {cell.pk: _rows(cell.pk) for cell in Cell.objects.real()}
    exercise = _busy_sandbox(personas)
    exercise_wipe(exercise=exercise, user=personas.vera)
    assert {cell.pk: _rows(cell.pk) for cell in Cell.objects.real()} == real_before
    with scopes_disabled():
        assert Membership.objects.filter(cell=personas.mechelen, user=personas.alice).exists()


def test_it_refuses_to_wipe_a_real_cell(personas):
    exercise = open_with(personas, [personas.alice])
    Exercise.objects.filter(pk=exercise.pk).update(cell=personas.mechelen)
    exercise.refresh_from_db()
    before = _rows(personas.mechelen.pk)
    with pytest.raises(ValidationError):
        exercise_wipe(exercise=exercise)
    assert Cell.objects.filter(pk=personas.mechelen.pk).exists()
    assert _rows(personas.mechelen.pk) == before


def test_wiping_twice_is_harmless(personas):
    exercise = open_with(personas, [personas.alice])
    assert exercise_wipe(exercise=exercise)
    assert not exercise_wipe(exercise=exercise)


def test_the_command_wipes_after_the_configured_hours_and_is_idempotent(personas, monkeypatch):
    exercise = open_with(personas, [personas.alice], days=1)
    ends = exercise.event.ends_at
    with time_machine.travel(ends + dt.timedelta(hours=23)):
        call_command("exercises_wipe")
    exercise.refresh_from_db()
    assert exercise.is_open
    with time_machine.travel(ends + dt.timedelta(hours=25)):
        call_command("exercises_wipe")
        call_command("exercises_wipe")
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED
    assert AuditEvent.objects.filter(action="exercises.exercise.wiped").count() == 1


def test_the_wipe_delay_comes_from_the_environment(personas, monkeypatch):
    monkeypatch.setenv("VANGNET_EXERCISE_WIPE_AFTER_HOURS", "2")
    exercise = open_with(personas, [personas.alice], days=1)
    with time_machine.travel(exercise.event.ends_at + dt.timedelta(hours=3)):
        call_command("exercises_wipe")
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED


def test_cancelling_the_event_wipes_the_sandbox(personas):
    exercise = open_with(personas, [personas.alice])
    event_services.event_cancel(event=exercise.event, actor=personas.vera)
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED
    assert not Cell.objects.filter(is_sandbox=True).exists()


def test_staff_wipe_after_a_confirm_step(personas, client):
    exercise = open_with(personas, [personas.alice])
    sign_in(client, personas.vera)
    url = f"/events/{exercise.event_id}/exercise/wipe/"
    assert "Wipe now" in client.get(url).content.decode()
    exercise.refresh_from_db()
    assert exercise.is_open
    assert client.post(url).status_code == 302
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.WIPED
    assert client.get(f"/events/{exercise.event_id}/exercise/").status_code == 200
