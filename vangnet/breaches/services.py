"""Breach register workflows (GDPR art. 33 and 34). Call them inside the cell's scope.

The legal rules live here, so they hold for every caller: grounds for "no risk", reasons for a
late notification, and what must be done before a breach is closed. Every change and every
read writes an audit event; its data holds field names, choices and counts, never text.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.services import audit_record
from vangnet.breaches.models import (
    Breach,
    BreachNature,
    BreachRisk,
    BreachStatus,
    late_reason_required,
)
from vangnet.cells.models import Cell, Membership, Role
from vangnet.lib.locks import row_lock

if TYPE_CHECKING:
    from vangnet.accounts.models import User

# What the register form edits; the notification and closure have their own services.
EDITABLE_FIELDS = (
    "occurred_at",
    "occurred_approximate",
    "aware_at",
    "nature",
    "description",
    "subject_categories",
    "subject_count",
    "record_categories",
    "record_count",
    "consequences",
    "measures",
    "contact",
    "risk",
    "risk_grounds",
    "late_reason",
    "subjects_informed_at",
    "subjects_informed_how",
)


def breach_code_next(cell: Cell, year: int) -> str:
    """The next reference of the cell for the year: B-2026-001.

    Call inside a transaction with the cell row locked (``breach_create`` does): two breaches
    registered at once then never get the same code. Breaches are not deleted, so the highest
    code so far is the counter.
    """
    prefix = f"B-{year}-"
    codes = Breach.objects.filter(cell=cell, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c.rsplit("-", 1)[1]) for c in codes if c.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def default_contact(cell: Cell) -> str:
    """The cell's data-protection officer(s) as contact point (art. 33(3)(b)): a proposal the
    DPO can change in the form."""
    memberships = (
        Membership.objects.filter(cell=cell, role=Role.DPO, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    return "; ".join(f"{m.user.full_name} <{m.user.email}>" for m in memberships)


def _validate(breach: Breach, *, now: datetime.datetime) -> None:
    errors: dict[str, str] = {}
    if breach.aware_at > now:
        errors["aware_at"] = _("The cell cannot have become aware of it in the future.")
    if breach.occurred_at is not None:
        if breach.occurred_at > now:
            errors["occurred_at"] = _("A breach cannot have happened in the future.")
        elif breach.occurred_at > breach.aware_at:
            errors["occurred_at"] = _("The breach cannot have happened after the cell knew of it.")
    if breach.notified_at is not None and breach.notified_at < breach.aware_at:
        errors["aware_at"] = _(
            "The authority was notified before this moment: the cell knew of it by then."
        )
    if breach.subjects_informed_at is not None:
        if breach.subjects_informed_at > now:
            errors["subjects_informed_at"] = _("This moment lies in the future.")
        elif breach.subjects_informed_at < breach.aware_at:
            errors["subjects_informed_at"] = _(
                "The data subjects cannot have been informed before the cell knew of it."
            )
    if not breach.nature or not set(breach.nature) <= set(BreachNature.values):
        errors["nature"] = _("Choose what the breach affected.")
    if not (breach.description or "").strip():
        errors["description"] = _("Describe what happened.")
    if breach.risk == BreachRisk.NONE and not (breach.risk_grounds or "").strip():
        errors["risk_grounds"] = _(
            "Give the grounds for deciding that the breach is unlikely to result in a risk: "
            "the register must let the authority verify the decision (art. 33(5) GDPR)."
        )
    if (
        late_reason_required(aware_at=breach.aware_at, notified_at=breach.notified_at)
        and not (breach.late_reason or "").strip()
    ):
        errors["late_reason"] = _(
            "The authority was notified more than 72 hours after the cell became aware of the "
            "breach: give the reasons for the delay (art. 33(1) GDPR)."
        )
    if errors:
        raise ValidationError(errors)


def _assign(breach: Breach, fields: Mapping[str, Any]) -> list[str]:
    """Set the given register fields; return the names of those that changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changed = []
    for name, raw in fields.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if name == "nature":
            value = sorted(set(value or []))
        if getattr(breach, name) != value:
            setattr(breach, name, value)
            changed.append(name)
    return changed


def _audit(
    action: str,
    *,
    breach: Breach,
    user: User | None,
    request: HttpRequest | None,
    data: dict[str, Any] | None = None,
) -> None:
    audit_record(
        action=action,
        actor=user,
        request=request,
        cell=breach.cell_id,
        target=breach,
        data=data,
    )


