"""Case workflows. Every read, change and export of a case writes an audit event on the case."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.services import audit_record
from vangnet.cases.access import CASE_ROLES, cases_for_user
from vangnet.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseCounter,
    CaseStatus,
    Factor,
    Participant,
)
from vangnet.cells.models import Cell, CellProfile
from vangnet.lib.blindindex import identity_index
from vangnet.lib.dates import add_months
from vangnet.lib.locks import row_lock
from vangnet.lib.prepared import PreparedPage, PreparedQuery, own_fields

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.access import CellAccess
    from vangnet.intake.models import Signal
    from vangnet.network.models import Organisation

DEFAULT_REVIEW_MONTHS = 3


def case_code_next(cell: Cell, year: int) -> str:
    """The next pseudonymous code of the cell for the year: LIV-2026-014.

    Call inside a transaction: the counter row is locked, and it never goes down, so codes of
    purged cases are not reused.
    """
    prefix = f"LIV-{year}-"
    counter = (
        CaseCounter.objects.select_for_update(no_key=True).filter(cell=cell, year=year).first()
    )
    if counter is None:
        # Start after any code that already exists (cases made before counters existed).
        codes = Case.objects.filter(cell=cell, code__startswith=prefix).values_list(
            "code", flat=True
        )
        numbers = [int(c.rsplit("-", 1)[1]) for c in codes if c.rsplit("-", 1)[1].isdigit()]
        counter = CaseCounter.objects.create(cell=cell, year=year, last=max(numbers, default=0))
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def audit_case(
    action: str,
    *,
    case: Case,
    user: User | None,
    data: dict[str, Any] | None = None,
    request: Any = None,
) -> None:
    """Audit an event on a case; the case is always the target, so its access log is complete."""
    audit_record(
        action=action, actor=user, cell=case.cell_id, target=case, data=data, request=request
    )


@transaction.atomic
def case_open(
    *,
    cell: Cell,
    person_name: str,
    person_birth_date: datetime.date | None,
    person_address: str = "",
    is_minor: bool = False,
    phenomenon: str = "radicalisation",
    summary: str = "",
    signals: list[Signal] | None = None,
    opened_by: User,
    request: Any = None,
) -> Case:
    """Open a case for a person; linked signals now belong to it (and are kept with it)."""
    if person_birth_date is not None and person_birth_date > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."))
    # Lock the cell row so two cases opened at once do not get the same code.
    Cell.objects.select_for_update(no_key=True).filter(pk=cell.pk).first()
    birth = person_birth_date.isoformat() if person_birth_date else ""
    case = Case(
        cell=cell,
        code=case_code_next(cell, timezone.localdate().year),
        phenomenon=phenomenon,
        person_name=person_name.strip(),
        person_birth_date=birth,
        person_address=person_address.strip(),
        identity_index=identity_index(cell_id=cell.pk, name=person_name, birth_date=birth),
        is_minor=is_minor,
        summary=summary.strip(),
        review_due=add_months(timezone.localdate(), DEFAULT_REVIEW_MONTHS),
        opened_by=opened_by,
    )
    case.save()
    if signals:
        from vangnet.intake.models import Signal

        # Kept as long as the case. A signal that got a case meanwhile is not taken over.
        linked = (
            Signal.objects.select_for_update(no_key=True)
            .filter(pk__in=[signal.pk for signal in signals], case__isnull=True)
            .update(case=case, delete_after=None)
        )
        if linked != len(signals):
            raise ValidationError(_("This signal already belongs to a case."))
    audit_case(
        "cases.case.opened",
        case=case,
        user=opened_by,
        request=request,
        data={"signals": len(signals or [])},
    )
    return case


IDENTITY_FIELDS = ("person_name", "person_birth_date", "person_address", "is_minor")
DETAIL_FIELDS = (
    "summary",
    "phenomenon",
    "person_informed",
    "person_informed_reason",
    "person_informed_deferred_until",
    "review_due",
)


@transaction.atomic
def case_update(*, case: Case, changes: dict[str, Any], user: User, request: Any = None) -> None:
    if "person_birth_date" in changes:
        birth = changes["person_birth_date"]
        if isinstance(birth, datetime.date):
            if birth > timezone.localdate():
                raise ValidationError(_("The date of birth cannot be in the future."))
            changes["person_birth_date"] = birth.isoformat()
        elif birth is None:
            changes["person_birth_date"] = ""
    if case.is_open and "review_due" in changes and changes["review_due"] is None:
        raise ValidationError(_("An open case needs a review date."))
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    informed = changes.get("person_informed", case.person_informed)
    # The reason and the date belong to one answer only: clear them for the others.
    changes["person_informed_reason"] = (
        (changes.get("person_informed_reason") or "").strip() if informed == "no" else ""
    )
    if informed != "deferred":
        changes["person_informed_deferred_until"] = None
    if informed == "no" and not changes["person_informed_reason"]:
        raise ValidationError(_("Give the reason why the person is not informed."))
    if informed == "deferred" and not changes.get("person_informed_deferred_until"):
        raise ValidationError(_("Give the date until which informing the person is deferred."))
    changed = [
        f
        for f in (*IDENTITY_FIELDS, *DETAIL_FIELDS)
        if f in changes and getattr(case, f) != changes[f]
    ]
    for field in changed:
        setattr(case, field, changes[field])
    if {"person_name", "person_birth_date"} & set(changed):
        case.identity_index = identity_index(
            cell_id=case.cell_id, name=case.person_name, birth_date=case.person_birth_date
        )
        changed.append("identity_index")
    if changed:
        case.save(update_fields=changed)
        audit_case(
            "cases.case.updated",
            case=case,
            user=user,
            request=request,
            data={"fields": sorted(f for f in changed if f != "identity_index")},
        )


def case_find(*, cell: Cell, name: str, birth_date: datetime.date) -> Case | None:
    """An existing case of this person in the cell, by blind index (no decryption, no lists)."""
    index = identity_index(cell_id=cell.pk, name=name, birth_date=birth_date.isoformat())
    return Case.objects.filter(cell=cell, identity_index=index).first() if index else None


@transaction.atomic
def factors_set(
    *, case: Case, items: dict[tuple[str, str], str], user: User, request: Any = None
) -> None:
    """Replace the optional risk/protective checklist. No score is computed or stored."""
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    Factor.objects.filter(case=case).delete()
    Factor.objects.bulk_create(
        Factor(cell_id=case.cell_id, case=case, dimension=dimension, kind=kind, note=note.strip())
        for (dimension, kind), note in items.items()
    )
    audit_case(
        "cases.factors.updated", case=case, user=user, request=request, data={"count": len(items)}
    )


@transaction.atomic
def participant_add(
    *,
    case: Case,
    reason: str,
    user: User,
    organisation: Organisation | None = None,
    person: User | None = None,
    is_case_manager: bool = False,
    until_action: Action | None = None,
    request: Any = None,
) -> Participant:
    if (organisation is None) == (person is None):
        raise ValidationError(_("Choose an organisation or a person, not both."))
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    if not reason.strip():
        raise ValidationError(_("Give the reason why they need to know (need-to-know)."))
    existing = Participant.objects.filter(case=case, removed_at__isnull=True)
    if (organisation and existing.filter(organisation=organisation).exists()) or (
        person and existing.filter(user=person).exists()
    ):
        raise ValidationError(_("They already take part in this case."))
    if is_case_manager:
        existing.update(is_case_manager=False)
    participant = Participant.objects.create(
        cell_id=case.cell_id,
        case=case,
        organisation=organisation,
        user=person,
        reason=reason.strip(),
        is_case_manager=is_case_manager,
        until_action=until_action,
    )
    audit_case(
        "cases.participant.added",
        case=case,
        user=user,
        request=request,
        data={"participant": str(participant.pk), "case_manager": is_case_manager},
    )
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, user: User, request: Any = None) -> None:
    """Remove a participant: their access to the case ends on the next request."""
    participant.removed_at = timezone.now()
    participant.is_case_manager = False
    participant.save(update_fields=["removed_at", "is_case_manager"])
    audit_case(
        "cases.participant.removed",
        case=participant.case,
        user=user,
        request=request,
        data={"participant": str(participant.pk)},
    )


@transaction.atomic
def action_add(
    *,
    case: Case,
    owner: Organisation,
    description: str,
    due_date: datetime.date,
    user: User,
    professional_secret: bool = False,
    request: Any = None,
) -> Action:
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    action = Action.objects.create(
        cell_id=case.cell_id,
        case=case,
        owner=owner,
        description=description.strip(),
        professional_secret=professional_secret,
        due_date=due_date,
    )
    audit_case(
        "cases.action.added", case=case, user=user, request=request, data={"action": str(action.pk)}
    )
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, user: User, request: Any = None) -> None:
    if status not in ActionStatus.values:
        raise ValidationError(_("Unknown status."))
    action.status = status
    action.completed_at = None if status == ActionStatus.OPEN else timezone.now()
    action.save(update_fields=["status", "completed_at"])
    if status != ActionStatus.OPEN:
        # Time-boxed access ends for good: reopening the action does not give it back.
        Participant.objects.filter(until_action=action, removed_at__isnull=True).update(
            removed_at=timezone.now(), is_case_manager=False
        )
    audit_case(
        "cases.action.updated",
        case=action.case,
        user=user,
        request=request,
        data={"action": str(action.pk), "status": status},
    )


@transaction.atomic
def case_close(*, case: Case, reason: str, outcome: str, user: User, request: Any = None) -> None:
    """Close the case; the deletion date follows from the cell's retention policy (R-23)."""
    if not case.is_open:
        raise ValidationError(_("This case is already closed."))
    profile = CellProfile.objects.filter(cell_id=case.cell_id).first()
    months = profile.retention_closed_case_months if profile else 24
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = reason
    case.closure_outcome = outcome.strip()
    case.review_due = None
    case.delete_after = add_months(timezone.localdate(), months)
    case.save(
        update_fields=[
            "status",
            "closed_at",
            "closure_reason",
            "closure_outcome",
            "review_due",
            "delete_after",
        ]
    )
    Action.objects.filter(case=case, status=ActionStatus.OPEN).update(
        status=ActionStatus.CANCELLED, completed_at=timezone.now()
    )
    audit_case("cases.case.closed", case=case, user=user, request=request, data={"reason": reason})


