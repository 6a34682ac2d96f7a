from __future__ import annotations

import pytest
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import CellProfile, Framework, FrameworkPhenomenon
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def framework(cell) -> Framework:
    with scope(cell=cell.pk):
        return Framework.objects.get()


FRAMEWORK = {
    "legal_basis": "law_2018",
    "legal_reference": "Besluit burgemeester 12/03/2019",
    "participant_categories": "Politie, OCMW, CAW, CLB",
    "working_arrangements": "Om de zes weken",
    "start_date": "2019-03-12",
}
PROFILE = {
    "meeting_rhythm": "six_weeks",
    "coordinator_fte": "0.5",
    "privacy_notice": "Wij verwerken gegevens volgens de AVG.",
    "retention_closed_case_months": "60",
    "retention_signal_months": "12",
}


class TestFramework:
    def test_it_lets_the_coordinator_edit_and_the_mayor_approve(self, personas, client):
        sign_in(client, personas.alice)
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/framework/edit/", FRAMEWORK).status_code
            == 302
        )
        assert framework(personas.mechelen).legal_reference == FRAMEWORK["legal_reference"]
        assert not framework(personas.mechelen).is_approved
        mayor = type(client)()
        sign_in(mayor, personas.bob)
        seen = framework(personas.mechelen).updated_at.isoformat()
        approve_url = f"/cells/{personas.mechelen.pk}/framework/approve/"
        assert mayor.post(approve_url, {"version": seen}).status_code == 302
        approved = framework(personas.mechelen)
        assert approved.is_approved and approved.approved_by_id == personas.bob.pk
        # A later change withdraws the approval.
        client.post(
            f"/cells/{personas.mechelen.pk}/framework/edit/",
            {**FRAMEWORK, "working_arrangements": "Maandelijks"},
        )
        assert not framework(personas.mechelen).is_approved
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"cells.framework.updated", "cells.framework.approved"} <= actions

    def test_it_refuses_to_approve_a_version_the_mayor_did_not_see(self, personas, client):
        mayor = type(client)()
        sign_in(mayor, personas.bob)
        seen = framework(personas.mechelen).updated_at.isoformat()
        sign_in(client, personas.alice)
        client.post(f"/cells/{personas.mechelen.pk}/framework/edit/", FRAMEWORK)
        mayor.post(f"/cells/{personas.mechelen.pk}/framework/approve/", {"version": seen})
        assert not framework(personas.mechelen).is_approved
        mayor.post(f"/cells/{personas.mechelen.pk}/framework/approve/", {"version": "garbage"})
        assert not framework(personas.mechelen).is_approved

    def test_it_refuses_approval_by_a_mayor_who_also_edits(self, personas, client):
        from vangnet.cells.services import membership_add

        membership_add(cell=personas.mechelen, user=personas.alice, role="mayor")
        sign_in(client, personas.alice)
        seen = framework(personas.mechelen).updated_at.isoformat()
        response = client.post(
            f"/cells/{personas.mechelen.pk}/framework/approve/", {"version": seen}
        )
        assert response.status_code == 403
        assert not framework(personas.mechelen).is_approved

    def test_it_keeps_the_finality_locked(self, personas, client):
        sign_in(client, personas.alice)
        client.post(
            f"/cells/{personas.mechelen.pk}/framework/edit/", {**FRAMEWORK, "finality": "Alles"}
        )
        assert framework(personas.mechelen).finality.startswith("Preventie van terroristische")

    def test_it_refuses_edits_by_members_and_approval_by_the_coordinator(self, personas, client):
        sign_in(client, personas.pim)
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/framework/edit/", FRAMEWORK).status_code
            == 403
        )
        sign_in(client, personas.bob)
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/framework/edit/", FRAMEWORK).status_code
            == 403
        )
        sign_in(client, personas.alice)
        assert client.post(f"/cells/{personas.mechelen.pk}/framework/approve/").status_code == 403
        assert framework(personas.mechelen).legal_reference == ""

    def test_it_hides_the_framework_from_another_cell(self, personas, client):
        sign_in(client, personas.walter)
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/framework/edit/", FRAMEWORK).status_code
            == 404
        )
        assert client.post(f"/cells/{personas.mechelen.pk}/framework/approve/").status_code == 404