@transaction.atomic
def breach_create(
    *,
    cell: Cell,
    registered_by: User,
    fields: Mapping[str, Any],
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Breach:
    """Register a breach; the 72-hour clock runs from ``fields["aware_at"]``."""
    now = now or timezone.now()
    # Lock the cell row so two breaches registered at once do not get the same code.
    Cell.objects.select_for_update(no_key=True).filter(pk=cell.pk).first()
    breach = Breach(
        cell=cell,
        registered_by=registered_by,
        registered_at=now,
        code=breach_code_next(cell, timezone.localtime(now).year),
    )
    _assign(breach, fields)
    _validate(breach, now=now)
    breach.save()
    _audit(
        "breaches.breach.created",
        breach=breach,
        user=registered_by,
        request=request,
        data={"risk": breach.risk, "nature": list(breach.nature)},
    )
    return breach


@transaction.atomic
def breach_update(
    *,
    breach: Breach,
    changes: Mapping[str, Any],
    user: User,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> list[str]:
    """Change register fields; returns the names of the fields that changed.

    A closed breach is a settled record: it is not changed any more. Once the authority is
    notified, the moment the cell became aware is frozen (it decides whether the notification
    was late); before that, a change of it is audited with the old and new moment.
    """
    breach = row_lock(breach)
    if not breach.is_open:
        raise ValidationError(_("This breach is closed: its record is not changed any more."))
    previous_aware = breach.aware_at
    changed = _assign(breach, changes)
    if "aware_at" in changed and breach.notified_at is not None:
        raise ValidationError(
            {
                "aware_at": _(
                    "The authority is already notified: the moment the cell became aware of "
                    "the breach can no longer be changed."
                )
            }
        )
    _validate(breach, now=now or timezone.now())
    if changed:
        breach.save(update_fields=[*changed, "updated_at"])
    data: dict[str, Any] = {"fields": sorted(changed)}
    if "aware_at" in changed:
        data["aware_at"] = [previous_aware.isoformat(), breach.aware_at.isoformat()]
    _audit("breaches.breach.updated", breach=breach, user=user, request=request, data=data)
    return changed


@transaction.atomic
def breach_notify(
    *,
    breach: Breach,
    notified_at: datetime.datetime,
    reference: str,
    late_reason: str,
    user: User,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Record the notification to the authority (or correct it, while the breach is open; the
    previous moment and reference stay in the audit trail)."""
    now = now or timezone.now()
    breach = row_lock(breach)
    if not breach.is_open:
        raise ValidationError(_("This breach is closed: its record is not changed any more."))
    previous = breach.notified_at
    previous_reference = breach.authority_reference
    if breach.notification_required and not (breach.contact or "").strip():
        raise ValidationError(
            {"notified_at": _("Fill in the contact point first: the authority needs it.")}
        )
    if notified_at > now:
        raise ValidationError({"notified_at": _("The notification cannot be in the future.")})
    if notified_at < breach.aware_at:
        raise ValidationError(
            {"notified_at": _("The notification cannot precede the moment the cell knew of it.")}
        )
    breach.notified_at = notified_at
    breach.authority_reference = reference.strip()
    breach.late_reason = late_reason.strip()
    _validate(breach, now=now)
    breach.save(update_fields=["notified_at", "authority_reference", "late_reason", "updated_at"])
    late = late_reason_required(aware_at=breach.aware_at, notified_at=notified_at)
    _audit(
        "breaches.breach.notified",
        breach=breach,
        user=user,
        request=request,
        data={
            "late": late,
            "corrected": previous is not None,
            "previous_notified_at": previous.isoformat() if previous else "",
            "previous_reference": previous_reference,
        },
    )


@transaction.atomic
def breach_close(
    *,
    breach: Breach,
    user: User,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Close a handled breach: assessed, notified when required, data subjects dealt with."""
    breach = row_lock(breach)
    if not breach.is_open:
        raise ValidationError(_("This breach is already closed."))
    if breach.risk == BreachRisk.NOT_ASSESSED:
        raise ValidationError(_("Assess the risk before closing the breach."))
    if breach.notification_required and breach.notified_at is None:
        raise ValidationError(_("Notify the authority and record it before closing the breach."))
    if (
        breach.subjects_must_be_informed
        and breach.subjects_informed_at is None
        and not (breach.subjects_informed_how or "").strip()
    ):
        raise ValidationError(
            _(
                "The breach is a high risk: record when and how the data subjects were "
                "informed, or why not (art. 34 GDPR), before closing it."
            )
        )
    breach.status = BreachStatus.CLOSED
    breach.closed_at = now or timezone.now()
    breach.save(update_fields=["status", "closed_at", "updated_at"])
    _audit("breaches.breach.closed", breach=breach, user=user, request=request)


def breach_audit_read(
    *, breach: Breach, user: User, action: str, request: HttpRequest | None = None
) -> None:
    """Audit a read of a breach (its page, its form, its draft)."""
    _audit(f"breaches.breach.{action}", breach=breach, user=user, request=request)
