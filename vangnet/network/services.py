"""Partner organisations, contacts and links; the map data and the sector coverage."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vangnet.audit.services import audit_record
from vangnet.cells.models import Cell
from vangnet.network.models import (
    SOCIO_PREVENTIVE_SECTORS,
    CollaborationLink,
    ContactPerson,
    Organisation,
    OrganisationStatus,
    Sector,
)

if TYPE_CHECKING:
    from vangnet.accounts.models import User

# security and intelligence services other than the local police are not cell members.
_EXCLUDED_SERVICES = re.compile(
    r"\b(vsse|staatsveiligheid|s[ûu]ret[ée] de l.?[ée]tat|adiv|sgrs|ocam|ocad|cuta|"
    r"algemene dienst inlichting|federale (gerechtelijke )?politie|police f[ée]d[ée]rale)\b",
    re.IGNORECASE,
)


def organisation_name_check(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("Enter the name of the organisation."))
    if _EXCLUDED_SERVICES.search(cleaned):
        raise ValidationError(
            _(
                "Security and intelligence services other than the local police cannot be "
                "members of an LIVC R (Law of 30 July 2018)."
            )
        )
    return cleaned


def _name_taken(cell: Cell, name: str, exclude: Organisation | None = None) -> bool:
    others = Organisation.objects.filter(cell=cell, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


@transaction.atomic
def organisation_create(
    *,
    cell: Cell,
    name: str,
    sector: str,
    participation: str,
    status: str = OrganisationStatus.ACTIVE,
    joined_on: datetime.date | None = None,
    created_by: User | None = None,
) -> Organisation:
    name = organisation_name_check(name)
    if _name_taken(cell, name):
        raise ValidationError(_("This cell already has an organisation with this name."))
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                cell=cell,
                name=name,
                sector=sector,
                participation=participation,
                status=status,
                joined_on=joined_on,
            )
    except IntegrityError:  # a concurrent create with the same name
        raise ValidationError(_("This cell already has an organisation with this name.")) from None
    audit_record(
        action="network.organisation.created",
        actor=created_by,
        cell=cell,
        target=organisation,
        data={"sector": sector, "participation": participation, "status": status},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, changes: dict[str, Any], updated_by: User | None = None
) -> Organisation:
    allowed = {"name", "sector", "participation", "status", "joined_on"}
    if "name" in changes:
        changes["name"] = organisation_name_check(changes["name"])
        if _name_taken(organisation.cell, changes["name"], exclude=organisation):
            raise ValidationError(_("This cell already has an organisation with this name."))
    changed = [
        f for f in sorted(allowed & changes.keys()) if getattr(organisation, f) != changes[f]
    ]
    for field in changed:
        setattr(organisation, field, changes[field])
    if changed:
        organisation.save(update_fields=changed)
        audit_record(
            action="network.organisation.updated",
            actor=updated_by,
            cell=organisation.cell_id,
            target=organisation,
            data={"fields": changed},
        )
    return organisation


@transaction.atomic
def contact_add(
    *,
    organisation: Organisation,
    name: str,
    function: str = "",
    email: str = "",
    phone: str = "",
    added_by: User | None = None,
) -> ContactPerson:
    contact = ContactPerson.objects.create(
        cell_id=organisation.cell_id,
        organisation=organisation,
        name=name.strip(),
        function=function.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    audit_record(
        action="network.contact.added", actor=added_by, cell=organisation.cell_id, target=contact
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: ContactPerson, removed_by: User | None = None) -> None:
    audit_record(
        action="network.contact.removed", actor=removed_by, cell=contact.cell_id, target=contact
    )
    contact.delete()


@transaction.atomic
def link_add(
    *,
    cell: Cell,
    source: Organisation,
    target: Organisation,
    description: str = "",
    added_by: User | None = None,
) -> CollaborationLink:
    if source.pk == target.pk:
        raise ValidationError(_("Choose two different organisations."))
    if source.cell_id != cell.pk or target.cell_id != cell.pk:
        raise ValidationError(_("Choose organisations of this cell."))
    # A link has no direction for the map: A-B and B-A are the same link.
    if CollaborationLink.objects.filter(
        cell=cell, source__in=[source, target], target__in=[source, target]
    ).exists():
        raise ValidationError(_("These organisations are already linked."))
    link = CollaborationLink.objects.create(
        cell=cell, source=source, target=target, description=description.strip()
    )
    audit_record(action="network.link.added", actor=added_by, cell=cell, target=link)
    return link


@transaction.atomic
def link_remove(*, link: CollaborationLink, removed_by: User | None = None) -> None:
    audit_record(action="network.link.removed", actor=removed_by, cell=link.cell_id, target=link)
    link.delete()


# --- The map -------------------------------------------------------------------------------

Edge = dict[str, str]
# Later apps (cases, meetings) register a function that yields co-participation edges for a
# cell; the map merges them with the declared links. Each edge: id, source, target, kind, label.
EDGE_SOURCES: list[Callable[[Cell], list[Edge]]] = []


def _declared_edges(cell: Cell) -> list[Edge]:
    return [
        {
            "id": str(link.pk),
            "source": str(link.source_id),
            "target": str(link.target_id),
            "kind": "declared",
            "label": link.description,
        }
        for link in CollaborationLink.objects.filter(cell=cell)
    ]


EDGE_SOURCES.append(_declared_edges)


def partner_map_data(cell: Cell, *, for_vvsg: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges of the cell's partner map; never contact persons.

    `for_vvsg` keeps only declared links and drops their free-text description: edges that
    later apps derive from cases and meetings stay inside the cell.
    """
    organisations = list(Organisation.objects.filter(cell=cell))
    nodes = [
        {
            "id": str(o.pk),
            "name": o.name,
            "sector": o.sector,
            "sector_label": str(o.get_sector_display()),
            "participation": o.participation,
            "participation_label": str(o.get_participation_display()),
            "status": o.status,
            "status_label": str(o.get_status_display()),
            "socio_preventive": o.is_socio_preventive,
        }
        for o in organisations
    ]
    names = {str(node["id"]): str(node["name"]) for node in nodes}
    edges = [edge for source in EDGE_SOURCES for edge in source(cell)]
    if for_vvsg:
        edges = [{**edge, "label": ""} for edge in edges if edge["kind"] == "declared"]
    for edge in edges:
        edge["source_name"] = names.get(edge["source"], "")
        edge["target_name"] = names.get(edge["target"], "")
    return {"nodes": nodes, "edges": edges}


