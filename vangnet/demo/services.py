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
from vangnet.cells.models import (
    SECRECY_TEXT_VERSION,
    Cell,
    LegalBasis,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.cells.services import cell_create, membership_add
from vangnet.network.models import CollaborationLink, Organisation, Participation, Sector
from vangnet.network.services import link_add, organisation_create

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

# Role, e-mail prefix, and the sector of the partner organisation the persona represents.
ROLE_ORGANISATIONS = (
    (Role.MAYOR, "burgemeester", None),
    (Role.COORDINATOR, "coordinator", Sector.MUNICIPAL_PREVENTION),
    (Role.DEPUTY_COORDINATOR, "adjunct", Sector.MUNICIPAL_PREVENTION),
    (Role.INFORMATION_OFFICER, "io", Sector.LOCAL_POLICE),
    (Role.PREVENTION_OFFICIAL, "preventie", Sector.MUNICIPAL_PREVENTION),
    (Role.MEMBER, "partner", Sector.CAW),
    (Role.DPO, "dpo", None),
)

P, C, N = Participation.PER_CASE, Participation.CORE, Participation.NETWORK
# Partner networks: (name, sector, participation, status). Wingene has only police and the
# municipality, so its coverage panel warns that no socio-preventive partner is active.
DEMO_PARTNERS: dict[str, list[tuple[str, str, str, str]]] = {
    "mechelen": [
        ("Politiezone Mechelen-Willebroek", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Mechelen", Sector.MUNICIPAL_PREVENTION, C, "active"),
        ("OCMW Mechelen", Sector.SOCIAL_SERVICES, C, "active"),
        ("CAW Boom Mechelen Lier", Sector.CAW, C, "active"),
        ("CLB Mechelen", Sector.CLB, P, "active"),
        ("Jeugddienst Mechelen", Sector.YOUTH_WORK, P, "active"),
        ("Straathoekwerk Mechelen", Sector.STREET_WORK, P, "active"),
        ("CGG Ruprecht", Sector.MENTAL_HEALTH, P, "active"),
        ("Justitiehuis Mechelen", Sector.JUSTICE_HOUSE, N, "active"),
        ("VDAB Mechelen", Sector.EMPLOYMENT, N, "active"),
        ("Sportdienst Mechelen", Sector.SPORTS_CULTURE, N, "invited"),
    ],
    "wingene": [
        ("Politiezone Regio Tielt", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Wingene", Sector.MUNICIPAL_PREVENTION, C, "active"),
    ],
    "vlaamse-ardennen": [
        ("Politiezone Vlaamse Ardennen", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Lierde-Horebeke-Maarkedal", Sector.MUNICIPAL_PREVENTION, C, "active"),
        ("OCMW Maarkedal", Sector.SOCIAL_SERVICES, C, "active"),
        ("CAW Oost-Vlaanderen", Sector.CAW, C, "active"),
        ("CLB Vlaamse Ardennen", Sector.CLB, P, "active"),
        ("Jeugdwerk Lierde", Sector.YOUTH_WORK, N, "stopped"),
    ],
}
DEMO_LINKS = {
    "mechelen": [
        ("Preventiedienst Mechelen", "Politiezone Mechelen-Willebroek", "Signalen en opvolging"),
        ("CAW Boom Mechelen Lier", "OCMW Mechelen", "Gezinsondersteuning"),
        ("CLB Mechelen", "Jeugddienst Mechelen", "Schoolverzuim"),
        ("Straathoekwerk Mechelen", "CAW Boom Mechelen Lier", "Toeleiding"),
        ("CGG Ruprecht", "CAW Boom Mechelen Lier", "Psychosociale begeleiding"),
    ],
    "wingene": [
        ("Preventiedienst Wingene", "Politiezone Regio Tielt", "Signalen"),
    ],
    "vlaamse-ardennen": [
        ("CAW Oost-Vlaanderen", "OCMW Maarkedal", "Begeleiding"),
        ("CLB Vlaamse Ardennen", "Preventiedienst Lierde-Horebeke-Maarkedal", "Signalen"),
    ],
}


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
            organisations = _ensure_network(cell, demo.slug)
            for (role, local, sector), name in zip(
                ROLE_ORGANISATIONS, DEMO_NAMES[demo.slug], strict=True
            ):
                email = f"{local}.{demo.slug}@{DEMO_DOMAIN}"
                user = _ensure_user(email, name)
                organisation = next((o for o in organisations.values() if o.sector == sector), None)
                membership_add(cell=cell, user=user, role=role, organisation=organisation)
                if not SecrecyAcknowledgement.objects.filter(cell=cell, user=user).exists():
                    SecrecyAcknowledgement.objects.create(
                        cell=cell,
                        user=user,
                        context=SecrecyAcknowledgement.Context.JOINING,
                        text_version=SECRECY_TEXT_VERSION,
                    )
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


def _ensure_network(cell: Cell, slug: str) -> dict[str, Organisation]:
    existing = {o.name: o for o in Organisation.objects.filter(cell=cell)}
    for name, sector, participation, status in DEMO_PARTNERS[slug]:
        if name not in existing:
            existing[name] = organisation_create(
                cell=cell, name=name, sector=sector, participation=participation, status=status
            )
    for source, target, description in DEMO_LINKS[slug]:
        if not CollaborationLink.objects.filter(
            cell=cell, source=existing[source], target=existing[target]
        ).exists():
            link_add(
                cell=cell,
                source=existing[source],
                target=existing[target],
                description=description,
            )
    return existing


def demo_device(email: str) -> TOTPDevice:
    """The authenticator of a demo persona; refuses any account outside the demo domain."""
    if not email.lower().endswith("@" + DEMO_DOMAIN):
        raise ValueError(f"{email} is not a demo persona (must end with @{DEMO_DOMAIN})")
    device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
    if device is None:
        raise ValueError(f"No demo persona {email}; run 'manage.py demo' first")
    return device
