"""Partners and people: organisations, accounts with a confirmed second factor, every role.

Every cell has the same shape: six leading roles (mayor, coordinator, deputy, information
officer for the police, prevention official, data-protection officer), members for its active
partner organisations, and municipal staff who use only the support desk.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from vangnet.accounts.models import PlatformRole, TOTPDevice, User
from vangnet.cells.models import (
    SECRECY_TEXT_VERSION,
    CellProfile,
    Framework,
    LegalBasis,
    MeetingRhythm,
    Membership,
    Province,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.insights.sharing import CATEGORY_KEYS, default_sharing
from vangnet.network.models import (
    CollaborationLink,
    ContactPerson,
    Organisation,
    OrganisationStatus,
    Participation,
    Sector,
)
from vangnet.scale import texts
from vangnet.scale.world import CellPlan, World, new_id, spread

if TYPE_CHECKING:
    import random

    from vangnet.scale.services import Scale

DOMAIN = "scale.vangnet.invalid"

# (e-mail prefix, role, index of the organisation represented or None)
LEADS = (
    ("mayor", Role.MAYOR, None),
    ("coordinator", Role.COORDINATOR, None),
    ("deputy", Role.DEPUTY_COORDINATOR, None),
    ("information", Role.INFORMATION_OFFICER, 0),
    ("prevention", Role.PREVENTION_OFFICIAL, 1),
    ("dpo", Role.DPO, None),
)
# The first partners of every cell; the partner persona represents the third (the CAW).
FIRST_SECTORS = (
    Sector.LOCAL_POLICE,
    Sector.MUNICIPAL_PREVENTION,
    Sector.CAW,
    Sector.SOCIAL_SERVICES,
    Sector.CLB,
)
OTHER_SECTORS = [s for s in Sector.values if s not in FIRST_SECTORS[:2]]
MEMBER_SHARE = 0.6  # of the people beyond the leading roles; the rest are municipal staff


def lead_email(prefix: str, cell: int) -> str:
    return f"{prefix}.c{cell:03d}@{DOMAIN}"


def partner_email(cell: int, k: int) -> str:
    return f"partner.c{cell:03d}@{DOMAIN}" if k == 1 else f"partner.c{cell:03d}.{k:02d}@{DOMAIN}"


def municipal_email(cell: int, k: int) -> str:
    return (
        f"municipal.c{cell:03d}@{DOMAIN}" if k == 1 else f"municipal.c{cell:03d}.{k:02d}@{DOMAIN}"
    )


def staff_email(k: int) -> str:
    return f"staff.{k:02d}@{DOMAIN}"


# --- Partner organisations ---------------------------------------------------------------------


def network_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("network")
    counts = spread(scale.organisations, [1.0] * len(world.cells))
    contacts, links = [], []
    for plan, count in zip(world.cells, counts, strict=True):
        plan.organisations = _organisations(world, rng, plan, max(count, len(FIRST_SECTORS)))
        for org in plan.organisations:
            first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
            contacts.append(
                ContactPerson(
                    id=new_id(rng),
                    cell_id=plan.cell.pk,
                    organisation=org,
                    name=f"{first} {last}",
                    function=rng.choice(texts.FUNCTIONS),
                    email=f"contact.{new_id(rng).hex[:10]}@partner.invalid",
                    phone=f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                )
            )
        links += _links(world, rng, plan)
    return {
        "organisations": world.insert(
            Organisation, [o for plan in world.cells for o in plan.organisations]
        ),
        "contact persons": world.insert(ContactPerson, contacts),
        "links": world.insert(CollaborationLink, links),
    }


def _organisations(
    world: World, rng: random.Random, plan: CellPlan, count: int
) -> list[Organisation]:
    place = plan.municipalities[0]
    taken: set[str] = set()
    core = max(len(FIRST_SECTORS), count // 3)
    organisations = []
    for index in range(count):
        sector = FIRST_SECTORS[index] if index < len(FIRST_SECTORS) else rng.choice(OTHER_SECTORS)
        name = rng.choice(texts.ORGANISATION_NAMES[sector]).format(
            m=place.name_nl, p=place.province_nl
        )
        name = _unique(name, taken)
        if index < len(FIRST_SECTORS):
            status = OrganisationStatus.ACTIVE
        else:
            status = rng.choices(
                [OrganisationStatus.ACTIVE, OrganisationStatus.INVITED, OrganisationStatus.STOPPED],
                [88, 6, 6],
            )[0]
        joined = world.day_between(
            rng, plan.cell.created_at.date(), world.today - datetime.timedelta(days=60)
        )
        organisations.append(
            Organisation(
                id=new_id(rng),
                cell_id=plan.cell.pk,
                name=name,
                sector=sector,
                participation=(
                    Participation.CORE
                    if index < core
                    else rng.choice([Participation.PER_CASE, Participation.NETWORK])
                ),
                status=status,
                joined_on=joined if status != OrganisationStatus.INVITED else None,
                created_at=world.at(joined, rng.uniform(9, 17)),
            )
        )
    return organisations


def _unique(name: str, taken: set[str]) -> str:
    candidate, k = name, 1
    while candidate.lower() in taken:
        k += 1
        candidate = f"{name} {k}"
    taken.add(candidate.lower())
    return candidate


def _links(world: World, rng: random.Random, plan: CellPlan) -> list[CollaborationLink]:
    orgs = plan.organisations
    pairs: set[tuple[int, int]] = set()
    for _ in range(round(len(orgs) * 1.2)):
        source, target = rng.sample(range(len(orgs)), 2)
        pairs.add((source, target))
    return [
        CollaborationLink(
            id=new_id(rng),
            cell_id=plan.cell.pk,
            source=orgs[s],
            target=orgs[t],
            description="Samenwerking rond jongeren",
            created_at=max(orgs[s].created_at, orgs[t].created_at),
        )
        for s, t in sorted(pairs)
    ]


# --- People --------------------------------------------------------------------------------------


def people_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("people")
    per_cell = spread(scale.users, [1.0] * len(world.cells))
    memberships: list[Membership] = []
    for plan, count in zip(world.cells, per_cell, strict=True):
        memberships += _cell_people(world, rng, plan, count)
    users = [m.user for m in memberships]
    for k in range(1, scale.staff + 1):
        joined = world.day_between(rng, world.start_day, world.today - datetime.timedelta(days=30))
        world.staff.append(
            _user(world, rng, staff_email(k), world.at(joined, 9), PlatformRole.VVSG_STAFF)
        )
    users += world.staff
    acknowledgements = [
        SecrecyAcknowledgement(
            id=new_id(rng),
            cell_id=m.cell_id,
            user=m.user,
            context=SecrecyAcknowledgement.Context.JOINING,
            text_version=SECRECY_TEXT_VERSION,
            acknowledged_at=m.started_at,
        )
        for m in memberships
        if m.role != Role.MUNICIPAL_STAFF
    ]
    devices = [
        TOTPDevice(
            user=user,
            name="Authenticator",
            confirmed=True,
            uid=new_id(rng),
            key=secrets.token_bytes(20).hex(),  # a real secret: never derived from the seed
            created_at=user.date_joined,
        )
        for user in users
    ]
    frameworks, profiles = _frameworks(world, rng)
    _organisation_events(world)
    return {
        "users": world.insert(User, users),
        "authenticators": world.insert(TOTPDevice, devices),
        "memberships": world.insert(Membership, memberships),
        "acknowledgements": world.insert(SecrecyAcknowledgement, acknowledgements),
        "frameworks": world.insert(Framework, frameworks),
        "profiles": world.insert(CellProfile, profiles),
    }


def _user(
    world: World, rng: random.Random, email: str, joined: datetime.datetime, platform_role: str = ""
) -> User:
    return User(
        id=new_id(rng),
        email=email,
        full_name=texts.full_name(rng),
        platform_role=platform_role,
        password=world.password_hash,
        date_joined=joined,
    )


def _cell_people(world: World, rng: random.Random, plan: CellPlan, count: int) -> list[Membership]:
    """The cell's memberships (one per person), its leading roles first."""
    founded = plan.cell.created_at
    latest = world.today - datetime.timedelta(days=14)
    active = [o for o in plan.organisations[2:] if o.status == OrganisationStatus.ACTIVE]
    members = max(1, round((count - len(LEADS)) * MEMBER_SHARE))
    memberships = []
    for index in range(count):
        if index < len(LEADS):
            prefix, role, org_index = LEADS[index]
            email = lead_email(prefix, plan.number)
            organisation = None if org_index is None else plan.organisations[org_index]
            started = world.office_moment(rng, founded.date() + datetime.timedelta(days=index))
        else:
            k = index - len(LEADS)
            if k < members:
                role, email, organisation = (
                    Role.MEMBER,
                    partner_email(plan.number, k + 1),
                    active[k % len(active)],
                )
            else:
                role = Role.MUNICIPAL_STAFF
                email, organisation = municipal_email(plan.number, k - members + 1), None
            # Most people joined in the cell's first year, after its leading roles.
            first = founded.date() + datetime.timedelta(days=len(LEADS))
            last = first + datetime.timedelta(days=365) if rng.random() < 0.8 else latest
            started = world.office_moment(rng, world.day_between(rng, first, min(last, latest)))
        user = _user(world, rng, email, started)
        membership = Membership(
            id=new_id(rng),
            cell_id=plan.cell.pk,
            user=user,
            role=role,
            organisation=organisation,
            started_at=started,
        )
        memberships.append(membership)
        _remember(plan, membership)
    for m in memberships:
        world.event(
            m.started_at,
            "cells.membership.added",
            actor=None if m.role in (Role.MAYOR, Role.COORDINATOR) else plan.coordinator,
            cell=plan.cell.pk,
            target=m,
            data={"role": m.role},
        )
    return memberships


