"""Cell workflows: the cell and its framework and profile, documents, members and invitations."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cells.models import (
    SECRECY_TEXT_VERSION,
    Cell,
    CellDocument,
    CellProfile,
    Framework,
    FrameworkPhenomenon,
    Invitation,
    LegalBasis,
    Membership,
    Municipality,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.insights.sharing import sharing_normalise
from vangnet.lib.tokens import token_hash
from vangnet.lib.uploads import document_check

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.network.models import Organisation


@transaction.atomic
def cell_create(
    *,
    name: str,
    nis_codes: Iterable[str],
    legal_basis: str = LegalBasis.LIVC_LAW_2018,
    participant_categories: str = "",
    working_arrangements: str = "",
    start_date: datetime.date | None = None,
    created_by: User | None = None,
) -> Cell:
    """Create a cell for one municipality, or a joint cell for several, with its framework."""
    codes = sorted(set(nis_codes))
    municipalities = list(Municipality.objects.filter(nis_code__in=codes))
    if not codes or len(municipalities) != len(codes):
        raise ValidationError(_("Choose one or more existing Flemish municipalities."))
    cell = Cell.objects.create(name=name)
    cell.municipalities.set(municipalities)
    with scope(cell=cell.pk):
        Framework.objects.create(
            cell=cell,
            legal_basis=legal_basis,
            participant_categories=participant_categories,
            working_arrangements=working_arrangements,
            start_date=start_date,
        )
        CellProfile.objects.create(cell=cell)
    audit_record(
        action="cells.cell.created",
        actor=created_by,
        cell=cell,
        target=cell,
        data={"municipalities": codes},
    )
    return cell


# --- Framework and profile -----------------------------------------------------------------

FRAMEWORK_FIELDS = (
    "legal_basis",
    "legal_reference",
    "participant_categories",
    "working_arrangements",
    "start_date",
)
PROFILE_FIELDS = (
    "meeting_rhythm",
    "coordinator_fte",
    "privacy_notice",
    "retention_closed_case_months",
    "retention_signal_months",
    "insights_sharing",
)


def _apply(instance: Any, changes: dict[str, Any], fields: Iterable[str]) -> list[str]:
    changed = [f for f in fields if f in changes and getattr(instance, f) != changes[f]]
    for field in changed:
        setattr(instance, field, changes[field])
    return changed


@transaction.atomic
def framework_update(*, framework: Framework, changes: dict[str, Any], updated_by: User) -> None:
    """Change the framework; a changed framework needs the mayor's approval again."""
    changed = _apply(framework, changes, FRAMEWORK_FIELDS)
    if not changed:
        return
    framework.approved_at = None
    framework.approved_by = None
    framework.save(update_fields=[*changed, "approved_at", "approved_by", "updated_at"])
    audit_record(
        action="cells.framework.updated",
        actor=updated_by,
        cell=framework.cell_id,
        target=framework,
        data={"fields": changed},
    )


@transaction.atomic
def framework_approve(*, framework: Framework, approved_by: User, seen_version: str) -> None:
    """The mayor approves the framework text they saw (`seen_version`: its `updated_at`)."""
    framework = Framework.objects.select_for_update(no_key=True).get(pk=framework.pk)
    if seen_version != framework.updated_at.isoformat():
        raise ValidationError(
            _("The framework changed after you opened the page. Read it again before approving.")
        )
    framework.approved_at = timezone.now()
    framework.approved_by = approved_by
    framework.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        action="cells.framework.approved",
        actor=approved_by,
        cell=framework.cell_id,
        target=framework,
    )


@transaction.atomic
def phenomenon_enable(
    *,
    cell: Cell,
    phenomenon: str,
    legal_basis: str,
    legal_basis_date: datetime.date,
    enabled_by: User,
) -> FrameworkPhenomenon:
    """Switch on a phenomenon beyond radicalisation: only with a recorded legal basis (R-02)."""
    if not legal_basis.strip() or legal_basis_date is None:
        raise ValidationError(_("A phenomenon needs its own legal basis and the date of it."))
    if FrameworkPhenomenon.objects.filter(
        cell=cell, phenomenon=phenomenon, disabled_at__isnull=True
    ).exists():
        raise ValidationError(_("This phenomenon is already switched on."))
    item = FrameworkPhenomenon.objects.create(
        cell=cell,
        phenomenon=phenomenon,
        legal_basis=legal_basis.strip(),
        legal_basis_date=legal_basis_date,
    )
    _framework_needs_approval(cell)
    audit_record(
        action="cells.phenomenon.enabled",
        actor=enabled_by,
        cell=cell,
        target=item,
        data={"phenomenon": phenomenon},
    )
    return item


