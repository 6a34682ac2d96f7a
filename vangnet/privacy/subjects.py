"""Requests of data subjects (GDPR art. 15-21, R-22): register, deadline, decision, export, erasure.

The privacy office (DPO, coordinator, mayor) registers a request, keeps the one-month deadline
(extendable once, to at most three months, with reasons) and records the decision with its
grounds and any restriction applied. Finding the person's data, compiling the access export and
carrying out an erasure is the coordinator's work: they hold the case files; the DPO does not
read case content.

The person is found by name and date of birth: cases through their blind index, signals by
comparing the decrypted identity within the cell. An access export leaves out contributions
marked as holding another professional's secret (``professional_secret``) and says how many
were left out. An erasure runs through ``cases.purge.purge_person``: the same deletion path as
the retention policy.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.services import audit_record
from vangnet.cases.models import Action, Case, Factor, Participant
from vangnet.cases.purge import LegalHoldError, purge_person
from vangnet.cells.models import Cell, Framework
from vangnet.intake.models import Signal
from vangnet.lib.blindindex import identity_index
from vangnet.meetings.models import AgendaItem, FeedbackSheet, SheetStatus
from vangnet.privacy.models import RequestDecision, RequestKind, SubjectRequest


@transaction.atomic
def subject_request_register(
    *,
    cell: Cell,
    kind: str,
    received_on: datetime.date,
    subject_name: str,
    subject_birth_date: datetime.date,
    request_text: str = "",
    identity_verified: bool = False,
    user: User,
    request: Any = None,
) -> SubjectRequest:
    if kind not in RequestKind.values:
        raise ValidationError(_("Choose which right the person invokes."))
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError(_("The date of receipt cannot be in the future."))
    if subject_birth_date > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    subject = SubjectRequest.objects.create(
        cell=cell,
        kind=kind,
        received_on=received_on,
        subject_name=subject_name.strip(),
        subject_birth_date=subject_birth_date.isoformat(),
        request_text=request_text.strip(),
        identity_verified=identity_verified,
        registered_by=user,
    )
    _audit("privacy.subject_request.registered", subject, user, request, {"kind": kind})
    return subject


@transaction.atomic
def subject_request_extend(
    *,
    subject: SubjectRequest,
    until: datetime.date,
    reason: str,
    user: User,
    today: datetime.date | None = None,
    request: Any = None,
) -> None:
    """Art. 12(3): two more months at most, announced within the first month, with reasons."""
    today = today or timezone.localdate()
    if subject.is_decided:
        raise ValidationError(_("This request is already decided."))
    if subject.extended_until:
        raise ValidationError(_("The deadline was already extended once."))
    if today > subject.first_deadline:
        raise ValidationError(
            _("An extension must be announced to the person within the first month.")
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension: the person must be told."))
    if not subject.first_deadline < until <= subject.latest_extension:
        raise ValidationError(
            _("The new deadline must fall after %(first)s and at the latest on %(last)s.")
            % {
                "first": subject.first_deadline.isoformat(),
                "last": subject.latest_extension.isoformat(),
            }
        )
    subject.extended_until = until
    subject.extension_reason = reason.strip()
    subject.save(update_fields=["extended_until", "extension_reason"])
    _audit("privacy.subject_request.extended", subject, user, request, {})


@transaction.atomic
def subject_request_decide(
    *,
    subject: SubjectRequest,
    decision: str,
    grounds: str,
    restrictions: str = "",
    user: User,
    request: Any = None,
) -> None:
    """Record the decision. Refusing or restricting needs grounds (and, for a restriction of
    a right, its legal basis under art. 23)."""
    if subject.is_decided:
        raise ValidationError(_("This request is already decided."))
    if decision not in RequestDecision.values:
        raise ValidationError(_("Choose a decision."))
    if not grounds.strip():
        raise ValidationError(_("Give the grounds of the decision."))
    if decision != RequestDecision.GRANTED and not restrictions.strip():
        raise ValidationError(
            _(
                "A refusal or partial refusal restricts a right: record which restriction "
                "applies and on what legal basis."
            )
        )
    subject.decision = decision
    subject.grounds = grounds.strip()
    subject.restrictions = restrictions.strip()
    subject.decided_at = timezone.now()
    subject.decided_by = user
    subject.save(update_fields=["decision", "grounds", "restrictions", "decided_at", "decided_by"])
    _audit(
        "privacy.subject_request.decided",
        subject,
        user,
        request,
        {"decision": decision, "restricted": bool(restrictions.strip())},
    )


@dataclass
class Matches:
    """The person's data in the cell: cases (with their signals) and other signals."""

    cases: list[Case] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)  # not linked to one of the cases

    @property
    def is_empty(self) -> bool:
        return not self.cases and not self.signals