class TestPhenomena:
    def test_it_needs_a_legal_basis_and_date(self, personas, client):
        sign_in(client, personas.alice)
        url = f"/cells/{personas.mechelen.pk}/phenomena/add/"
        response = client.post(
            url, {"phenomenon": "intrafamily_violence", "legal_basis": "", "legal_basis_date": ""}
        )
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert not FrameworkPhenomenon.objects.exists()
        response = client.post(
            url,
            {
                "phenomenon": "intrafamily_violence",
                "legal_basis": "Protocol procureur des Konings Antwerpen",
                "legal_basis_date": "2025-01-15",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            item = FrameworkPhenomenon.objects.get()
        assert (
            "Protocol procureur" in client.get(f"/cells/{personas.mechelen.pk}/").content.decode()
        )
        twice = client.post(
            url,
            {
                "phenomenon": "intrafamily_violence",
                "legal_basis": "x",
                "legal_basis_date": "2025-01-15",
            },
        )
        assert twice.status_code == 200
        client.post(f"/cells/{personas.mechelen.pk}/phenomena/{item.pk}/disable/")
        with scope(cell=personas.mechelen.pk):
            assert FrameworkPhenomenon.objects.get().disabled_at is not None

    def test_it_refuses_members(self, personas, client):
        sign_in(client, personas.ilse)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/phenomena/add/",
            {"phenomenon": "drug_crime", "legal_basis": "x", "legal_basis_date": "2025-01-01"},
        )
        assert response.status_code == 403


class TestProfile:
    def test_it_saves_the_profile(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(f"/cells/{personas.mechelen.pk}/profile/edit/", PROFILE)
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            profile = CellProfile.objects.get()
        assert profile.meeting_rhythm == "six_weeks"
        assert str(profile.coordinator_fte) == "0.50"

    @pytest.mark.parametrize(
        "field,value",
        [("coordinator_fte", "12"), ("retention_signal_months", "0"), ("coordinator_fte", "veel")],
    )
    def test_it_refuses_impossible_values(self, personas, client, field, value):
        sign_in(client, personas.alice)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/profile/edit/", {**PROFILE, field: value}
        )
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert CellProfile.objects.get().meeting_rhythm == ""

    def test_it_refuses_members_and_other_cells(self, personas, client):
        sign_in(client, personas.pim)
        assert client.get(f"/cells/{personas.mechelen.pk}/profile/edit/").status_code == 403
        sign_in(client, personas.walter)
        assert client.get(f"/cells/{personas.mechelen.pk}/profile/edit/").status_code == 404


class TestHistoryAndHandover:
    def test_it_shows_changes_as_a_timeline(self, personas, client):
        sign_in(client, personas.alice)
        client.post(f"/cells/{personas.mechelen.pk}/profile/edit/", PROFILE)
        page = client.get(f"/cells/{personas.mechelen.pk}/history/")
        assert page.status_code == 200
        body = page.content.decode()
        assert "Alice Coördinator" in body
        assert "Profiel van de cel" in body or "Cell profile changed" in body
        assert "cells." not in body and "network." not in body  # only labelled changes

    def test_it_shows_the_history_to_the_mayor_only_besides_managers(self, personas, client):
        sign_in(client, personas.bob)
        assert client.get(f"/cells/{personas.mechelen.pk}/history/").status_code == 200
        sign_in(client, personas.pim)
        assert client.get(f"/cells/{personas.mechelen.pk}/history/").status_code == 403
        sign_in(client, personas.walter)
        assert client.get(f"/cells/{personas.mechelen.pk}/history/").status_code == 404

    def test_it_prints_a_handover_overview(self, personas, client):
        sign_in(client, personas.alice)
        page = client.get(f"/cells/{personas.mechelen.pk}/handover/")
        assert page.status_code == 200
        body = page.content.decode()
        for expected in ("CAW Boom Mechelen Lier", "Pim Partner", "Preventie van terroristische"):
            assert expected in body
        sign_in(client, personas.ilse)
        assert client.get(f"/cells/{personas.mechelen.pk}/handover/").status_code == 403
        sign_in(client, personas.vera)
        assert client.get(f"/cells/{personas.mechelen.pk}/handover/").status_code == 404