@transaction.atomic
def legal_hold_set(
    *,
    case: Case,
    hold: bool,
    reason: str,
    review_on: datetime.date | None,
    user: User,
    request: Any = None,
) -> None:
    # Lock the row: an erasure deleting this case at the same moment waits, then sees the hold.
    row_lock(case)
    if case.is_open:
        raise ValidationError(_("A legal hold is only for closed cases."))
    if hold and (not reason.strip() or review_on is None):
        raise ValidationError(_("A legal hold needs a reason and a review date."))
    case.legal_hold = hold
    case.legal_hold_reason = reason.strip() if hold else None
    case.legal_hold_review = review_on if hold else None
    case.save(update_fields=["legal_hold", "legal_hold_reason", "legal_hold_review"])
    audit_case(
        "cases.legal_hold.set" if hold else "cases.legal_hold.released",
        case=case,
        user=user,
        request=request,
    )


def case_audit_view(
    *, case: Case, user: User, action: str = "cases.case.viewed", request: Any = None
) -> None:
    audit_case(action, case=case, user=user, request=request)


# --- What the case page shows (issue 11: compiled once per process, lib/prepared.py) ----------


def _signals_of(case_id: Any) -> Any:
    from vangnet.intake.models import Signal

    return (
        Signal.objects.filter(case_id=case_id)
        .select_related("origin_organisation")
        .only(*own_fields(Signal), "origin_organisation__name")
    )