def subject_request_matches(subject: SubjectRequest) -> Matches:
    """Find the person by name and date of birth (call inside the cell's scope).

    Cases by blind index; signals by their decrypted identity, since they have no index. An
    empty result after an erasure is what an erasure must give.
    """
    if not subject.subject_name or not subject.subject_birth_date:
        return Matches()
    index = identity_index(
        cell_id=subject.cell_id, name=subject.subject_name, birth_date=subject.subject_birth_date
    )
    cases = list(Case.objects.filter(cell_id=subject.cell_id, identity_index=index))
    case_ids = {case.pk for case in cases}
    signals = [
        signal
        for signal in Signal.objects.filter(cell_id=subject.cell_id).exclude(case_id__in=case_ids)
        if signal.person_birth_date == subject.subject_birth_date
        and identity_index(
            cell_id=signal.cell_id,
            name=signal.person_name,
            birth_date=signal.person_birth_date,
        )
        == index
    ]
    return Matches(cases=cases, signals=signals)


def _signal_entry(signal: Signal) -> dict[str, Any]:
    return {
        "received_on": signal.received_on.isoformat(),
        "category": str(signal.get_category_display()),
        "from_sector": signal.origin_sector,
        "description": signal.description,
        "outcome": str(signal.get_outcome_display()) if signal.outcome else "",
    }


