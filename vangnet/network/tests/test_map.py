from __future__ import annotations

import csv
import io

import pytest
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import CellProfile
from vangnet.network.models import Organisation
from vangnet.network.services import contact_add, link_add, organisation_create
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(personas):
    with scope(cell=personas.mechelen.pk):
        caw = Organisation.objects.get()
        ocmw = organisation_create(
            cell=personas.mechelen,
            name='=HYPERLINK("x")',
            sector="social_services",
            participation="core",
        )
        link_add(cell=personas.mechelen, source=caw, target=ocmw, description="Gezinnen")
        contact_add(organisation=caw, name="Lies Contactpersoon", email="lies@example.org")
    return personas


def map_url(cell, rest: str = "") -> str:
    return f"/cells/{cell.pk}/map/{rest}"


class TestMap:
    def test_it_shows_the_map_page_with_a_table_view(self, network, client):
        sign_in(client, network.pim)
        response = client.get(map_url(network.mechelen))
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="partner-map"' in body
        assert "<table" in body and "CAW Boom Mechelen Lier" in body

    def test_it_serves_nodes_and_edges_as_json(self, network, client):
        sign_in(client, network.pim)
        data = client.get(map_url(network.mechelen, "data/")).json()
        assert {n["name"] for n in data["nodes"]} == {"CAW Boom Mechelen Lier", '=HYPERLINK("x")'}
        assert data["edges"][0]["kind"] == "declared"
        assert all(n["socio_preventive"] for n in data["nodes"])
        assert "Lies" not in str(data)

    def test_it_exports_csv_without_formulas(self, network, client):
        sign_in(client, network.pim)
        response = client.get(map_url(network.mechelen, "export.csv"))
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode()
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        names = [row[2] for row in rows[1:] if row[0] == "organisation"]
        assert '\'=HYPERLINK("x")' in names
        assert AuditEvent.objects.filter(action="network.map.exported").exists()

    def test_it_hides_the_map_of_another_cell(self, network, client):
        sign_in(client, network.walter)
        for rest in ("", "data/", "export.csv"):
            assert client.get(map_url(network.mechelen, rest)).status_code == 404

    def test_it_keeps_queries_flat_as_the_network_grows(
        self, network, client, django_assert_max_num_queries
    ):
        sign_in(client, network.pim)
        client.get(map_url(network.mechelen, "data/"))
        with scope(cell=network.mechelen.pk):
            for i in range(30):
                organisation_create(
                    cell=network.mechelen,
                    name=f"Partner {i}",
                    sector="other",
                    participation="network",
                )
        with django_assert_max_num_queries(12):
            client.get(map_url(network.mechelen, "data/"))


class TestSharingWithVvsg:
    def shared_url(self, cell, rest: str = "") -> str:
        return f"/support/cells/{cell.pk}/map/{rest}"

    def test_it_hides_an_unshared_map_from_vvsg(self, network, client):
        sign_in(client, network.vera)
        assert client.get(self.shared_url(network.mechelen)).status_code == 404
        assert client.get(self.shared_url(network.mechelen, "data/")).status_code == 404

    def test_it_shows_a_shared_map_to_vvsg_without_contact_persons(self, network, client):
        sign_in(client, network.alice)
        response = client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"})
        assert response.status_code == 302
        assert AuditEvent.objects.filter(action="cells.map.shared").exists()
        vvsg = type(client)()
        sign_in(vvsg, network.vera)
        page = vvsg.get(self.shared_url(network.mechelen))
        assert page.status_code == 200
        assert "CAW Boom Mechelen Lier" in page.content.decode()
        assert "Lies" not in page.content.decode()
        assert (
            "lies@example.org"
            not in vvsg.get(self.shared_url(network.mechelen, "export.csv")).content.decode()
        )
        # Still no access to the cell itself.
        assert vvsg.get(f"/cells/{network.mechelen.pk}/").status_code == 404
        assert vvsg.get(f"/cells/{network.mechelen.pk}/partners/").status_code == 404

    def test_it_offers_the_sharing_switch_to_managers_only(self, network, client):
        sign_in(client, network.alice)
        page = client.get(f"/cells/{network.mechelen.pk}/map/").content.decode()
        assert f"/cells/{network.mechelen.pk}/map/sharing/" in page
        sign_in(client, network.pim)
        page = client.get(f"/cells/{network.mechelen.pk}/map/").content.decode()
        assert "/map/sharing/" not in page

    def test_it_links_shared_maps_from_the_support_home(self, network, client):
        sign_in(client, network.alice)
        client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"})
        vvsg = type(client)()
        sign_in(vvsg, network.vera)
        page = vvsg.get("/support/").content.decode()
        assert f"/support/cells/{network.mechelen.pk}/map/" in page
        assert f"/support/cells/{network.wingene.pk}/map/" not in page

    def test_it_stops_sharing(self, network, client):
        sign_in(client, network.alice)
        client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"})
        client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "0"})
        with scope(cell=network.mechelen.pk):
            assert not CellProfile.objects.get().map_shared_with_vvsg
        vvsg = type(client)()
        sign_in(vvsg, network.vera)
        assert vvsg.get(self.shared_url(network.mechelen)).status_code == 404

    def test_it_lets_only_managers_share(self, network, client):
        sign_in(client, network.pim)
        assert (
            client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"}).status_code
            == 403
        )
        sign_in(client, network.walter)
        assert (
            client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"}).status_code
            == 404
        )

    def test_it_hides_a_shared_map_from_cell_members_of_other_cells(self, network, client):
        sign_in(client, network.alice)
        client.post(f"/cells/{network.mechelen.pk}/map/sharing/", {"shared": "1"})
        other = type(client)()
        sign_in(other, network.walter)
        assert other.get(self.shared_url(network.mechelen)).status_code == 404