@transaction.atomic
def phenomenon_disable(*, item: FrameworkPhenomenon, disabled_by: User) -> None:
    item.disabled_at = timezone.now()
    item.save(update_fields=["disabled_at"])
    audit_record(
        action="cells.phenomenon.disabled",
        actor=disabled_by,
        cell=item.cell_id,
        target=item,
        data={"phenomenon": item.phenomenon},
    )


def _framework_needs_approval(cell: Cell) -> None:
    # A new updated_at also makes a mayor's open approval form stale.
    Framework.objects.filter(cell=cell).update(
        approved_at=None, approved_by=None, updated_at=timezone.now()
    )


@transaction.atomic
def profile_update(*, profile: CellProfile, changes: dict[str, Any], updated_by: User) -> None:
    if isinstance(changes.get("coordinator_fte"), float):
        changes["coordinator_fte"] = Decimal(str(changes["coordinator_fte"]))
    before = set(profile.insights_sharing or [])
    if "insights_sharing" in changes:  # known keys, canonical order: a reorder is no change
        changes["insights_sharing"] = sharing_normalise(changes["insights_sharing"])
        profile.insights_sharing = sharing_normalise(profile.insights_sharing)
    changed = _apply(profile, changes, PROFILE_FIELDS)
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
        data: dict[str, Any] = {"fields": changed}
        if "insights_sharing" in changed:  # category keys only
            after = set(profile.insights_sharing)
            data["sharing_on"] = sharing_normalise(after - before)
            data["sharing_off"] = sharing_normalise(before - after)
        audit_record(
            action="cells.profile.updated",
            actor=updated_by,
            cell=profile.cell_id,
            target=profile,
            data=data,
        )


@transaction.atomic
def map_sharing_set(*, profile: CellProfile, shared: bool, changed_by: User) -> None:
    """Share (or stop sharing) the partner map, without contact persons, with VVSG staff."""
    if shared and profile.cell.is_sandbox:  # fictional data never reaches VVSG
        raise ValidationError(_("A training cell shares nothing with VVSG."))
    if profile.map_shared_with_vvsg == shared:
        return
    profile.map_shared_with_vvsg = shared
    profile.save(update_fields=["map_shared_with_vvsg", "updated_at"])
    audit_record(
        action="cells.map.shared" if shared else "cells.map.unshared",
        actor=changed_by,
        cell=profile.cell_id,
        target=profile,
    )


# --- Documents -----------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    cell: Cell,
    kind: str,
    title: str,
    upload: UploadedFile,
    approved_on: datetime.date | None,
    uploaded_by: User,
) -> CellDocument:
    """Store a new version of the house rules or the cooperation agreement (checked by content)."""
    checked = document_check(upload)
    # Lock the cell row: two uploads at once must not get the same version number.
    Cell.objects.select_for_update(no_key=True).filter(pk=cell.pk).first()
    latest = CellDocument.objects.filter(cell=cell, kind=kind).aggregate(v=Max("version"))["v"]
    document = CellDocument(
        cell=cell,
        kind=kind,
        version=(latest or 0) + 1,
        title=title.strip(),
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        approved_on=approved_on,
        uploaded_by=uploaded_by,
    )
    document.file.save(f"{document.id}{checked.extension}", upload, save=False)
    document.save()
    audit_record(
        action="cells.document.uploaded",
        actor=uploaded_by,
        cell=cell,
        target=document,
        data={"kind": kind, "version": document.version},
    )
    return document


# --- Members, invitations and secrecy --------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    cell: Cell,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    added_by: User | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with scope(cell=cell.pk):
        membership, _created = Membership.objects.get_or_create(
            cell=cell,
            user=user,
            role=role,
            ended_at=None,
            defaults={"organisation": organisation},
        )
    audit_record(
        action="cells.membership.added",
        actor=added_by,
        cell=cell,
        target=membership,
        data={"role": role},
    )
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    ended_by: User | None = None,
    by_roles: frozenset[str] | None = None,
) -> None:
    """End a membership; the member loses access to the cell on the next request.

    `by_roles` are the roles of the person ending it in this cell (None: a platform action).
    Nobody ends their own membership here, only a coordinator ends a leading role, and the
    last coordinator stays, so a cell can never be left without someone to run it.
    """
    if by_roles is not None:
        if ended_by is not None and membership.user_id == ended_by.pk:
            raise ValidationError(_("You cannot end your own membership."))
        if membership.role in LEADING_ROLES and Role.COORDINATOR not in by_roles:
            raise ValidationError(_("Only a coordinator can end this role."))
        if (
            membership.role == Role.COORDINATOR
            and Membership.objects.filter(
                cell_id=membership.cell_id, role=Role.COORDINATOR, ended_at__isnull=True
            ).count()
            <= 1
        ):
            raise ValidationError(_("The cell needs at least one coordinator."))
    membership.ended_at = timezone.now()
    with scope(cell=membership.cell_id):  # also when a platform action ends it, outside a cell
        membership.save(update_fields=["ended_at"])
    audit_record(
        action="cells.membership.ended",
        actor=ended_by,
        cell=membership.cell_id,
        target=membership,
        data={"role": membership.role},
    )