def subject_request_export(
    *, subject: SubjectRequest, user: User, request: Any = None
) -> dict[str, Any]:
    """Everything the cell holds about the person, for an access request (art. 15), without
    contributions marked as another professional's secret. Call inside the cell's scope."""
    if subject.kind != RequestKind.ACCESS:
        raise ValidationError(_("Only an access request has an export."))
    matches = subject_request_matches(subject)
    withheld = {"signals": 0, "actions": 0, "discussions": 0}
    case_ids = [case.pk for case in matches.cases]
    signals_by_case: dict[uuid.UUID, list[Signal]] = {}
    for signal in Signal.objects.filter(case_id__in=case_ids).order_by("received_on"):
        signals_by_case.setdefault(signal.case_id, []).append(signal)  # type: ignore[arg-type]
    actions_by_case: dict[uuid.UUID, list[Action]] = {}
    for action in Action.objects.filter(case_id__in=case_ids).select_related("owner"):
        actions_by_case.setdefault(action.case_id, []).append(action)
    factors_by_case: dict[uuid.UUID, list[Factor]] = {}
    for factor in Factor.objects.filter(case_id__in=case_ids):
        factors_by_case.setdefault(factor.case_id, []).append(factor)
    items_by_case: dict[uuid.UUID, list[AgendaItem]] = {}
    for item in AgendaItem.objects.filter(case_id__in=case_ids).select_related("meeting"):
        items_by_case.setdefault(item.case_id, []).append(item)  # type: ignore[arg-type]
    sheets = {
        sheet.item_id: sheet
        for sheet in FeedbackSheet.objects.filter(
            item__case_id__in=case_ids, status=SheetStatus.SENT
        )
    }
    recipients: dict[uuid.UUID, set[str]] = {}
    for participant in Participant.objects.filter(case_id__in=case_ids).select_related(
        "organisation"
    ):
        if participant.organisation is not None:
            recipients.setdefault(participant.case_id, set()).add(participant.organisation.name)

    def keep(items: list[Any], key: str) -> list[Any]:
        kept = [item for item in items if not item.professional_secret]
        withheld[key] += len(items) - len(kept)
        return kept

    cases = []
    for case in matches.cases:
        case_signals = keep(signals_by_case.get(case.pk, []), "signals")
        items = keep(
            sorted(items_by_case.get(case.pk, []), key=lambda i: i.meeting.starts_at), "discussions"
        )
        cases.append(
            {
                "code": case.code,
                "status": str(case.get_status_display()),
                "opened_on": timezone.localtime(case.opened_at).date().isoformat(),
                "closed_on": (
                    timezone.localtime(case.closed_at).date().isoformat() if case.closed_at else ""
                ),
                "closure_reason": str(case.get_closure_reason_display())
                if case.closure_reason
                else "",
                "address": case.person_address,
                "minor": case.is_minor,
                "summary": case.summary,
                "person_informed": str(case.get_person_informed_display()),
                "next_review": case.review_due.isoformat() if case.review_due else "",
                "delete_after": case.delete_after.isoformat() if case.delete_after else "",
                "factors": [
                    {
                        "dimension": str(f.get_dimension_display()),
                        "kind": str(f.get_kind_display()),
                        "note": f.note,
                    }
                    for f in factors_by_case.get(case.pk, [])
                ],
                "actions": [
                    {
                        "owner": a.owner.name,
                        "description": a.description,
                        "due_date": a.due_date.isoformat(),
                        "status": str(a.get_status_display()),
                    }
                    for a in keep(actions_by_case.get(case.pk, []), "actions")
                ],
                "discussions": [
                    {
                        "meeting_date": timezone.localtime(i.meeting.starts_at).date().isoformat(),
                        "summary": i.summary,
                        "decisions": i.decisions,
                        "feedback_to_police": sheets[i.pk].text if i.pk in sheets else "",
                    }
                    for i in items
                ],
                "signals": [_signal_entry(s) for s in case_signals],
                "recipients": sorted(recipients.get(case.pk, set())),
            }
        )
    framework = Framework.objects.filter(cell_id=subject.cell_id).first()
    export: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "controller": subject.cell.name,
        "request": {"right": subject.kind, "received_on": subject.received_on.isoformat()},
        "person": {"name": subject.subject_name, "birth_date": subject.subject_birth_date},
        "purpose": _(
            "Multi-agency case consultation of the local integrated security cell on "
            "radicalisation (Law of 30 July 2018)."
        ),
        "legal_basis": str(framework.get_legal_basis_display()) if framework else "",
        "cases": cases,
        "signals": [_signal_entry(s) for s in keep(matches.signals, "signals")],
        "withheld": withheld,
        "withheld_note": _(
            "Contributions that hold another professional's secret are left out (art. 458ter "
            "Criminal Code; GDPR art. 15(4) and 23)."
        ),
    }
    subject.exported_at = timezone.now()
    subject.save(update_fields=["exported_at"])
    _audit(
        "privacy.subject_request.exported",
        subject,
        user,
        request,
        {
            "cases": len(cases),
            "signals": len(export["signals"]) + sum(len(c["signals"]) for c in cases),
            "withheld": sum(withheld.values()),
        },
    )
    return export


@transaction.atomic
def subject_request_erase(*, subject: SubjectRequest, user: User, request: Any = None) -> None:
    """Carry out a granted erasure: delete the person's cases and signals by the purge path,
    then wipe the person's identity from the request itself."""
    if subject.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases data."))
    if subject.decision != RequestDecision.GRANTED:
        raise ValidationError(_("Record the decision to grant the erasure first."))
    if subject.erased_at:
        raise ValidationError(_("This erasure was already carried out."))
    matches = subject_request_matches(subject)
    try:
        signals, cases = purge_person(
            cell_id=subject.cell_id,
            case_ids=[case.pk for case in matches.cases],
            signal_ids=[signal.pk for signal in matches.signals],
        )
    except LegalHoldError as error:
        raise ValidationError(
            _(
                "Case %(codes)s is under a legal hold: nothing was erased. Lift the hold first, "
                "or record a partial decision."
            )
            % {"codes": ", ".join(error.codes)}
        ) from None
    subject.erased_at = timezone.now()
    subject.erased_cases = cases
    subject.erased_signals = signals
    subject.subject_name = ""
    subject.subject_birth_date = ""
    subject.request_text = ""
    subject.save(
        update_fields=[
            "erased_at",
            "erased_cases",
            "erased_signals",
            "subject_name",
            "subject_birth_date",
            "request_text",
        ]
    )
    _audit(
        "privacy.subject_request.erased",
        subject,
        user,
        request,
        {"cases": cases, "signals": signals},
    )


def _audit(
    action: str, subject: SubjectRequest, user: User, request: Any, data: dict[str, Any]
) -> None:
    audit_record(
        action=action, actor=user, cell=subject.cell_id, target=subject, request=request, data=data
    )
