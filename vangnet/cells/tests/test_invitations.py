from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.accounts.models import TOTPDevice, User
from vangnet.cells.models import Invitation, Membership, SecrecyAcknowledgement
from vangnet.network.models import Organisation
from vangnet.tests_support.personas import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def invite(client, cell, email="nieuw@example.org", role="member", organisation=""):
    return client.post(
        f"/cells/{cell.pk}/members/invite/",
        {"email": email, "role": role, "organisation": organisation},
    )


def link_from_mail() -> str:
    match = re.search(r"https?://[^/]+(/join/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def memberships(cell, email) -> list[Membership]:
    with scope(cell=cell.pk):
        return list(Membership.objects.filter(user__email=email, ended_at__isnull=True))


@pytest.fixture
def invited(personas, client, django_capture_on_commit_callbacks):
    with scope(cell=personas.mechelen.pk):
        caw = Organisation.objects.get()
    sign_in(client, personas.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, personas.mechelen, organisation=str(caw.pk))
    assert response.status_code == 302
    return link_from_mail()


def register_and_enrol(client: Client, link: str) -> None:
    response = client.post(
        link,
        {
            "full_name": "Nina Nieuw",
            "password1": "een lange zin voor nina",
            "password2": "een lange zin voor nina",
        },
    )
    assert response["Location"] == "/login/setup/"
    client.get("/login/setup/")
    device = TOTPDevice.objects.get(user__email="nieuw@example.org", confirmed=False)
    codes_page = client.post("/login/setup/", {"code": device.current_code()})
    assert codes_page.status_code == 200
    # "I have saved them" continues to the invitation, not to an empty home page.
    assert 'href="/invitations/' in codes_page.content.decode()


class TestInviting:
    def test_it_mails_a_link_without_other_personal_data(self, personas, invited):
        body = mail.outbox[0].body
        assert "LIVC R Mechelen" in body
        assert "Alice" not in body and "CAW" not in body
        assert mail.outbox[0].to == ["nieuw@example.org"]

    def test_it_refuses_someone_who_is_already_a_member(self, personas, client):
        sign_in(client, personas.alice)
        response = invite(client, personas.mechelen, email="PIM@example.org")
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert not Invitation.objects.exists()

    def test_it_refuses_a_second_open_invitation(self, personas, client, invited):
        response = invite(client, personas.mechelen)
        assert response.status_code == 200
        with scope(cell=personas.mechelen.pk):
            assert Invitation.objects.count() == 1

    def test_it_refuses_members_and_other_cells(self, personas, client):
        sign_in(client, personas.pim)
        assert invite(client, personas.mechelen).status_code == 403
        sign_in(client, personas.walter)
        assert invite(client, personas.mechelen).status_code == 404

    def test_it_stores_only_a_hash_of_the_token(self, personas, invited):
        token = invited.split("/")[2]
        with scope(cell=personas.mechelen.pk):
            assert Invitation.objects.get().token_hash != token


class TestRolesAnInviterMayGrant:
    def test_it_refuses_to_invite_a_mayor_or_yourself(self, personas, client):
        sign_in(client, personas.alice)
        assert (
            invite(client, personas.mechelen, email="alice@example.org", role="mayor").status_code
            == 200
        )
        assert (
            invite(client, personas.mechelen, email="alice@example.org", role="member").status_code
            == 200
        )
        assert (
            invite(client, personas.mechelen, email="nieuw@example.org", role="mayor").status_code
            == 200
        )
        with scope(cell=personas.mechelen.pk):
            assert not Invitation.objects.exists()

    def test_it_lets_only_a_coordinator_invite_a_coordinator(self, personas, client):
        from vangnet.cells.services import membership_add
        from vangnet.tests_support.personas import make_user

        deputy = make_user("deputy@example.org", "Dirk Deputy")
        membership_add(cell=personas.mechelen, user=deputy, role="deputy_coordinator")
        sign_in(client, deputy)
        assert invite(client, personas.mechelen, role="coordinator").status_code == 200
        assert invite(client, personas.mechelen, role="member").status_code == 302
        sign_in(client, personas.alice)
        assert (
            invite(
                client, personas.mechelen, email="c2@example.org", role="coordinator"
            ).status_code
            == 302
        )


class TestJoining:
    def test_a_new_person_registers_enrols_and_acknowledges_secrecy(self, personas, invited):
        newcomer = Client()
        page = newcomer.get(invited)
        assert page.status_code == 200
        register_and_enrol(newcomer, invited)
        with scope(cell=personas.mechelen.pk):
            invitation = Invitation.objects.get()
        accept_url = f"/invitations/{invitation.pk}/accept/"
        # The home page after enrolment leads on to the acceptance page.
        assert newcomer.get(accept_url).status_code == 200
        refused = newcomer.post(accept_url, {})
        assert refused.status_code == 200
        assert memberships(personas.mechelen, "nieuw@example.org") == []
        response = newcomer.post(accept_url, {"acknowledge": "on"})
        assert response["Location"] == f"/cells/{personas.mechelen.pk}/"
        [membership] = memberships(personas.mechelen, "nieuw@example.org")
        with scopes_disabled():
            assert membership.role == "member" and membership.organisation.name.startswith("CAW")
        with scope(cell=personas.mechelen.pk):
            ack = SecrecyAcknowledgement.objects.get(user__email="nieuw@example.org")
        assert ack.text_version and ack.context == "joining"
        assert newcomer.get(f"/cells/{personas.mechelen.pk}/").status_code == 200

    def test_it_refuses_a_reused_link(self, personas, invited):
        newcomer = Client()
        register_and_enrol(newcomer, invited)
        with scope(cell=personas.mechelen.pk):
            invitation = Invitation.objects.get()
        newcomer.post(f"/invitations/{invitation.pk}/accept/", {"acknowledge": "on"})
        assert Client().get(invited).status_code == 410

    def test_it_refuses_an_expired_link(self, personas, invited):
        later = timezone.now() + dt.timedelta(days=15)
        with time_machine.travel(later, tick=False):
            response = Client().get(invited)
        assert response.status_code == 410
        assert User.objects.filter(email="nieuw@example.org").count() == 0

    def test_it_refuses_a_withdrawn_link(self, personas, client, invited):
        with scope(cell=personas.mechelen.pk):
            invitation = Invitation.objects.get()
        client.post(f"/cells/{personas.mechelen.pk}/invitations/{invitation.pk}/revoke/")
        assert Client().get(invited).status_code == 410

    def test_it_refuses_a_forged_link(self, personas):
        assert Client().get("/join/not-a-real-token/").status_code == 410

    def test_it_lets_an_existing_account_join_a_second_cell(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        sign_in(client, personas.alice)
        with django_capture_on_commit_callbacks(execute=True):
            invite(client, personas.mechelen, email="walter@example.org", role="member")
        link = link_from_mail()
        walter = Client()
        page = walter.get(link)
        assert page.status_code == 200
        assert 'name="password1"' not in page.content.decode()  # no second account
        walter.post("/login/", {"email": "walter@example.org", "password": PASSWORD})
        device = TOTPDevice.objects.get(user=personas.walter)
        response = walter.post("/login/verify/", {"code": device.current_code()})
        assert response["Location"].startswith("/invitations/")
        walter.post(response["Location"], {"acknowledge": "on"})
        assert len(memberships(personas.mechelen, "walter@example.org")) == 1
        assert len(memberships(personas.wingene, "walter@example.org")) == 1

    def test_it_explains_an_invitation_for_another_signed_in_account(self, personas, invited):
        other = Client()
        sign_in(other, personas.olaf)
        response = other.get(invited)
        assert response.status_code == 403
        assert memberships(personas.mechelen, "olaf@example.org") == []

    def test_it_refuses_to_let_someone_else_accept(self, personas, invited):
        with scope(cell=personas.mechelen.pk):
            invitation = Invitation.objects.get()
        intruder = Client()
        sign_in(intruder, personas.olaf)
        url = f"/invitations/{invitation.pk}/accept/"
        assert intruder.get(url).status_code == 404
        assert intruder.post(url, {"acknowledge": "on"}).status_code == 404
        assert memberships(personas.mechelen, "olaf@example.org") == []


class TestRemovingGuards:
    def test_it_keeps_the_cell_led(self, personas, client):
        sign_in(client, personas.alice)
        [own] = memberships(personas.mechelen, "alice@example.org")
        client.post(f"/cells/{personas.mechelen.pk}/members/{own.pk}/end/")
        assert len(memberships(personas.mechelen, "alice@example.org")) == 1
        [mayor] = memberships(personas.mechelen, "bob@example.org")
        from vangnet.cells.services import membership_add
        from vangnet.tests_support.personas import make_user

        deputy = make_user("deputy@example.org", "Dirk Deputy")
        membership_add(cell=personas.mechelen, user=deputy, role="deputy_coordinator")
        sign_in(client, deputy)
        client.post(f"/cells/{personas.mechelen.pk}/members/{mayor.pk}/end/")
        client.post(f"/cells/{personas.mechelen.pk}/members/{own.pk}/end/")
        assert len(memberships(personas.mechelen, "bob@example.org")) == 1
        assert len(memberships(personas.mechelen, "alice@example.org")) == 1

    def test_it_keeps_at_least_one_coordinator(self, personas, client):
        from vangnet.cells.services import membership_add
        from vangnet.tests_support.personas import make_user

        second = make_user("second@example.org", "Second Coordinator")
        membership_add(cell=personas.mechelen, user=second, role="coordinator")
        sign_in(client, personas.alice)
        [other] = memberships(personas.mechelen, "second@example.org")
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/members/{other.pk}/end/").status_code == 302
        )
        assert memberships(personas.mechelen, "second@example.org") == []
        sign_in(client, second)  # no longer a member: cannot end Alice either
        [alice] = memberships(personas.mechelen, "alice@example.org")
        assert (
            client.post(f"/cells/{personas.mechelen.pk}/members/{alice.pk}/end/").status_code == 404
        )


class TestRemoving:
    def test_it_ends_access_at_once(self, personas, client):
        member = Client()
        sign_in(member, personas.pim)
        assert member.get(f"/cells/{personas.mechelen.pk}/partners/").status_code == 200
        [membership] = memberships(personas.mechelen, "pim@example.org")
        sign_in(client, personas.alice)
        response = client.post(f"/cells/{personas.mechelen.pk}/members/{membership.pk}/end/")
        assert response.status_code == 302
        assert member.get(f"/cells/{personas.mechelen.pk}/partners/").status_code == 404

    def test_it_refuses_removal_by_a_member_or_another_cell(self, personas, client):
        [membership] = memberships(personas.mechelen, "ilse@example.org")
        sign_in(client, personas.pim)
        url = f"/cells/{personas.mechelen.pk}/members/{membership.pk}/end/"
        assert client.post(url).status_code == 403
        sign_in(client, personas.walter)
        assert client.post(url).status_code == 404
        assert (
            client.post(f"/cells/{personas.wingene.pk}/members/{membership.pk}/end/").status_code
            == 404
        )
        assert len(memberships(personas.mechelen, "ilse@example.org")) == 1
