from __future__ import annotations

import dataclasses
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from vangnet.accounts.models import PlatformRole, TOTPDevice, User
from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_verify
from vangnet.cases.models import Action, Case, CaseCounter
from vangnet.cells.models import Cell, CellProfile, Framework, Membership, Municipality, Role
from vangnet.events.models import Event, Registration
from vangnet.helpdesk.models import Question
from vangnet.intake.models import Signal
from vangnet.knowledge.models import Item
from vangnet.lib.blindindex import identity_index
from vangnet.meetings.models import AgendaItem, Attendance, Meeting, MinutesApproval
from vangnet.network.models import Organisation
from vangnet.scale.places import _municipality_groups, cells_generate
from vangnet.scale.services import (
    DEFAULT_PASSWORD,
    SCALES,
    TINY,
    ScaleRefused,
    scale_generate,
    scale_personas,
)
from vangnet.scale.tests.helpers import TODAY, cell_one, generated_then_undone, persona
from vangnet.scale.world import World
from vangnet.scans.models import Response, Round


@pytest.fixture
def tiny(db):
    scale_generate(scale=TINY, today=TODAY)


class TestCounts:
    def test_it_makes_the_number_of_each_kind_the_scale_asks_for(self, tiny):
        with scopes_disabled():
            counts = {
                "cells": Cell.objects.count(),
                "municipalities": Cell.municipalities.through.objects.values("municipality")
                .distinct()
                .count(),
                "organisations": Organisation.objects.count(),
                "users": User.objects.exclude(platform_role=PlatformRole.VVSG_STAFF).count(),
                "staff": User.objects.filter(platform_role=PlatformRole.VVSG_STAFF).count(),
                "signals": Signal.objects.count(),
                "cases": Case.objects.count(),
                "actions": Action.objects.count(),
                "meetings": Meeting.objects.count(),
                "audit_events": AuditEvent.objects.count(),
                "questions": Question.objects.count(),
                "knowledge_items": Item.objects.count(),
                "events": Event.objects.count(),
                "registrations": Registration.objects.count(),
                "scan_rounds": Round.objects.count(),
            }
        assert counts == {kind: getattr(TINY, kind) for kind in counts}

    def test_it_gives_each_cell_its_framework_profile_and_every_role(self, tiny):
        with scopes_disabled():
            assert Framework.objects.count() == CellProfile.objects.count() == TINY.cells
            for cell in Cell.objects.all():
                roles = set(Membership.objects.filter(cell=cell).values_list("role", flat=True))
                assert roles == set(Role.values), cell.name
        assert Cell.objects.filter(municipalities__isnull=False).distinct().count() == TINY.cells

    def test_it_fills_meetings_with_attendance_agendas_and_minutes(self, tiny):
        with scopes_disabled():
            assert Attendance.objects.filter(present=True).exists()
            assert AgendaItem.objects.filter(case__isnull=False).exists()
            assert AgendaItem.objects.filter(case__isnull=True).exists()
            assert MinutesApproval.objects.exists()
            assert Response.objects.exists()

    @pytest.mark.parametrize("scale", ["flanders", "10x"])
    def test_cells_cover_the_municipalities_of_the_scale(self, db, scale):
        cells, covered = SCALES[scale].cells, SCALES[scale].municipalities
        municipalities = list(Municipality.objects.order_by("nis_code"))
        groups = _municipality_groups(
            random.Random(1), municipalities, cells=cells, covered=covered
        )
        assert len(groups) == cells and len(groups[0]) == 1
        assert {m.nis_code for g in groups for m in g} == {m.nis_code for m in municipalities}
        assert max(len(g) for g in groups) <= 3
        if cells < covered:  # every municipality in one cell, joint cells within a province
            assert sum(len(g) for g in groups) == covered
            assert all(len({m.province_nis for m in g}) == 1 for g in groups)

    def test_more_cells_than_municipalities_still_have_unique_names(self, db):
        world = World(seed=1, today=TODAY, password_hash="-", say=lambda line: None)
        cells_generate(world, dataclasses.replace(TINY, cells=300, municipalities=285))
        names = set(Cell.objects.values_list("name", flat=True))
        assert len(names) == 300

    def test_the_10x_scale_multiplies_all_but_the_municipalities(self):
        flanders, ten = SCALES["flanders"], SCALES["10x"]
        assert ten.municipalities == flanders.municipalities == 285
        assert ten.cells == 1500
        assert ten.audit_events == 10_000_000


