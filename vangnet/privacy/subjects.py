"""Requests of data subjects (GDPR art. 15-21, R-22): register, deadline, decision, export, erasure.

The privacy office (DPO, coordinator, mayor) registers a request, keeps the one-month deadline
(extendable once, to at most three months, with reasons) and records the decision with its
grounds and any restriction applied. Finding the person's data, compiling the access export and
carrying out an erasure is the coordinator's work: they hold the case files; the DPO does not
read case content.

The person is found by name and date of birth: cases through their blind index, signals by
comparing the decrypted identity within the cell. Records under the same name without a date of
birth are only *candidates*: the coordinator confirms them one by one (or adds a case by its
code, for a name written differently); nothing is exported or erased on a name alone.

An access export needs a verified identity and a decision that grants it (fully or partly); it
leaves out contributions marked as holding another professional's secret
(``professional_secret``) and says how many were left out. An erasure needs a granting decision
taken by someone else than who carries it out, and runs through ``cases.purge.purge_person``:
the same deletion path as the retention policy. Cases under a legal hold are kept (only when the
decision is "partly granted"). Afterwards every request of the person in the register loses the
identity and its free text: the register keeps what was decided and done, in counts.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.services import audit_record
from vangnet.cases.models import Action, Case, Factor, Participant
from vangnet.cases.purge import LegalHoldError, purge_person
from vangnet.cells.models import Cell, Framework
from vangnet.intake.models import Signal
from vangnet.lib.blindindex import identity_index, normalise_name
from vangnet.lib.locks import row_lock
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
    subject = row_lock(subject)
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
    identity_verified: bool | None = None,
    user: User,
    request: Any = None,
) -> None:
    """Record the decision. Refusing or restricting needs grounds (and, for a restriction of
    a right, its legal basis under art. 23). A decision can be amended (audited) as long as
    nothing was carried out: no export compiled, nothing erased."""
    subject = row_lock(subject)
    if subject.exported_at or subject.erased_at:
        raise ValidationError(_("The decision was carried out: it can no longer be changed."))
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
    amended = subject.is_decided
    subject.decision = decision
    subject.grounds = grounds.strip()
    subject.restrictions = restrictions.strip()
    subject.decided_at = timezone.now()
    subject.decided_by = user
    if identity_verified is not None:
        subject.identity_verified = identity_verified
    subject.save(
        update_fields=[
            "decision",
            "grounds",
            "restrictions",
            "decided_at",
            "decided_by",
            "identity_verified",
        ]
    )
    _audit(
        "privacy.subject_request.decided",
        subject,
        user,
        request,
        {"decision": decision, "restricted": bool(restrictions.strip()), "amended": amended},
    )


@dataclass
class Matches:
    """The person's data in the cell: cases (with their signals) and other signals; and the
    candidates: records under the same name without a date of birth, not confirmed yet."""

    cases: list[Case] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)  # not linked to one of the cases
    candidate_cases: list[Case] = field(default_factory=list)
    candidate_signals: list[Signal] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.cases and not self.signals

    @property
    def ids(self) -> list[str]:
        return [str(o.pk) for o in (*self.cases, *self.signals)]


def _index_of(subject: SubjectRequest) -> str:
    return identity_index(
        cell_id=subject.cell_id, name=subject.subject_name, birth_date=subject.subject_birth_date
    )


def subject_request_matches(subject: SubjectRequest) -> Matches:
    """Find the person (call inside the cell's scope).

    Exact: same name and date of birth (cases by blind index, signals by decrypted identity,
    since signals have no index), and what the coordinator confirmed. Candidates: same name
    where no date of birth was recorded. An empty result after an erasure is what an erasure
    must give.
    """
    if not subject.subject_name or not subject.subject_birth_date:
        return Matches()
    index = _index_of(subject)
    name = normalise_name(subject.subject_name)
    confirmed = {str(i) for i in subject.confirmed_ids}
    matches = Matches()
    for case in Case.objects.filter(cell_id=subject.cell_id).filter(
        Q(identity_index=index) | Q(identity_index="") | Q(pk__in=_uuids(confirmed))
    ):
        if case.identity_index == index or str(case.pk) in confirmed:
            matches.cases.append(case)
        elif normalise_name(case.person_name) == name:
            matches.candidate_cases.append(case)
    case_ids = {case.pk for case in matches.cases}
    for signal in Signal.objects.filter(cell_id=subject.cell_id).exclude(case_id__in=case_ids):
        if str(signal.pk) in confirmed or (
            signal.person_birth_date == subject.subject_birth_date
            and normalise_name(signal.person_name) == name
        ):
            matches.signals.append(signal)
        elif not signal.person_birth_date and normalise_name(signal.person_name) == name:
            matches.candidate_signals.append(signal)
    return matches


def _uuids(values: set[str]) -> list[uuid.UUID]:
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(value))
        except ValueError:
            continue
    return result


@transaction.atomic
def subject_request_confirm(
    *,
    subject: SubjectRequest,
    candidate_ids: list[str],
    case_code: str = "",
    user: User,
    request: Any = None,
) -> None:
    """The coordinator confirms which candidates are this person's, and may add a case by its
    code (a name written differently). Replaces the earlier confirmation."""
    subject = row_lock(subject)
    if subject.erased_at:
        raise ValidationError(_("This erasure was already carried out."))
    matches = subject_request_matches(subject)
    allowed = {str(o.pk) for o in (*matches.candidate_cases, *matches.candidate_signals)} | {
        str(i) for i in subject.confirmed_ids
    }
    unknown = set(candidate_ids) - allowed
    if unknown:
        raise ValidationError(_("Choose among the records listed."))
    chosen = set(candidate_ids)
    if case_code.strip():
        case = Case.objects.filter(cell_id=subject.cell_id, code__iexact=case_code.strip()).first()
        if case is None:
            raise ValidationError(_("There is no case with this code in the cell."))
        chosen.add(str(case.pk))
    subject.confirmed_ids = sorted(chosen)
    subject.save(update_fields=["confirmed_ids"])
    _audit(
        "privacy.subject_request.confirmed",
        subject,
        user,
        request,
        {"confirmed": len(chosen), "by_code": bool(case_code.strip())},
    )


def _signal_entry(signal: Signal) -> dict[str, Any]:
    return {
        "received_on": signal.received_on.isoformat(),
        "category": str(signal.get_category_display()),
        "from_sector": signal.origin_sector,
        "description": signal.description,
        "outcome": str(signal.get_outcome_display()) if signal.outcome else "",
    }


@transaction.atomic
def subject_request_export(
    *, subject: SubjectRequest, user: User, request: Any = None
) -> dict[str, Any]:
    """Everything the cell holds about the person, for an access request (art. 15), without
    contributions marked as another professional's secret. Call inside the cell's scope."""
    subject = row_lock(subject)
    if subject.kind != RequestKind.ACCESS:
        raise ValidationError(_("Only an access request has an export."))
    if not subject.identity_verified:
        raise ValidationError(_("Verify the person's identity before compiling the export."))
    if subject.decision not in (RequestDecision.GRANTED, RequestDecision.PARTLY):
        raise ValidationError(
            _("Record a decision that grants the access (fully or partly) first.")
        )
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
    for case in matches.cases:  # so that each case's own access log shows the export
        audit_record(
            action="cases.case.exported",
            actor=user,
            cell=subject.cell_id,
            target=case,
            request=request,
            data={"subject_request": str(subject.pk)},
        )
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
    then wipe the person from every request of theirs in the register."""
    subject = row_lock(subject)
    if subject.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases data."))
    if subject.erased_at:
        raise ValidationError(_("This erasure was already carried out."))
    if subject.decision not in (RequestDecision.GRANTED, RequestDecision.PARTLY):
        raise ValidationError(_("Record the decision to grant the erasure first."))
    if not subject.identity_verified:
        raise ValidationError(_("Verify the person's identity before erasing."))
    if subject.decided_by_id == user.pk:
        raise ValidationError(
            _("Four eyes: someone else than who decided carries out the erasure.")
        )
    matches = subject_request_matches(subject)
    try:
        signals, cases, kept = purge_person(
            cell_id=subject.cell_id,
            case_ids=[case.pk for case in matches.cases],
            signal_ids=[signal.pk for signal in matches.signals],
            keep_held=subject.decision == RequestDecision.PARTLY,
        )
    except LegalHoldError as error:
        raise ValidationError(
            _(
                "Case %(codes)s is under a legal hold: nothing was erased. Amend the decision "
                "to 'partly granted' (the hold as ground) to erase everything else, or lift "
                "the hold."
            )
            % {"codes": ", ".join(error.codes)}
        ) from None
    index = _index_of(subject)
    erased = _ERASED_MARK
    for other in SubjectRequest.objects.filter(cell_id=subject.cell_id).select_for_update(
        no_key=True
    ):
        if other.pk != subject.pk and _index_of(other) != index:
            continue
        other.subject_name = ""
        other.subject_birth_date = ""
        other.request_text = ""
        other.confirmed_ids = []
        for name in ("extension_reason", "grounds", "restrictions"):
            if getattr(other, name):
                setattr(other, name, erased)
        if other.pk == subject.pk:
            other.erased_at = timezone.now()
            other.erased_cases = cases
            other.erased_signals = signals
            other.kept_cases = kept
        other.save()
    subject.refresh_from_db()
    _audit(
        "privacy.subject_request.erased",
        subject,
        user,
        request,
        {"cases": cases, "signals": signals, "kept_cases": kept},
    )


# Free text of the person's requests may name them: it goes with the erasure.
_ERASED_MARK = "—"


def _audit(
    action: str, subject: SubjectRequest, user: User, request: Any, data: dict[str, Any]
) -> None:
    audit_record(
        action=action, actor=user, cell=subject.cell_id, target=subject, request=request, data=data
    )
