"""Signal workflows: submit, screen (with the information officer), open a case."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.services import audit_record
from vangnet.cells.models import Cell, CellProfile, FrameworkPhenomenon, Municipality
from vangnet.intake.models import RADICALISATION, Outcome, Signal, TrendSignal
from vangnet.lib.dates import add_months

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cases.models import Case
    from vangnet.network.models import Organisation


def phenomena_for_cell(cell: Cell) -> list[str]:
    """Radicalisation, plus the phenomena the cell switched on with a legal basis."""
    active = FrameworkPhenomenon.objects.filter(cell=cell, disabled_at__isnull=True)
    return [RADICALISATION, *active.values_list("phenomenon", flat=True)]


def _signal_months(cell_id: uuid.UUID) -> int:
    profile = CellProfile.objects.filter(cell_id=cell_id).first()
    return profile.retention_signal_months if profile else 6


def _check_dates(received_on: datetime.date, birth_date: datetime.date | None) -> None:
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError(_("The date of the signal cannot be in the future."))
    if birth_date is not None and birth_date > today:
        raise ValidationError(_("The date of birth cannot be in the future."))


@transaction.atomic
def signal_submit(
    *,
    cell: Cell,
    submitted_by: User,
    received_on: datetime.date,
    category: str,
    phenomenon: str = RADICALISATION,
    urgency: str = "normal",
    description: str = "",
    origin_organisation: Organisation | None = None,
    person_name: str = "",
    person_birth_date: datetime.date | None = None,
    person_age_band: str = "",
    person_municipality: Municipality | None = None,
    is_minor: bool = False,
    professional_secret: bool = False,
    request: Any = None,
) -> Signal:
    _check_dates(received_on, person_birth_date)
    if phenomenon not in phenomena_for_cell(cell):
        raise ValidationError(_("This phenomenon is not part of the cell's finality."))
    signal = Signal.objects.create(
        cell=cell,
        submitted_by=submitted_by,
        origin_organisation=origin_organisation,
        origin_sector=origin_organisation.sector if origin_organisation else "",
        received_on=received_on,
        category=category,
        phenomenon=phenomenon,
        urgency=urgency,
        description=description.strip(),
        professional_secret=professional_secret,
        person_name=person_name.strip(),
        person_birth_date=person_birth_date.isoformat() if person_birth_date else "",
        person_age_band=person_age_band,
        person_municipality=person_municipality,
        is_minor=is_minor,
        # Every signal has a deletion date from the start; only opening a case clears it.
        delete_after=add_months(timezone.localdate(), _signal_months(cell.pk)),
    )
    audit_record(
        action="intake.signal.submitted",
        actor=submitted_by,
        cell=cell,
        target=signal,
        request=request,
        data={"urgency": urgency, "category": category},
    )
    return signal


@transaction.atomic
def trend_submit(
    *,
    cell: Cell,
    submitted_by: User,
    received_on: datetime.date,
    category: str,
    description: str,
    area: str = "",
    origin_organisation: Organisation | None = None,
    request: Any = None,
) -> TrendSignal:
    _check_dates(received_on, None)
    trend = TrendSignal.objects.create(
        cell=cell,
        submitted_by=submitted_by,
        origin_organisation=origin_organisation,
        received_on=received_on,
        category=category,
        area=area.strip(),
        description=description.strip(),
    )
    audit_record(
        action="intake.trend.submitted",
        actor=submitted_by,
        cell=cell,
        target=trend,
        request=request,
    )
    return trend


@transaction.atomic
def signal_screen(
    *,
    signal: Signal,
    outcome: str,
    reason: str,
    redirected_to: str = "",
    referrer_informed: bool | None = None,
    referrer_informed_on: datetime.date | None = None,
    screened_by: User,
    request: Any = None,
) -> Signal:
    """Record the screening; the deletion date restarts from today (until a case is opened)."""
    # Lock and re-read: a stale copy must not undo a case that was opened meanwhile.
    signal = Signal.objects.select_for_update(no_key=True).get(pk=signal.pk)
    if signal.case_id is not None:
        raise ValidationError(_("This signal already belongs to a case."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if outcome == Outcome.REDIRECTED and not redirected_to.strip():
        raise ValidationError(_("Say to whom the person is redirected."))
    signal.outcome = outcome
    signal.outcome_reason = reason.strip()
    signal.redirected_to = redirected_to.strip()
    signal.referrer_informed = referrer_informed
    signal.referrer_informed_on = referrer_informed_on if referrer_informed else None
    signal.screened_at = timezone.now()
    signal.screened_by = screened_by
    signal.delete_after = add_months(timezone.localdate(), _signal_months(signal.cell_id))
    signal.save(
        update_fields=[
            "outcome",
            "outcome_reason",
            "redirected_to",
            "referrer_informed",
            "referrer_informed_on",
            "screened_at",
            "screened_by",
            "delete_after",
        ]
    )
    audit_record(
        action="intake.signal.screened",
        actor=screened_by,
        cell=signal.cell_id,
        target=signal,
        request=request,
        data={"outcome": outcome},
    )
    return signal


@transaction.atomic
def signal_police_status(*, signal: Signal, known: str, user: User, request: Any = None) -> None:
    """R-17: the information officer records only yes / no / unknown."""
    if known not in ("yes", "no", "unknown"):
        raise ValidationError(_("Choose yes, no or unknown."))
    signal.known_to_police = known
    signal.save(update_fields=["known_to_police"])
    audit_record(
        action="intake.signal.police_status",
        actor=user,
        cell=signal.cell_id,
        target=signal,
        request=request,
    )


@transaction.atomic
def signal_open_case(*, signal: Signal, opened_by: User, request: Any = None) -> Case:
    """Open a case from a signal screened with the outcome "open a case"."""
    from vangnet.cases.services import case_open

    signal = (
        Signal.objects.select_for_update(no_key=True, of=("self",))
        .select_related("cell")
        .get(pk=signal.pk)
    )
    if signal.outcome != Outcome.CASE:
        raise ValidationError(_("Screen the signal with the outcome 'open a case' first."))
    if signal.case_id is not None:
        raise ValidationError(_("This signal already belongs to a case."))
    birth = (
        datetime.date.fromisoformat(signal.person_birth_date) if signal.person_birth_date else None
    )
    return case_open(
        cell=signal.cell,
        person_name=signal.person_name or _("Unknown person"),
        person_birth_date=birth,
        is_minor=signal.is_minor,
        phenomenon=signal.phenomenon,
        signals=[signal],
        opened_by=opened_by,
        request=request,
    )