# Roles that lead the cell: only a coordinator grants or ends them; the mayor is appointed by
# the municipality (set up by the platform administrator), never through an invitation.
LEADING_ROLES = frozenset({Role.MAYOR, Role.COORDINATOR, Role.DEPUTY_COORDINATOR})


def invitable_roles(by_roles: frozenset[str]) -> list[tuple[str, str]]:
    """The roles someone with `by_roles` may invite into."""
    allowed = []
    for value, label in Role.choices:
        if value == Role.MAYOR:
            continue
        if value in LEADING_ROLES and Role.COORDINATOR not in by_roles:
            continue
        allowed.append((value, str(label)))
    return allowed


@transaction.atomic
def invitation_create(
    *,
    cell: Cell,
    email: str,
    role: str,
    organisation: Organisation | None,
    invited_by: User,
    by_roles: frozenset[str] | None = None,
) -> tuple[Invitation, str]:
    """Invite a person by e-mail; returns the invitation and the one-time token for the link.

    `by_roles` are the inviter's roles in the cell (None: a platform action, any role).
    """
    from vangnet.accounts.models import normalize_email

    email = normalize_email(email)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if by_roles is not None:
        if role not in dict(invitable_roles(by_roles)):
            raise ValidationError(_("You cannot invite someone into this role."))
        if email == invited_by.email:
            raise ValidationError(_("You cannot invite yourself."))
    if Membership.objects.filter(
        cell=cell, user__email=email, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("This person is already a member of the cell in this role."))
    now = timezone.now()
    if Invitation.objects.filter(
        cell=cell,
        email=email,
        role=role,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise ValidationError(_("This person already has an open invitation for this role."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        cell=cell,
        email=email,
        role=role,
        organisation=organisation,
        token_hash=token_hash(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.VANGNET_INVITATION_DAYS),
    )
    audit_record(
        action="cells.invitation.created",
        actor=invited_by,
        cell=cell,
        target=invitation,
        data={"role": role},
    )
    link = f"{settings.SITE_URL}/join/{token}/"
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: you are invited to join a cell")
        subject = cell.mail_subject(subject)
        body = render_to_string(
            "cells/emails/invitation.txt",
            {"cell": cell, "link": link, "days": settings.VANGNET_INVITATION_DAYS},
        )
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]), robust=True)
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state (the caller checks `is_open`)."""
    with scopes_disabled():
        return (
            Invitation.objects.select_related("cell").filter(token_hash=token_hash(token)).first()
        )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="cells.invitation.revoked",
        actor=revoked_by,
        cell=invitation.cell_id,
        target=invitation,
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the cell: the invited person acknowledged the secrecy duty (art. 458ter §2, R-05)."""
    with scopes_disabled():
        locked = Invitation.objects.select_for_update(no_key=True).get(pk=invitation.pk)
    if not locked.is_open(timezone.now()):
        raise ValidationError(_("This invitation has expired or was already used."))
    if locked.email != user.email:
        raise ValidationError(_("This invitation is for another e-mail address."))
    cell = locked.cell
    with scope(cell=cell.pk):
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        membership = membership_add(
            cell=cell,
            user=user,
            role=locked.role,
            organisation=locked.organisation,
            added_by=locked.invited_by,
        )
        SecrecyAcknowledgement.objects.create(
            cell=cell,
            user=user,
            context=SecrecyAcknowledgement.Context.JOINING,
            text_version=SECRECY_TEXT_VERSION,
        )
        _organisation_activate(locked.organisation, user)
    audit_record(
        action="cells.secrecy.acknowledged",
        actor=user,
        cell=cell,
        target=membership,
        data={"context": "joining", "text_version": SECRECY_TEXT_VERSION},
    )
    audit_record(action="cells.invitation.accepted", actor=user, cell=cell, target=locked)
    return membership


def _organisation_activate(organisation: Organisation | None, user: User) -> None:
    """An invited organisation whose first representative joined is now active."""
    from vangnet.network.models import OrganisationStatus
    from vangnet.network.services import organisation_update

    if organisation is not None and organisation.status == OrganisationStatus.INVITED:
        changes: dict[str, Any] = {"status": OrganisationStatus.ACTIVE}
        if organisation.joined_on is None:
            changes["joined_on"] = timezone.localdate()
        organisation_update(organisation=organisation, changes=changes, updated_by=user)
