"""Named personas for tests, built through the real services (no JSON fixtures).

Mechelen's cell: Alice (coordinator), Bob (mayor), Ilse (police information officer),
Pim (partner member), Mona (municipal staff: support desk, knowledge and forum only).
Wingene's cell: Walter (coordinator). Vera (VVSG staff), Olaf (outsider without a cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django_scopes import scopes_disabled

from vangnet.accounts.models import PlatformRole, TOTPDevice, User
from vangnet.accounts.services import (
    recovery_codes_generate,
    session_start,
    totp_device_create,
    user_create,
)
from vangnet.cells.models import Cell, Role
from vangnet.cells.services import cell_create, membership_add
from vangnet.network.models import Participation, Sector
from vangnet.network.services import organisation_create

PASSWORD = "correct horse battery staple"


@dataclass
class Personas:
    mechelen: Cell
    wingene: Cell
    alice: User  # coordinator, Mechelen
    bob: User  # mayor, Mechelen
    ilse: User  # information officer, Mechelen
    pim: User  # partner member, Mechelen
    walter: User  # coordinator, Wingene
    vera: User  # VVSG staff
    olaf: User  # outsider
    mona: User  # municipal staff, Mechelen (no access to the cell's pages)


def make_user(
    email: str, full_name: str, *, platform_role: str = "", enrolled: bool = True
) -> User:
    user = user_create(
        email=email, full_name=full_name, password=PASSWORD, platform_role=platform_role
    )
    if enrolled:
        device = totp_device_create(user=user)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return user


def make_personas() -> Personas:
    with scopes_disabled():
        mechelen = cell_create(name="LIVC R Mechelen", nis_codes=["12025"])
        wingene = cell_create(name="LIVC R Wingene", nis_codes=["37021"])
        alice = make_user("alice@example.org", "Alice Coördinator")
        bob = make_user("bob@example.org", "Bob Burgemeester")
        ilse = make_user("ilse@example.org", "Ilse Informatie")
        pim = make_user("pim@example.org", "Pim Partner")
        walter = make_user("walter@example.org", "Walter Wingene")
        vera = make_user("vera@example.org", "Vera VVSG", platform_role=PlatformRole.VVSG_STAFF)
        olaf = make_user("olaf@example.org", "Olaf Outsider")
        membership_add(cell=mechelen, user=alice, role=Role.COORDINATOR)
        membership_add(cell=mechelen, user=bob, role=Role.MAYOR)
        membership_add(cell=mechelen, user=ilse, role=Role.INFORMATION_OFFICER)
        caw = organisation_create(
            cell=mechelen,
            name="CAW Boom Mechelen Lier",
            sector=Sector.CAW,
            participation=Participation.CORE,
        )
        membership_add(cell=mechelen, user=pim, role=Role.MEMBER, organisation=caw)
        membership_add(cell=wingene, user=walter, role=Role.COORDINATOR)
        mona = make_user("mona@example.org", "Mona Gemeente")
        membership_add(cell=mechelen, user=mona, role=Role.MUNICIPAL_STAFF)
    return Personas(mechelen, wingene, alice, bob, ilse, pim, walter, vera, olaf, mona)


def signed_in_session_key(user: User, *, user_agent: str = "") -> str:
    """The key of a new, fully signed-in session (password and second factor passed).

    Uses the same `session_start` service as the login view, without spending a TOTP step
    (a code works once per 30 seconds). Also used by the benchmark (`bench/pages.py`).
    """
    request = RequestFactory().get("/", HTTP_USER_AGENT=user_agent)
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise TOTPDevice.DoesNotExist(f"{user.email} has no confirmed authenticator")
    session_start(request=request, user=user, device=device)
    request.session.save()
    return str(request.session.session_key)


def sign_in(client: Client, user: User) -> None:
    """Give the client a fully signed-in session (see `signed_in_session_key`)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session_key(user)


def sign_in_password_only(client: Client, user: User) -> None:
    """A half-authenticated client: password accepted, second factor not yet."""
    response = client.post("/login/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def with_recovery_codes(user: User) -> list[str]:
    return recovery_codes_generate(user=user)
