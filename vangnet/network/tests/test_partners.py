from __future__ import annotations

import pytest
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.network.models import CollaborationLink, ContactPerson, Organisation
from vangnet.network.services import coverage_for_cell, organisation_create
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def url(cell, rest: str = "") -> str:
    return f"/cells/{cell.pk}/partners/{rest}"


def org_data(**overrides):
    data = {
        "name": "CLB Mechelen",
        "sector": "clb",
        "participation": "per_case",
        "status": "active",
        "joined_on": "",
    }
    data.update(overrides)
    return data


def organisations(cell) -> list[str]:
    with scope(cell=cell.pk):
        return sorted(Organisation.objects.values_list("name", flat=True))


class TestPartnerList:
    def test_it_lists_partners_for_every_member(self, personas, client):
        sign_in(client, personas.pim)
        response = client.get(url(personas.mechelen))
        assert response.status_code == 200
        assert "CAW Boom Mechelen Lier" in response.content.decode()

    def test_it_hides_partners_of_another_cell(self, personas, client):
        sign_in(client, personas.walter)
        assert client.get(url(personas.mechelen)).status_code == 404

    def test_it_hides_partners_from_vvsg_staff(self, personas, client):
        sign_in(client, personas.vera)
        assert client.get(url(personas.mechelen)).status_code == 404