# --- Coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorCoverage:
    sector: str
    label: str
    socio_preventive: bool
    active: int
    inactive: int

    @property
    def state(self) -> str:
        if self.active:
            return "present"
        return "inactive" if self.inactive else "missing"


@dataclass(frozen=True)
class Coverage:
    sectors: list[SectorCoverage]

    @property
    def active_socio_preventive(self) -> int:
        return sum(s.active for s in self.sectors if s.socio_preventive)

    @property
    def warning(self) -> bool:
        """No active socio-preventive partner: the cell only hears from police and town hall."""
        return self.active_socio_preventive == 0


def coverage_for_cell(cell: Cell) -> Coverage:
    counts: dict[str, list[int]] = {}
    for sector, status in Organisation.objects.filter(cell=cell).values_list("sector", "status"):
        # [active, inactive]: invited and stopped organisations do not cover a sector.
        counts.setdefault(sector, [0, 0])[0 if status == OrganisationStatus.ACTIVE else 1] += 1
    return Coverage(
        [
            SectorCoverage(
                sector=value,
                label=str(label),
                socio_preventive=value in SOCIO_PREVENTIVE_SECTORS,
                active=counts.get(value, [0, 0])[0],
                inactive=counts.get(value, [0, 0])[1],
            )
            for value, label in Sector.choices
            if value != Sector.OTHER or value in counts
        ]
    )
