"""The demo: fictional cells, people and roles on real municipality names.

Every demo account has the same password and an authenticator app whose current code
`manage.py demo_otp <e-mail>` prints, so a visitor can pass MFA without a phone. Nothing in
the sign-in code knows about the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_scopes import scopes_disabled

from vangnet.accounts.models import PlatformRole, TOTPDevice, User
from vangnet.accounts.services import recovery_codes_generate, totp_device_create, user_create
from vangnet.cells.models import Cell, LegalBasis, Role
from vangnet.cells.services import cell_create, membership_add

DEMO_DOMAIN = "demo.vangnet.invalid"
DEMO_PASSWORD = "vangnet-demo-wachtwoord"


@dataclass(frozen=True)
class DemoCell:
    slug: str
    name: str
    nis_codes: tuple[str, ...]
    kind: str


DEMO_CELLS = (
    DemoCell("mechelen", "LIVC R Mechelen", ("12025",), "city"),
    DemoCell("wingene", "LIVC R Wingene", ("37021",), "rural"),
    DemoCell(
        "vlaamse-ardennen", "LIVC R Lierde-Horebeke-Maarkedal", ("45063", "45062", "45064"), "joint"
    ),
)

# Fictional people, one list per cell, in the order of ROLE_ORGANISATIONS.
DEMO_NAMES = {
    "mechelen": [
        "Els Van den Broeck",
        "Karim Ouali",
        "Sofie Janssens",
        "Pieter De Smet",
        "Nadia El Amrani",
        "Joris Wouters",
        "Hilde Claes",
    ],
    "wingene": [
        "Marc Vandamme",
        "Lotte Verhaeghe",
        "Bram Declercq",
        "Ann Vermeersch",
        "Tom Desmet",
        "Griet Vanneste",
        "Wim Debruyne",
    ],
    "vlaamse-ardennen": [
        "Katrien De Vos",
        "Stijn Van Hecke",
        "Leen Mertens",
        "Dirk Cools",
        "Ines De Wilde",
        "Koen Van Damme",
        "Mieke Goossens",
    ],
}

ROLE_ORGANISATIONS = (
    (Role.MAYOR, "burgemeester", "Stad/gemeente"),
    (Role.COORDINATOR, "coordinator", "Preventiedienst"),
    (Role.DEPUTY_COORDINATOR, "adjunct", "Preventiedienst"),
    (Role.INFORMATION_OFFICER, "io", "Lokale politie"),
    (Role.PREVENTION_OFFICIAL, "preventie", "Preventiedienst"),
    (Role.MEMBER, "partner", "CAW"),
    (Role.DPO, "dpo", "Informatieveiligheid"),
)


@dataclass(frozen=True)
class Persona:
    email: str
    name: str
    description: str


def _ensure_user(email: str, full_name: str, platform_role: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, full_name=full_name, password=DEMO_PASSWORD, platform_role=platform_role
        )
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = totp_device_create(user=user)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery_codes_generate(user=user)
    return user


@transaction.atomic
def demo_load() -> list[Persona]:
    """Create (or complete) the demo. Running it twice changes nothing the second time."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo must not be loaded in production.")
    personas: list[Persona] = []
    with scopes_disabled():
        for demo in DEMO_CELLS:
            cell = Cell.objects.filter(name=demo.name).first()
            if cell is None:
                cell = cell_create(
                    name=demo.name,
                    nis_codes=demo.nis_codes,
                    legal_basis=LegalBasis.LIVC_LAW_2018,
                    participant_categories="Burgemeester, lokale politie (informatieambtenaar), "
                    "preventiedienst, OCMW, CAW, CLB, jeugddienst",
                    working_arrangements="Casusoverleg om de zes weken; ad hoc bij dringende "
                    "signalen. Samenstelling per casus.",
                )
            for (role, local, organisation), name in zip(
                ROLE_ORGANISATIONS, DEMO_NAMES[demo.slug], strict=True
            ):
                email = f"{local}.{demo.slug}@{DEMO_DOMAIN}"
                user = _ensure_user(email, name)
                membership_add(cell=cell, user=user, role=role, organisation=organisation)
                personas.append(Persona(email, name, f"{Role(role).label} — {demo.name}"))
        staff = _ensure_user(
            f"ondersteuning@{DEMO_DOMAIN}", "Fien Vervoort", PlatformRole.VVSG_STAFF
        )
        personas.append(Persona(staff.email, staff.full_name, "VVSG-medewerker (ondersteuning)"))
        admin = _ensure_user(f"beheer@{DEMO_DOMAIN}", "Rik Adriaens", PlatformRole.PLATFORM_ADMIN)
        personas.append(Persona(admin.email, admin.full_name, "Platformbeheerder"))
        outsider = _ensure_user(f"buitenstaander@{DEMO_DOMAIN}", "Olaf Buyse")
        personas.append(Persona(outsider.email, outsider.full_name, "Buitenstaander (geen cel)"))
    return personas


def demo_device(email: str) -> TOTPDevice:
    """The authenticator of a demo persona; refuses any account outside the demo domain."""
    if not email.lower().endswith("@" + DEMO_DOMAIN):
        raise ValueError(f"{email} is not a demo persona (must end with @{DEMO_DOMAIN})")
    device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
    if device is None:
        raise ValueError(f"No demo persona {email}; run 'manage.py demo' first")
    return device
