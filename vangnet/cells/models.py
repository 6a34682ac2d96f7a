"""Municipalities (reference data), cells (the tenants), their framework record and memberships."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

if TYPE_CHECKING:
    from vangnet.accounts.models import User


class Province(models.TextChoices):
    ANTWERPEN = "10000", "Antwerpen"
    VLAAMS_BRABANT = "20001", "Vlaams-Brabant"
    WEST_VLAANDEREN = "30000", "West-Vlaanderen"
    OOST_VLAANDEREN = "40000", "Oost-Vlaanderen"
    LIMBURG = "70000", "Limburg"


class Municipality(models.Model):
    """One of the 285 Flemish municipalities (since the mergers of 1 January 2025)."""

    nis_code = models.CharField(max_length=5, primary_key=True)
    name_nl = models.CharField(max_length=100, unique=True)
    name_fr = models.CharField(max_length=100)
    arrondissement_nis = models.CharField(max_length=5)
    arrondissement_nl = models.CharField(max_length=100)
    province_nis = models.CharField(max_length=5, choices=Province.choices)
    province_nl = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name_nl


class CellQuerySet(models.QuerySet["Cell"]):
    def for_user(self, user: User) -> CellQuerySet:
        """Cells in which the user has an active membership."""
        return self.filter(memberships__user=user, memberships__ended_at__isnull=True).distinct()


class Cell(models.Model):
    """One LIVC R: the tenant. A joint cell covers several municipalities."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="cells", verbose_name=_("municipalities")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cell")
        verbose_name_plural = _("cells")

    def __str__(self) -> str:
        return self.name

    @property
    def is_joint(self) -> bool:
        return self.municipalities.count() > 1


class LegalBasis(models.TextChoices):
    LIVC_LAW_2018 = "law_2018", _("Law of 30 July 2018 (LIVC R)")
    FLEMISH_DECREE_2021 = "decree_2021", _("Flemish decree of 21 May 2021 (participation)")
    OTHER_LAW = "other_law", _("Another law, decree or ordinance (art. 458ter Sw.)")
    PROSECUTOR = "prosecutor", _("Reasoned authorisation of the public prosecutor")


LIVC_FINALITY = "Preventie van terroristische misdrijven (Titel Iter, Boek II Strafwetboek)"


class Framework(models.Model):
    """The cell's legal framework record (R-01): who takes part, why and how."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.OneToOneField(Cell, on_delete=models.CASCADE, related_name="framework")
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.LIVC_LAW_2018,
    )
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    # locked for an LIVC R; a broader remit needs its own legal basis (a later issue).
    finality = models.CharField(_("finality"), max_length=300, default=LIVC_FINALITY)
    participant_categories = models.TextField(_("participant categories"), blank=True)
    working_arrangements = models.TextField(_("working arrangements"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        verbose_name = _("framework")

    def __str__(self) -> str:
        return f"Framework {self.cell_id}"


class Role(models.TextChoices):
    MAYOR = "mayor", _("Mayor (chair)")
    COORDINATOR = "coordinator", _("Coordinator")
    DEPUTY_COORDINATOR = "deputy_coordinator", _("Deputy coordinator")
    INFORMATION_OFFICER = "information_officer", _("Police information officer")
    PREVENTION_OFFICIAL = "prevention_official", _("Prevention official")
    MEMBER = "member", _("Member (partner organisation)")
    DPO = "dpo", _("Data-protection officer")


# Roles that run the cell (agenda, members, framework).
MANAGING_ROLES = frozenset({Role.COORDINATOR, Role.DEPUTY_COORDINATOR})


class Membership(models.Model):
    """A user's role in one cell. Ending a membership keeps the row for the audit trail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["cell__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="cells_membership_unique_active_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} in {self.cell_id}"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES
