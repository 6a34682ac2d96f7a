"""A cell's partner organisations, their contact persons and collaboration links."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.cells.models import Cell


class Sector(models.TextChoices):
    """Fixed taxonomy. Federal security or intelligence services are absent on purpose (R-08)."""

    LOCAL_POLICE = "local_police", _("Local police")
    MUNICIPAL_PREVENTION = "municipal_prevention", _("Municipal prevention service")
    SOCIAL_SERVICES = "social_services", _("OCMW / social services")
    CAW = "caw", _("CAW (general welfare centre)")
    CLB = "clb", _("CLB (pupil guidance centre)")
    SCHOOLS = "schools", _("Schools")
    YOUTH_WORK = "youth_work", _("Youth work")
    STREET_WORK = "street_work", _("Street work")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    JUSTICE_HOUSE = "justice_house", _("Justice house")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    SPORTS_CULTURE = "sports_culture", _("Sports and culture")
    COMMUNITY = "community", _("Community or religious organisations")
    OTHER = "other", _("Other")


# Sectors whose work is support and prevention rather than enforcement or administration.
# "Other" is not counted: a cell must name the sector for it to count as socio-preventive.
SOCIO_PREVENTIVE_SECTORS = frozenset(
    {
        Sector.SOCIAL_SERVICES,
        Sector.CAW,
        Sector.CLB,
        Sector.SCHOOLS,
        Sector.YOUTH_WORK,
        Sector.STREET_WORK,
        Sector.MENTAL_HEALTH,
        Sector.JUSTICE_HOUSE,
        Sector.EMPLOYMENT,
        Sector.HOUSING,
        Sector.SPORTS_CULTURE,
        Sector.COMMUNITY,
    }
)


class Participation(models.TextChoices):
    CORE = "core", _("Core member")
    PER_CASE = "per_case", _("Invited per case")
    NETWORK = "network", _("Network only")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INVITED = "invited", _("Invited")
    STOPPED = "stopped", _("Stopped")


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    participation = models.CharField(
        _("participation"),
        max_length=20,
        choices=Participation.choices,
        default=Participation.PER_CASE,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "cell", Lower("name"), name="network_organisation_unique_name_per_cell"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_socio_preventive(self) -> bool:
        return self.sector in SOCIO_PREVENTIVE_SECTORS


class ContactPerson(models.Model):
    """A professional contact at a partner organisation (not a person discussed in a case)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="contact_persons")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CollaborationLink(models.Model):
    """A declared collaboration between two partner organisations of the cell."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="collaboration_links")
    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_in")
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "source", "target"], name="network_link_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="network_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} - {self.target_id}"