_factors = PreparedQuery[Factor](lambda case_id: Factor.objects.filter(case_id=case_id))
_participants = PreparedQuery[Participant](
    lambda case_id: (
        Participant.objects.filter(case_id=case_id, removed_at__isnull=True)
        .select_related("organisation", "user", "until_action")
        .only(
            *own_fields(Participant),
            "organisation__name",
            "user__full_name",
            "until_action__due_date",
        )
    )
)
_actions = PreparedQuery[Action](
    lambda case_id: (
        Action.objects.filter(case_id=case_id)
        .select_related("owner")
        .only(*own_fields(Action), "owner__name")
    )
)
_signals = PreparedQuery["Signal"](_signals_of)


def case_factors(case: Case) -> list[Factor]:
    """The case's risk and protective factors (call inside the cell's scope)."""
    return _factors(case_id=case.pk)


def case_participants(case: Case) -> list[Participant]:
    """Who takes part in the case now, with their organisation, user and end action."""
    return _participants(case_id=case.pk)


def case_actions(case: Case) -> list[Action]:
    """The case's action plan, with each action's owner organisation."""
    return _actions(case_id=case.pk)


def case_signals(case: Case) -> list[Signal]:
    """The signals linked to the case, with the organisation they came from."""
    return _signals(case_id=case.pk)


# --- The case list ---------------------------------------------------------------------------

CASE_LIST_PAGE_SIZE = 50


def _listed(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    """The list's columns and order: codes, never names, and the overdue actions per case."""
    # A correlated subquery, not a join with GROUP BY: it runs for the 50 cases of the page
    # only (through the index on the action's case), and counting the pages needs no join.
    overdue = (
        Action.objects.filter(case=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=today)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        cases.annotate(overdue_actions=Coalesce(Subquery(overdue), 0))
        .order_by("-status", "review_due", "code")  # "open" before "closed"
        # The list shows no identity or free text: their ciphertext is not fetched.
        .only("pk", "cell_id", "code", "status", "is_minor", "review_due")
    )


def _every_case(today: datetime.date) -> QuerySet[Case]:
    return _listed(Case.objects.all(), today)


# For the roles that open every case of the cell: compiled once per process.
_every_case_page = PreparedPage[Case](_every_case, CASE_LIST_PAGE_SIZE)


def case_list_page(*, user: User, access: CellAccess, number: Any, today: datetime.date) -> Page:
    """The page ``number`` of the cases this user may open (call inside the cell's scope)."""
    if access.roles & CASE_ROLES:
        return _every_case_page.get_page(number, today=today)
    cases = _listed(cases_for_user(user, access), today)
    return Paginator(cases, CASE_LIST_PAGE_SIZE).get_page(number)
