"""Municipalities (reference data), cells (the tenants), their framework record and memberships."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from vangnet.insights.sharing import default_sharing

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


# The same in every language: participants recognise exercise mail at a glance.
SANDBOX_MAIL_PREFIX = "[Oefening]"


class CellQuerySet(models.QuerySet["Cell"]):
    def for_user(self, user: User) -> CellQuerySet:
        """Cells in which the user has an active membership."""
        return self.filter(memberships__user=user, memberships__ended_at__isnull=True).distinct()

    def real(self) -> CellQuerySet:
        """Cells that are not tabletop-exercise sandboxes: the only ones any statistic counts.

        The rule: anything that aggregates over cells (a benchmark, a count, a map, a list for
        VVSG) or that admits people elsewhere because of a cell membership uses
        ``Cell.objects.real()`` or ``Membership.objects.real()``. A future statistic (insights,
        issue 9) must use Cell.objects.real() too.
        """
        return self.filter(is_sandbox=False)


class Cell(models.Model):
    """One LIVC R: the tenant. A joint cell covers several municipalities."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="cells", verbose_name=_("municipalities")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A training cell opened for a tabletop exercise: fictional data only, visibly marked,
    # excluded from every statistic and rule that admits people elsewhere, wiped afterwards.
    is_sandbox = models.BooleanField(_("exercise sandbox"), default=False, editable=False)

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cell")
        verbose_name_plural = _("cells")

    def __str__(self) -> str:
        return self.name

    def mail_subject(self, subject: str) -> str:
        """A mail about this cell: a training cell's mails are visibly marked as an exercise."""
        return f"{SANDBOX_MAIL_PREFIX} {subject}" if self.is_sandbox else subject

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
    # The coordinator edits, the mayor approves; an edit withdraws the approval.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(cell="cell")

    class Meta:
        verbose_name = _("framework")

    def __str__(self) -> str:
        return f"Framework {self.cell_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Phenomenon(models.TextChoices):
    """Risk behaviour beyond radicalisation (the "Danish model"); each needs its own legal basis."""

    INTRAFAMILY_VIOLENCE = "intrafamily_violence", _("Intrafamily violence")
    YOUTH_DELINQUENCY = "youth_delinquency", _("Persistent youth delinquency")
    DRUG_CRIME = "drug_crime", _("Drug-related crime")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    VULNERABLE_ADULTS = "vulnerable_adults", _("Vulnerable adults")


class FrameworkPhenomenon(models.Model):
    """A phenomenon switched on for the cell, with the legal basis that allows it (R-02)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="phenomena")
    phenomenon = models.CharField(_("phenomenon"), max_length=30, choices=Phenomenon.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    legal_basis_date = models.DateField(_("date of the legal basis"))
    enabled_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["phenomenon"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "phenomenon"],
                condition=models.Q(disabled_at__isnull=True),
                name="cells_phenomenon_unique_active",
            )
        ]

    def __str__(self) -> str:
        return self.phenomenon


class MeetingRhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    SIX_WEEKS = "six_weeks", _("Every six weeks")
    QUARTERLY = "quarterly", _("Quarterly")
    AD_HOC = "ad_hoc", _("When there are cases")


class CellProfile(models.Model):
    """How the cell runs: rhythm, capacity, privacy notice, retention, sharing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.OneToOneField(Cell, on_delete=models.CASCADE, related_name="profile")
    meeting_rhythm = models.CharField(
        _("meeting rhythm"), max_length=20, choices=MeetingRhythm.choices, blank=True
    )
    coordinator_fte = models.DecimalField(
        _("coordinator capacity (FTE)"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    privacy_notice = models.TextField(_("privacy notice"), blank=True)
    # Used by the case issue: how long closed cases and screened-out signals are kept.
    retention_closed_case_months = models.PositiveSmallIntegerField(
        _("keep closed cases (months)"), default=24
    )
    retention_signal_months = models.PositiveSmallIntegerField(
        _("keep signals that did not become a case (months)"), default=6
    )
    map_shared_with_vvsg = models.BooleanField(_("partner map shared with VVSG"), default=False)
    # Categories of figures shared (as aggregates only) with VVSG's insights: keys of
    # vangnet.insights.sharing.CATEGORIES; by default the non-personal ones.
    insights_sharing: models.JSONField[Any, Any] = models.JSONField(
        _("figures shared with VVSG"), default=default_sharing, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(cell="cell")

    def __str__(self) -> str:
        return f"Profile {self.cell_id}"


class DocumentKind(models.TextChoices):
    HOUSE_RULES = "house_rules", _("House rules")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement")


def _document_path(instance: CellDocument, filename: str) -> str:
    # The stored name never contains the uploaded file name (which may carry personal data).
    return f"cells/{instance.cell_id}/documents/{instance.id}{instance.extension}"


class CellDocument(models.Model):
    """A version of the house rules or cooperation agreement (PDF, DOCX or ODT)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_document_path)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "kind", "version"], name="cells_document_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class Role(models.TextChoices):
    MAYOR = "mayor", _("Mayor (chair)")
    COORDINATOR = "coordinator", _("Coordinator")
    DEPUTY_COORDINATOR = "deputy_coordinator", _("Deputy coordinator")
    INFORMATION_OFFICER = "information_officer", _("Police information officer")
    PREVENTION_OFFICIAL = "prevention_official", _("Prevention official")
    MEMBER = "member", _("Member (partner organisation)")
    DPO = "dpo", _("Data-protection officer")
    # Local-government staff who use the support desk, knowledge base and forum only: no
    # access to any page of the cell, its members, signals, cases or meetings.
    MUNICIPAL_STAFF = "municipal_staff", _("Municipal staff (support desk and knowledge only)")


# Roles that run the cell (agenda, members, framework).
MANAGING_ROLES = frozenset({Role.COORDINATOR, Role.DEPUTY_COORDINATOR})
# Roles that open the cell's pages (every role except municipal staff).
CELL_ROLES = frozenset(Role.values) - {Role.MUNICIPAL_STAFF}


class MembershipQuerySet(models.QuerySet["Membership"]):
    def real(self) -> MembershipQuerySet:
        """Memberships of real cells only: a role in a tabletop-exercise sandbox never admits
        anyone to anything outside the sandbox (events, forum, knowledge, helpdesk) and never
        counts in a statistic (see ``CellQuerySet.real``)."""
        return self.filter(cell__is_sandbox=False)


class Membership(models.Model):
    """A user's role in one cell. Ending a membership keeps the row for the audit trail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(MembershipQuerySet), cell="cell")

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


SECRECY_TEXT_VERSION = "458ter-2025-1"


class SecrecyAcknowledgement(models.Model):
    """A participant's acknowledgement of the secrecy duty of art. 458ter §2 Sw. (R-05)."""

    class Context(models.TextChoices):
        JOINING = "joining", _("Joining the cell")
        MEETING = "meeting", _("Meeting")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    context = models.CharField(max_length=20, choices=Context.choices)
    text_version = models.CharField(max_length=30)
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-acknowledged_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.context} {self.text_version}"


class Invitation(models.Model):
    """A single-use, expiring invitation to join a cell in a role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(cell="cell")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def is_open(self, now: datetime.datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