def _remember(plan: CellPlan, membership: Membership) -> None:
    user = membership.user
    if membership.role == Role.MUNICIPAL_STAFF:
        plan.municipal_staff.append(user)
    elif membership.role == Role.MEMBER:
        assert membership.organisation is not None
        plan.members.append((user, membership.organisation))
    else:
        plan.leads[membership.role] = user


def _frameworks(world: World, rng: random.Random) -> tuple[list[Framework], list[CellProfile]]:
    frameworks, profiles = [], []
    for plan in world.cells:
        founded = plan.cell.created_at
        updated = founded + datetime.timedelta(days=rng.randint(10, 40))
        approved = rng.random() < 0.9
        framework = Framework(
            id=new_id(rng),
            cell_id=plan.cell.pk,
            legal_basis=LegalBasis.LIVC_LAW_2018,
            legal_reference="Wet van 30 juli 2018, art. 458ter Sw.",
            participant_categories="Politie, preventie, welzijn, onderwijs en jeugdwerk.",
            working_arrangements="Maandelijks casusoverleg; signalen via de coördinator.",
            start_date=founded.date(),
            updated_at=updated,
            approved_at=updated + datetime.timedelta(days=10) if approved else None,
            approved_by=plan.leads[Role.MAYOR] if approved else None,
        )
        frameworks.append(framework)
        if framework.approved_at:
            world.event(
                framework.approved_at,
                "cells.framework.approved",
                actor=plan.leads[Role.MAYOR],
                cell=plan.cell.pk,
                target=framework,
            )
        profiles.append(
            CellProfile(
                id=new_id(rng),
                cell_id=plan.cell.pk,
                meeting_rhythm=rng.choice(MeetingRhythm.values),
                coordinator_fte=Decimal(rng.choice(["0.20", "0.50", "0.80", "1.00"])),
                privacy_notice="De cel verwerkt persoonsgegevens volgens de wet van 30 juli 2018.",
                map_shared_with_vvsg=rng.random() < 0.3,
                # The first cell of each province shares everything: a small platform then
                # still has every figure of the VVSG dashboard to show.
                insights_sharing=(
                    list(CATEGORY_KEYS)
                    if plan.number <= len(Province) or rng.random() < 0.6
                    else default_sharing()
                ),
                updated_at=updated,
            )
        )
    return frameworks, profiles


def _organisation_events(world: World) -> None:
    """Partners were registered by the coordinator, who exists only now."""
    for plan in world.cells:
        for org in plan.organisations:
            world.event(
                max(org.created_at, plan.coordinator.date_joined),
                "network.organisation.created",
                actor=plan.coordinator,
                cell=plan.cell.pk,
                target=org,
                data={
                    "sector": org.sector,
                    "participation": org.participation,
                    "status": org.status,
                },
            )