class TestOrganisationAdd:
    def test_it_adds_an_organisation(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(url(personas.mechelen, "add/"), org_data())
        assert response.status_code == 302
        assert "CLB Mechelen" in organisations(personas.mechelen)
        assert AuditEvent.objects.filter(action="network.organisation.created").exists()

    def test_it_refuses_a_duplicate_name_in_any_case(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(
            url(personas.mechelen, "add/"), org_data(name="caw boom MECHELEN lier", sector="caw")
        )
        assert response.status_code == 200
        assert "al een organisatie met deze naam" in response.content.decode()
        assert organisations(personas.mechelen) == ["CAW Boom Mechelen Lier"]

    def test_it_allows_the_same_name_in_another_cell(self, personas, client):
        sign_in(client, personas.walter)
        client.post(
            url(personas.wingene, "add/"), org_data(name="CAW Boom Mechelen Lier", sector="caw")
        )
        assert organisations(personas.wingene) == ["CAW Boom Mechelen Lier"]

    @pytest.mark.parametrize(
        "name",
        [
            "VSSE antenne Antwerpen",
            "Staatsveiligheid",
            "Federale gerechtelijke politie Antwerpen",
            "OCAM",
        ],
    )
    def test_it_refuses_federal_security_services(self, personas, client, name):
        sign_in(client, personas.alice)
        response = client.post(url(personas.mechelen, "add/"), org_data(name=name, sector="other"))
        assert response.status_code == 200
        assert name not in organisations(personas.mechelen)

    def test_it_refuses_an_unknown_sector(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post(url(personas.mechelen, "add/"), org_data(sector="intelligence"))
        assert response.status_code == 200
        assert organisations(personas.mechelen) == ["CAW Boom Mechelen Lier"]

    def test_it_refuses_a_member_who_does_not_manage(self, personas, client):
        sign_in(client, personas.pim)
        assert client.post(url(personas.mechelen, "add/"), org_data()).status_code == 403
        sign_in(client, personas.bob)  # the mayor sees everything but does not edit
        assert client.post(url(personas.mechelen, "add/"), org_data()).status_code == 403
        assert organisations(personas.mechelen) == ["CAW Boom Mechelen Lier"]

    def test_it_refuses_another_cells_coordinator(self, personas, client):
        sign_in(client, personas.walter)
        assert client.post(url(personas.mechelen, "add/"), org_data()).status_code == 404
        assert organisations(personas.mechelen) == ["CAW Boom Mechelen Lier"]


class TestOrganisationEdit:
    def caw(self, personas) -> Organisation:
        with scope(cell=personas.mechelen.pk):
            return Organisation.objects.get()

    def test_it_changes_the_status(self, personas, client):
        caw = self.caw(personas)
        sign_in(client, personas.alice)
        response = client.post(
            url(personas.mechelen, f"{caw.pk}/edit/"),
            org_data(name=caw.name, sector="caw", status="stopped"),
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            assert Organisation.objects.get().status == "stopped"

    def test_it_hides_an_organisation_of_another_cell(self, personas, client):
        caw = self.caw(personas)
        sign_in(client, personas.walter)
        response = client.post(
            url(personas.wingene, f"{caw.pk}/edit/"), org_data(name="Overgenomen", sector="caw")
        )
        assert response.status_code == 404
        assert self.caw(personas).name == "CAW Boom Mechelen Lier"


class TestContactsAndLinks:
    def test_it_adds_and_removes_a_contact_person(self, personas, client):
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
        sign_in(client, personas.alice)
        response = client.post(
            url(personas.mechelen, f"{caw.pk}/contacts/add/"),
            {
                "name": "Lies Peeters",
                "function": "teamcoach",
                "email": "lies@example.org",
                "phone": "015 00 00 00",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            contact = ContactPerson.objects.get()
        assert "Lies Peeters" in client.get(url(personas.mechelen)).content.decode()
        client.post(f"/cells/{personas.mechelen.pk}/contacts/{contact.pk}/remove/")
        with scope(cell=personas.mechelen.pk):
            assert not ContactPerson.objects.exists()

    def test_it_links_two_organisations_once(self, personas, client):
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
            ocmw = organisation_create(
                cell=personas.mechelen,
                name="OCMW Mechelen",
                sector="social_services",
                participation="core",
            )
        sign_in(client, personas.alice)
        link_url = f"/cells/{personas.mechelen.pk}/links/add/"
        assert client.post(link_url, {"source": caw.pk, "target": ocmw.pk}).status_code == 302
        again = client.post(link_url, {"source": ocmw.pk, "target": caw.pk})
        assert again.status_code == 200
        itself = client.post(link_url, {"source": caw.pk, "target": caw.pk})
        assert itself.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert CollaborationLink.objects.count() == 1

    def test_it_refuses_to_link_an_organisation_of_another_cell(self, personas, client):
        with scope(cell=personas.wingene.pk):
            other = organisation_create(
                cell=personas.wingene,
                name="Politie Tielt",
                sector="local_police",
                participation="core",
            )
        with scope(cell=personas.mechelen.pk):
            caw = Organisation.objects.get()
        sign_in(client, personas.alice)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/links/add/", {"source": caw.pk, "target": other.pk}
        )
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert not CollaborationLink.objects.exists()


class TestCoverage:
    def test_it_warns_when_no_socio_preventive_partner_is_active(self, personas, client):
        with scope(cell=personas.wingene.pk):
            organisation_create(
                cell=personas.wingene, name="Politie", sector="local_police", participation="core"
            )
            organisation_create(
                cell=personas.wingene,
                name="Preventiedienst",
                sector="municipal_prevention",
                participation="core",
            )
            organisation_create(
                cell=personas.wingene,
                name="CAW",
                sector="caw",
                participation="per_case",
                status="invited",
            )
            coverage = coverage_for_cell(personas.wingene)
        assert coverage.warning
        states = {s.sector: s.state for s in coverage.sectors}
        assert states["local_police"] == "present"
        assert states["caw"] == "inactive"
        assert states["clb"] == "missing"
        sign_in(client, personas.walter)
        page = client.get(f"/cells/{personas.wingene.pk}/").content.decode()
        assert "Geen actieve socio-preventieve partner" in page

    def test_it_does_not_warn_with_an_active_socio_preventive_partner(self, personas):
        with scope(cell=personas.mechelen.pk):
            assert not coverage_for_cell(personas.mechelen).warning
