from __future__ import annotations

import pytest
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Cell, CellProfile
from vangnet.insights.sharing import (
    CATEGORY_KEYS,
    cells_sharing,
    default_sharing,
    sharing_normalise,
)
from vangnet.insights.tests.conftest import make_cells, set_sharing
from vangnet.tests_support.personas import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PROFILE = {
    "meeting_rhythm": "six_weeks",
    "coordinator_fte": "0.5",
    "privacy_notice": "",
    "retention_closed_case_months": "60",
    "retention_signal_months": "12",
}


def profile_of(cell: Cell) -> CellProfile:
    with scope(cell=cell.pk):
        return CellProfile.objects.get()


class TestDefaults:
    def test_a_new_cell_shares_the_non_personal_categories_only(self):
        cell = make_cells(1)[0]
        assert profile_of(cell).insights_sharing == ["network", "activity", "scans"]
        assert default_sharing() == ["network", "activity", "scans"]
        assert set(CATEGORY_KEYS) == {"network", "activity", "scans", "signals", "cases"}

    def test_normalising_drops_unknown_keys_and_keeps_one_order(self):
        assert sharing_normalise(["cases", "bogus", "network", "cases"]) == ["network", "cases"]
        assert sharing_normalise("signals") == []


class TestCellsSharing:
    def test_it_follows_each_cells_choice(self):
        first, second = make_cells(2)
        set_sharing(second, ["signals"])
        assert set(cells_sharing("network")) == {first}
        assert set(cells_sharing("signals")) == {second}
        assert not cells_sharing("cases").exists()

    def test_a_sandbox_never_shares_whatever_its_profile_says(self):
        cell = make_cells(1, share=("signals", "network"))[0]
        Cell.objects.filter(pk=cell.pk).update(is_sandbox=True)
        assert not cells_sharing("signals").exists()
        assert not cells_sharing("network").exists()

    def test_an_unknown_category_is_an_error(self):
        with pytest.raises(ValueError):
            cells_sharing("persons")


class TestProfileForm:
    def test_the_coordinator_sees_what_vvsg_sees_per_category(self, personas, client):
        sign_in(client, personas.alice)
        page = client.get(f"/cells/{personas.mechelen.pk}/profile/edit/").content.decode()
        assert 'type="checkbox" name="insights_sharing" value="signals"' in page
        assert "Figures shared with VVSG" in page
        assert "never your cell&#x27;s name" in page or "never your cell's name" in page
        assert "Derived from personal data" in page

    def test_saving_changes_the_choice_and_audits_the_keys_only(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/profile/edit/",
            {**PROFILE, "insights_sharing": ["network", "signals"]},
        )
        assert response.status_code == 302
        assert profile_of(personas.mechelen).insights_sharing == ["network", "signals"]
        event = AuditEvent.objects.filter(action="cells.profile.updated").latest("pk")
        assert event.data["sharing_on"] == ["signals"]
        assert event.data["sharing_off"] == ["activity", "scans"]
        assert "insights_sharing" in event.data["fields"]
        assert personas.mechelen in cells_sharing("signals")

    def test_an_unknown_category_is_refused_and_nothing_changes(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/profile/edit/",
            {**PROFILE, "insights_sharing": ["network", "persons"]},
        )
        assert response.status_code == 200
        assert profile_of(personas.mechelen).insights_sharing == default_sharing()

    def test_the_same_choice_in_another_order_is_no_change(self, personas):
        set_sharing(personas.mechelen, ["scans", "activity", "network"])
        assert not AuditEvent.objects.filter(
            action="cells.profile.updated", cell_id=personas.mechelen.pk
        ).exists()

    def test_members_and_other_cells_cannot_change_it(self, personas, client):
        sign_in(client, personas.pim)
        data = {**PROFILE, "insights_sharing": ["signals"]}
        assert client.post(f"/cells/{personas.mechelen.pk}/profile/edit/", data).status_code == 403
        sign_in(client, personas.walter)
        assert client.post(f"/cells/{personas.mechelen.pk}/profile/edit/", data).status_code == 404
        assert profile_of(personas.mechelen).insights_sharing == default_sharing()
