from __future__ import annotations

import re
import uuid

import pytest
from django_scopes import ScopeError, scope

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Framework, Membership, Role
from vangnet.cells.services import membership_end
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def without_csrf(content: bytes) -> bytes:
    """The page minus what legitimately differs: the CSRF token and the current path."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" value="[^"]+"', b"", content)


def cell_url(cell) -> str:
    return f"/cells/{cell.pk}/"


class TestCellHome:
    def test_it_shows_the_cell_to_its_coordinator(self, personas, client):
        sign_in(client, personas.alice)
        response = client.get(cell_url(personas.mechelen))
        assert response.status_code == 200
        body = response.content.decode()
        assert "LIVC R Mechelen" in body
        assert personas.alice.full_name in body
        assert "Walter Wingene" not in body

    def test_it_names_who_runs_the_cell_and_counts_the_other_members(self, personas, client):
        with scope(cell=personas.mechelen.pk):
            # A second role for the information officer: one person, counted once.
            Membership.objects.create(
                cell=personas.mechelen, user=personas.ilse, role=Role.PREVENTION_OFFICIAL
            )
        sign_in(client, personas.alice)
        body = client.get(cell_url(personas.mechelen)).content.decode()
        with scope(cell=personas.mechelen.pk):
            active = Membership.objects.filter(ended_at__isnull=True)
            total = active.values("user").distinct().count()
            assert active.count() > total  # someone holds two roles: counted once
        assert personas.alice.full_name in body and personas.bob.full_name in body
        assert "Pim Partner" not in body  # a partner is counted, listed on the members page
        assert f"{total} members" in body or f"{total} leden" in body
        members = client.get(f"{cell_url(personas.mechelen)}members/").content.decode()
        assert "Pim Partner" in members

    def test_it_hides_another_cell_with_404(self, personas, client):
        sign_in(client, personas.walter)
        response = client.get(cell_url(personas.mechelen))
        assert response.status_code == 404
        assert "Pim Partner" not in response.content.decode()

    def test_it_answers_missing_and_forbidden_cells_alike(self, personas, client):
        sign_in(client, personas.walter)
        forbidden = client.get(cell_url(personas.mechelen))
        missing = client.get(f"/cells/{uuid.uuid4()}/")
        assert forbidden.status_code == missing.status_code == 404
        assert without_csrf(forbidden.content) == without_csrf(missing.content)

    def test_it_hides_cells_from_vvsg_staff(self, personas, client):
        sign_in(client, personas.vera)
        assert client.get(cell_url(personas.mechelen)).status_code == 404

    def test_it_hides_cells_from_an_outsider(self, personas, client):
        sign_in(client, personas.olaf)
        assert client.get(cell_url(personas.mechelen)).status_code == 404

    def test_it_hides_the_cell_after_the_membership_ended(self, personas, client):
        with scope(cell=personas.mechelen.pk):
            membership = Membership.objects.get(user=personas.pim)
        membership_end(membership=membership)
        sign_in(client, personas.pim)
        assert client.get(cell_url(personas.mechelen)).status_code == 404

    def test_it_gives_404_for_malformed_ids(self, personas, client):
        sign_in(client, personas.alice)
        assert client.get("/cells/not-a-uuid/").status_code == 404
        assert client.get("/cells/1/").status_code == 404

    def test_it_audits_the_view_of_the_member_list(self, personas, client):
        sign_in(client, personas.alice)
        client.get(cell_url(personas.mechelen))
        event = AuditEvent.objects.filter(action="cells.members.viewed").get()
        assert event.cell_id == personas.mechelen.pk
        assert event.actor_id == str(personas.alice.pk)

    def test_it_keeps_its_query_count_flat(self, personas, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from vangnet.cells.services import membership_add
        from vangnet.network.services import organisation_create
        from vangnet.tests_support.personas import make_user

        sign_in(client, personas.alice)
        url = cell_url(personas.mechelen)
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for i in range(8):
            user = make_user(f"extra{i}@example.org", f"Extra {i}", enrolled=False)
            with scope(cell=personas.mechelen.pk):
                org = organisation_create(
                    cell=personas.mechelen,
                    name=f"Partner {i}",
                    sector="other",
                    participation="network",
                )
            membership_add(cell=personas.mechelen, user=user, role="member", organisation=org)
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == len(before)
        assert len(before) <= 40


class TestHome:
    def test_it_sends_a_coordinator_to_the_cell(self, personas, client):
        sign_in(client, personas.alice)
        assert client.get("/")["Location"] == cell_url(personas.mechelen)

    def test_it_sends_vvsg_staff_to_support(self, personas, client):
        sign_in(client, personas.vera)
        assert client.get("/")["Location"] == "/support/"
        page = client.get("/support/")
        assert page.status_code == 200
        assert "LIVC R Mechelen" in page.content.decode()
        assert "Pim Partner" not in page.content.decode()

    def test_it_welcomes_an_outsider_without_cell(self, personas, client):
        sign_in(client, personas.olaf)
        assert client.get("/").status_code == 200

    def test_it_hides_support_from_cell_members(self, personas, client):
        sign_in(client, personas.alice)
        assert client.get("/support/").status_code == 404


class TestCellSwitch:
    def test_it_switches_to_a_cell_of_the_user(self, personas, client):
        from vangnet.cells.services import membership_add

        membership_add(cell=personas.wingene, user=personas.alice, role="member")
        sign_in(client, personas.alice)
        response = client.post("/cells/switch/", {"cell": str(personas.wingene.pk)})
        assert response["Location"] == cell_url(personas.wingene)
        assert client.get("/")["Location"] == cell_url(personas.wingene)

    def test_it_refuses_to_switch_to_a_foreign_cell(self, personas, client):
        sign_in(client, personas.walter)
        response = client.post("/cells/switch/", {"cell": str(personas.mechelen.pk)})
        assert response.status_code == 404

    def test_it_refuses_garbage(self, personas, client):
        sign_in(client, personas.walter)
        assert client.post("/cells/switch/", {"cell": "' OR 1=1"}).status_code == 404


class TestScopes:
    def test_it_raises_on_an_unscoped_tenant_query(self, personas):
        with pytest.raises(ScopeError):
            list(Framework.objects.all())
        with pytest.raises(ScopeError):
            Membership.objects.count()

    def test_it_limits_a_scoped_query_to_the_cell(self, personas):
        with scope(cell=personas.wingene.pk):
            users = set(Membership.objects.values_list("user_id", flat=True))
        assert users == {personas.walter.pk}