class TestIntegrity:
    def test_the_audit_chain_verifies(self, tiny):
        result = audit_verify()
        assert result.ok, result.reason
        assert result.checked == TINY.audit_events

    def test_audit_events_name_real_objects_and_members_of_the_cell(self, tiny):
        with scopes_disabled():
            viewed = AuditEvent.objects.filter(action="cases.case.viewed")
            assert viewed.exists()
            for event in viewed:
                case = Case.objects.get(pk=event.object_id)
                assert case.cell_id == event.cell_id
                assert Membership.objects.filter(cell=case.cell, user_id=event.actor_id).exists()

    def test_encrypted_fields_decrypt_and_the_database_holds_no_plaintext(self, tiny):
        with scopes_disabled():
            case = Case.objects.order_by("code").first()
            signal = Signal.objects.filter(outcome="redirected").first()
            assert case is not None and signal is not None
            raw = Case.objects.filter(pk=case.pk).values_list("person_name", flat=True).get()
        assert case.person_name and case.person_name.encode() not in bytes(raw)
        assert case.birth_date is not None and case.summary
        assert case.identity_index == identity_index(
            cell_id=case.cell_id, name=case.person_name, birth_date=case.person_birth_date
        )
        assert signal.description and signal.redirected_to and signal.person_name
        question = Question.objects.order_by("reference").first()
        assert question is not None and question.subject and question.body
        device = TOTPDevice.objects.get(user=persona("coordinator"))
        assert len(bytes.fromhex(device.key)) == 20 and device.confirmed

    def test_case_codes_are_unique_per_cell_and_the_counters_agree(self, tiny):
        with scopes_disabled():
            codes = list(Case.objects.values_list("cell_id", "code"))
            assert len(set(codes)) == len(codes)
            highest: Counter[tuple[object, int]] = Counter()
            for cell_id, code in codes:
                _liv, year, number = code.split("-")
                key = (cell_id, int(year))
                highest[key] = max(highest[key], int(number))
            counters = {(c.cell_id, c.year): c.last for c in CaseCounter.objects.all()}
        assert counters == dict(highest)

    def test_every_account_signs_in_with_the_password_and_an_authenticator(self, tiny):
        assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
        for role, email in scale_personas().items():
            user = User.objects.get(email=email)
            assert user.check_password(DEFAULT_PASSWORD), role
        assert persona("vvsg_staff").is_vvsg_staff
        with scopes_disabled():
            partner = Membership.objects.get(user=persona("partner"))
            assert partner.organisation is not None
        assert partner.role == Role.MEMBER and partner.cell_id == cell_one().pk


class TestReproducible:
    def test_the_same_seed_and_day_give_the_same_data(self, db):
        first = generated_then_undone(TINY, _snapshot)
        second = generated_then_undone(TINY, _snapshot)
        assert first == second

    def test_another_seed_gives_other_data(self, db):
        assert generated_then_undone(TINY, _snapshot) != generated_then_undone(
            TINY, _snapshot, seed=7
        )


def _snapshot() -> dict[str, object]:
    with scopes_disabled():
        return {
            "cells": list(Cell.objects.order_by("pk").values_list("pk", "name")),
            "users": list(User.objects.order_by("pk").values_list("pk", "email", "full_name")),
            "cases": list(Case.objects.order_by("pk").values_list("pk", "code", "identity_index")),
            "names": sorted(c.person_name for c in Case.objects.all()),
            "signals": list(Signal.objects.order_by("pk").values_list("pk", "received_on")),
            "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "starts_at")),
            "questions": list(Question.objects.order_by("pk").values_list("pk", "reference")),
            # Every event's content, ids and times included, is the same: so is the chain.
            "audit head": AuditEvent.objects.order_by("-position").values_list("hash").first(),
        }


class TestRefusals:
    def test_it_refuses_a_database_that_has_cells(self, tiny):
        with pytest.raises(ScaleRefused):
            scale_generate(scale=TINY, today=TODAY)

    def test_it_refuses_production(self, db, settings):
        settings.PRODUCTION = True
        with pytest.raises(ScaleRefused):
            scale_generate(scale=TINY, today=TODAY)
        assert not Cell.objects.exists()

    def test_the_command_says_why_it_refuses(self, tiny):
        with pytest.raises(CommandError, match="already holds cells"):
            call_command("generate_scale_data", "--scale", "tiny", stdout=StringIO())


class TestCommand:
    def test_it_reports_each_stage_and_the_personas(self, db):
        out = StringIO()
        call_command(
            "generate_scale_data", "--scale", "tiny", "--today", TODAY.isoformat(), stdout=out
        )
        text = out.getvalue()
        for stage in ("cells", "people", "casework", "meetings", "helpdesk", "scans", "audit"):
            assert f"\n{stage} " in text, stage
        assert "rows/s" in text
        assert "coordinator.c001@scale.vangnet.invalid" in text
