"""The register of processing activities (art. 30 GDPR) and DPIA evidence of a cell (issue 10).

Generated from the configuration: the framework record, the profile's retention terms, the
roles and memberships, the field classification (``classification.py``) and live security
figures. It is a draft the DPO starts from, never the approved register. It holds categories,
counts and roles only: never a person discussed, a case code or a free text (the DPO's own
name and e-mail appear as the contact the register must give).

Rendering (PDF, DOCX) is in ``register_documents.py``.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Field, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import compute_hash
from vangnet.cases.models import Case, PersonInformed
from vangnet.cells.models import (
    Cell,
    CellProfile,
    Framework,
    FrameworkPhenomenon,
    LegalBasis,
    Membership,
    Phenomenon,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.insights.sharing import CATEGORIES as SHARING_CATEGORIES
from vangnet.intake.models import Signal
from vangnet.keyring.models import DataKey
from vangnet.keyring.services import datakey_verify, encrypted_fields
from vangnet.network.models import Organisation, OrganisationStatus, Sector
from vangnet.privacy.classification import (
    Activity,
    ClassifiedField,
    DataCategory,
    Subject,
    personal_fields,
)
from vangnet.privacy.models import AccessReview
from vangnet.privacy.services import members_security

Text = str | Promise

# The newest audit events whose links and hashes are checked live. The whole chain is checked
# by `manage.py audit_verify` (it reads every event of every cell: too slow for a request).
AUDIT_TAIL = 500

# What each role may open (cells/access.py, cases/access.py, intake/views.py).
ROLE_ACCESS: dict[str, Text] = {
    Role.MAYOR: _("Chairs the cell and approves the framework; opens every signal and case."),
    Role.COORDINATOR: _(
        "Runs the cell: screens signals, manages cases, members and partners; opens every "
        "signal and case."
    ),
    Role.DEPUTY_COORDINATOR: _("Replaces the coordinator; opens every signal and case."),
    Role.INFORMATION_OFFICER: _(
        "Opens every signal and case; the only one to record 'known to police' "
        "(yes / no / unknown)."
    ),
    Role.PREVENTION_OFFICIAL: _(
        "Own signals; a case only when added as a participant (need to know)."
    ),
    Role.MEMBER: _(
        "Own signals; a case only when they or their organisation are added as a participant "
        "(need to know), time-boxed where set."
    ),
    Role.DPO: _(
        "The privacy office: retention, configuration and access logs; a case only when added "
        "as a participant."
    ),
    Role.MUNICIPAL_STAFF: _("Support desk, knowledge base and forum only: no page of the cell."),
}


@dataclass(frozen=True)
class Controller:
    municipalities: list[str]
    is_joint: bool
    mayor_is_member: bool


@dataclass(frozen=True)
class DpoContact:
    name: str
    email: str


@dataclass(frozen=True)
class FrameworkRecord:
    legal_basis: Text
    legal_reference: str
    finality: str
    participant_categories: str
    start_date: datetime.date | None
    approved_on: datetime.date | None


@dataclass(frozen=True)
class PhenomenonBasis:
    phenomenon: Text
    legal_basis: str
    since: datetime.date


@dataclass(frozen=True)
class CategoryCount:
    category: DataCategory
    fields: int
    encrypted: int


@dataclass(frozen=True)
class ActivityRecord:
    activity: Activity
    subjects: list[Subject]
    categories: list[CategoryCount]
    fields: list[ClassifiedField]


@dataclass(frozen=True)
class Recipient:
    role: Text
    members: int
    access: Text


@dataclass(frozen=True)
class RetentionTerm:
    what: Text
    term: Text
    how: Text


@dataclass(frozen=True)
class Measure:
    name: Text
    evidence: Text
    ok: bool | None  # None: a description, not a live check


@dataclass(frozen=True)
class DpiaCriterion:
    criterion: Text
    met: bool | None  # None: for the DPO to assess
    evidence: Text


@dataclass(frozen=True)
class MfaFigure:
    with_mfa: int
    members: int


@dataclass(frozen=True)
class Register:
    cell_name: str
    is_sandbox: bool
    generated_at: datetime.datetime
    controller: Controller
    dpos: list[DpoContact]
    framework: FrameworkRecord | None
    phenomena: list[PhenomenonBasis]
    activities: list[ActivityRecord]
    recipients: list[Recipient]
    partners_by_sector: list[tuple[Text, int]]
    vvsg_sharing: list[Text]  # categories of aggregates shared with VVSG
    map_shared_with_vvsg: bool
    retention: list[RetentionTerm]
    mfa: MfaFigure
    security: list[Measure]
    dpia: list[DpiaCriterion]
    open_questions: list[Text]


def register_build(cell: Cell, *, now: datetime.datetime | None = None) -> Register:
    """Gather the cell's register. Reads only; a fixed number of queries (plus one per data
    key of the cell). Safe inside or outside the cell's scope."""
    now = now or timezone.now()
    fields = personal_fields()
    with scope(cell=cell.pk):
        framework = Framework.objects.filter(cell=cell).first()
        profile = CellProfile.objects.filter(cell=cell).first()
        memberships = list(
            Membership.objects.real()
            .filter(cell=cell, ended_at__isnull=True)
            .select_related("user")
        )
        security = members_security(cell)
        mfa = MfaFigure(sum(1 for m in security if m.mfa), len(security))
        return Register(
            cell_name=cell.name,
            is_sandbox=cell.is_sandbox,
            generated_at=now,
            controller=_controller(cell, memberships),
            dpos=_dpos(memberships),
            framework=_framework(framework),
            phenomena=_phenomena(cell),
            activities=_activities(fields),
            recipients=_recipients(memberships),
            partners_by_sector=_partners(cell),
            vvsg_sharing=_sharing(profile),
            map_shared_with_vvsg=bool(profile and profile.map_shared_with_vvsg),
            retention=_retention(profile),
            mfa=mfa,
            security=_security(cell, memberships, mfa, fields),
            dpia=_dpia(cell, fields),
            open_questions=_open_questions(framework, memberships),
        )


def _controller(cell: Cell, memberships: list[Membership]) -> Controller:
    names = list(cell.municipalities.order_by("name_nl").values_list("name_nl", flat=True))
    return Controller(
        municipalities=names,
        is_joint=len(names) > 1,
        mayor_is_member=any(m.role == Role.MAYOR for m in memberships),
    )


def _dpos(memberships: list[Membership]) -> list[DpoContact]:
    seen: dict[object, DpoContact] = {}
    for m in memberships:
        if m.role == Role.DPO:
            seen.setdefault(m.user_id, DpoContact(m.user.full_name, m.user.email))
    return sorted(seen.values(), key=lambda d: d.name)


def _framework(framework: Framework | None) -> FrameworkRecord | None:
    if framework is None:
        return None
    try:
        basis: Text = LegalBasis(framework.legal_basis).label
    except ValueError:
        basis = framework.legal_basis
    return FrameworkRecord(
        legal_basis=basis,
        legal_reference=framework.legal_reference,
        finality=framework.finality,
        participant_categories=framework.participant_categories,
        start_date=framework.start_date,
        approved_on=timezone.localdate(framework.approved_at) if framework.approved_at else None,
    )


def _phenomena(cell: Cell) -> list[PhenomenonBasis]:
    rows = FrameworkPhenomenon.objects.filter(cell=cell, disabled_at__isnull=True)
    result = []
    for row in rows:
        try:
            label: Text = Phenomenon(row.phenomenon).label
        except ValueError:
            label = row.phenomenon
        result.append(PhenomenonBasis(label, row.legal_basis, row.legal_basis_date))
    return result


def _activities(fields: list[ClassifiedField]) -> list[ActivityRecord]:
    records = []
    for activity in Activity:
        own = [f for f in fields if f.activity == activity]
        subjects = {s for f in own for s in f.subjects}
        counts = Counter(f.category for f in own)
        encrypted = Counter(f.category for f in own if f.encrypted)
        records.append(
            ActivityRecord(
                activity=activity,
                subjects=[s for s in Subject if s in subjects],
                categories=[
                    CategoryCount(c, counts[c], encrypted[c]) for c in DataCategory if counts[c]
                ],
                fields=own,
            )
        )
    return records


def _recipients(memberships: list[Membership]) -> list[Recipient]:
    per_role = Counter(m.role for m in memberships)
    return [Recipient(role.label, per_role[role], ROLE_ACCESS.get(role, "")) for role in Role]


def _partners(cell: Cell) -> list[tuple[Text, int]]:
    rows = (
        Organisation.objects.filter(cell=cell, status=OrganisationStatus.ACTIVE)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by("sector")
    )
    labels = dict(Sector.choices)
    return [(labels.get(sector, sector), n) for sector, n in rows]


def _sharing(profile: CellProfile | None) -> list[Text]:
    shared = set(profile.insights_sharing or []) if profile else set()
    return [c.label for c in SHARING_CATEGORIES if c.key in shared]


def _default(name: str) -> int:
    field = CellProfile._meta.get_field(name)
    assert isinstance(field, Field)
    return int(field.get_default())


def _retention(profile: CellProfile | None) -> list[RetentionTerm]:
    from vangnet.accounts.services import KEEP_LOGIN_RECORDS
    from vangnet.cases.services import DEFAULT_REVIEW_MONTHS

    case_months = (
        profile.retention_closed_case_months
        if profile
        else _default("retention_closed_case_months")
    )
    signal_months = (
        profile.retention_signal_months if profile else _default("retention_signal_months")
    )
    source = _("cell profile") if profile else _("default: the cell has no profile yet")
    return [
        RetentionTerm(
            _("Closed cases, with their signals, participants, actions and factors"),
            _("%(months)d months after closure") % {"months": case_months},
            _("Deleted automatically by the daily purge (%(source)s).") % {"source": source},
        ),
        RetentionTerm(
            _("Signals that did not become a case"),
            _("%(months)d months after submission, restarted at screening")
            % {"months": signal_months},
            _("Deleted automatically by the daily purge (%(source)s).") % {"source": source},
        ),
        RetentionTerm(
            _("Open cases"),
            _("Kept while open; reviewed every %(months)d months by default")
            % {"months": DEFAULT_REVIEW_MONTHS},
            _(
                "A review date is set when a case is opened; the privacy office lists overdue "
                "reviews."
            ),
        ),
        RetentionTerm(
            _("Legal hold"),
            _("Deletion of a closed case is suspended while a hold is set"),
            _("A hold needs a reason and a review date; the privacy office lists the holds."),
        ),
        RetentionTerm(
            _("Failed sign-ins and password-reset requests"),
            _("%(hours)d hours") % {"hours": int(KEEP_LOGIN_RECORDS.total_seconds() // 3600)},
            _("Deleted by the daily purge."),
        ),
        RetentionTerm(
            _("Audit log"),
            _("Kept: append-only, it holds ids and counts, never personal content"),
            _("Policy choice to confirm with the DPO."),
        ),
        RetentionTerm(
            _("Accounts and memberships"),
            _("While the account is used; an ended membership is kept for the audit trail"),
            _("Policy choice to confirm with the DPO."),
        ),
    ]


def _encryption_check(cell: Cell) -> tuple[bool, int]:
    """Do the cell's and the platform's data keys unwrap with the master keys configured now
    (not from the per-process cache)?"""
    keys = list(DataKey.objects.filter(Q(cell=cell) | Q(cell__isnull=True)))
    try:
        ok = all(datakey_verify(key) for key in keys)
    except ValueError:
        ok = False
    return ok, len(keys)


@dataclass(frozen=True)
class AuditTail:
    ok: bool
    checked: int
    head_position: int | None
    head_hash: str


def audit_tail_check(limit: int = AUDIT_TAIL) -> AuditTail:
    """Check the newest ``limit`` events of the chain: contiguous positions, links and hashes.
    The head (position and hash) is printed in the register: a copy outside the database
    that shows later whether events were removed from the tail."""
    events = list(AuditEvent.objects.order_by("-position")[:limit])
    events.reverse()
    ok = all(compute_hash(event) == event.hash for event in events) and all(
        later.position == earlier.position + 1 and later.prev_hash == earlier.hash
        for earlier, later in itertools.pairwise(events)
    )
    head = events[-1] if events else None
    return AuditTail(ok, len(events), head.position if head else None, head.hash if head else "")


def _scoped_models() -> tuple[int, int, list[str]]:
    """Models that belong to a cell, how many have a scoped manager, and which do not."""
    cell_models = [
        model
        for model in apps.get_models()
        if any(
            f.is_relation and f.related_model is Cell and f.name == "cell"
            for f in model._meta.concrete_fields
        )
    ]
    unscoped = [
        m._meta.label
        for m in cell_models
        if not hasattr(m._default_manager, "with_scopes_disabled")
    ]
    return len(cell_models), len(cell_models) - len(unscoped), sorted(unscoped)


def _security(
    cell: Cell, memberships: list[Membership], mfa: MfaFigure, fields: list[ClassifiedField]
) -> list[Measure]:
    enc_ok, keys = _encryption_check(cell)
    all_encrypted = sum(len(found) for _model, found in encrypted_fields())
    personal_encrypted = sum(1 for f in fields if f.encrypted)
    tail = audit_tail_check()
    cell_events = AuditEvent.objects.filter(cell_id=cell.pk).count()
    total_models, scoped, unscoped = _scoped_models()
    acknowledged = set(
        SecrecyAcknowledgement.objects.filter(
            cell=cell, context=SecrecyAcknowledgement.Context.JOINING
        ).values_list("user_id", flat=True)
    )
    users = {m.user_id for m in memberships if m.role != Role.MUNICIPAL_STAFF}
    review = AccessReview.objects.filter(cell=cell).order_by("-period_end").first()
    reviews = AccessReview.objects.filter(cell=cell).count()
    return [
        Measure(
            _("Second factor (MFA) for every sign-in"),
            _("%(with)d of %(total)d active members have a confirmed authenticator app.")
            % {"with": mfa.with_mfa, "total": mfa.members},
            mfa.with_mfa == mfa.members,
        ),
        Measure(
            _("Encryption at rest (AES-256-GCM, a data key per cell)"),
            _(
                "%(all)d encrypted fields, %(personal)d of the %(total)d personal fields. "
                "%(keys)d data key(s) of the cell and the platform checked: %(result)s."
            )
            % {
                "all": all_encrypted,
                "personal": personal_encrypted,
                "total": len(fields),
                "keys": keys,
                "result": _("they unwrap with the configured master keys")
                if enc_ok
                else _("a key does NOT unwrap"),
            },
            enc_ok,
        ),
        Measure(
            _("Tamper-evident audit log (hash chain, append-only)"),
            _(
                "%(events)d events of this cell. The newest %(checked)d events of the chain "
                "verify: %(result)s. Chain head: position %(position)s, hash %(hash)s. The "
                "whole chain is verified by 'manage.py audit_verify'."
            )
            % {
                "events": cell_events,
                "checked": tail.checked,
                "result": _("yes") if tail.ok else _("NO"),
                "position": tail.head_position if tail.head_position is not None else "-",
                "hash": tail.head_hash[:16] or "-",
            },
            tail.ok,
        ),
        Measure(
            _("Tenant separation (each cell its own tenant)"),
            _(
                "Every cell page checks the membership first (one answer for missing and "
                "forbidden). %(scoped)d of %(total)d models that belong to a cell refuse a "
                "query outside the cell's scope (django-scopes); read only by their own "
                "services: %(unscoped)s. Tests: vangnet/tests/test_cell_access_matrix.py, "
                "vangnet/cases/tests/test_case_access.py."
            )
            % {"scoped": scoped, "total": total_models, "unscoped": ", ".join(unscoped) or "-"},
            None,
        ),
        Measure(
            _("Need to know per case (R-14)"),
            _(
                "Coordinator, deputy, mayor and information officer open every case; anyone "
                "else only as an active participant. Every opening of a case is audited."
            ),
            None,
        ),
        Measure(
            _("Sessions and sign-in"),
            _(
                "Individual accounts only. A session ends after %(idle)d minutes without "
                "activity and after %(absolute)d hours in any case; sign-in is locked after "
                "%(failures)d failures."
            )
            % {
                "idle": settings.SESSION_COOKIE_AGE // 60,
                "absolute": settings.SESSION_ABSOLUTE_SECONDS // 3600,
                "failures": settings.AXES_FAILURE_LIMIT,
            },
            None,
        ),
        Measure(
            _("Secrecy duty acknowledged (art. 458ter §2 Sw., R-05)"),
            _("%(done)d of %(total)d members acknowledged it on joining.")
            % {"done": len(users & acknowledged), "total": len(users)},
            users <= acknowledged,
        ),
        Measure(
            _("Access reviews (R-18)"),
            (
                _("%(count)d signed review(s); the latest covers %(start)s to %(end)s.")
                % {
                    "count": reviews,
                    "start": review.period_start.isoformat(),
                    "end": review.period_end.isoformat(),
                }
            )
            if review
            else _("No access review signed yet."),
            review is not None,
        ),
    ]


def _dpia(cell: Cell, fields: list[ClassifiedField]) -> list[DpiaCriterion]:
    special = sum(1 for f in fields if f.category == DataCategory.SPECIAL)
    criminal = sum(1 for f in fields if f.category == DataCategory.CRIMINAL)
    cases = Case.objects.filter(cell=cell).aggregate(
        minors=Count("pk", filter=Q(is_minor=True)),
        not_informed=Count(
            "pk", filter=Q(person_informed__in=[PersonInformed.NO, PersonInformed.DEFERRED])
        ),
    )
    minor_signals = Signal.objects.filter(cell=cell, is_minor=True).count()
    organisations = Organisation.objects.filter(cell=cell, status=OrganisationStatus.ACTIVE).count()
    return [
        DpiaCriterion(
            _("Sensitive data or data of a highly personal nature"),
            True,
            _(
                "%(special)d fields may reveal special categories (art. 9) and %(criminal)d "
                "hold an indication of criminal offences (art. 10)."
            )
            % {"special": special, "criminal": criminal},
        ),
        DpiaCriterion(
            _("Vulnerable data subjects (minors)"),
            True,
            _(
                "Signals and cases may concern minors: now %(signals)d signal(s) and %(cases)d "
                "case(s) of the cell."
            )
            % {"signals": minor_signals, "cases": cases["minors"] or 0},
        ),
        DpiaCriterion(
            _("Matching or combining data sets"),
            True,
            _(
                "Signals from the cell's %(organisations)d active partner organisation(s) are "
                "brought together in one case file."
            )
            % {"organisations": organisations},
        ),
        DpiaCriterion(
            _(
                "Systematic exchange of special-category data between controllers (Belgian "
                "DPA list)"
            ),
            True,
            _("Partners share professional secrets in the consultation (art. 458ter Sw.)."),
        ),
        DpiaCriterion(
            _("Data subjects prevented from exercising a right"),
            None,
            _(
                "Persons are not always informed (art. 14(5)): now %(count)d case(s) not "
                "informed or deferred."
            )
            % {"count": cases["not_informed"] or 0},
        ),
        DpiaCriterion(
            _("Evaluation or scoring"),
            False,
            _("The factor checklist has no score and nothing is profiled automatically."),
        ),
        DpiaCriterion(
            _("Large scale"),
            None,
            _("For the DPO to assess with the numbers of signals and cases per year."),
        ),
    ]


def _open_questions(framework: Framework | None, memberships: list[Membership]) -> list[Text]:
    questions: list[Text] = []
    if framework is None:
        questions.append(
            _(
                "Record the cell's framework (legal basis, finality, participants) and have the "
                "mayor approve it before personal data is processed (R-01)."
            )
        )
    elif framework.approved_at is None:
        questions.append(_("The framework is not approved by the mayor yet."))
    if not any(m.role == Role.DPO for m in memberships):
        questions.append(_("Which data-protection officer is responsible (art. 37)?"))
    questions += [
        _(
            "Confirm the ground for special categories: art. 9(2)(g) with the safeguards of the "
            "law, and the measures of art. 9 of the Belgian data protection act."
        ),
        _(
            "Is a joint-controller arrangement (art. 26) with the partners needed, e.g. in the "
            "house rules?"
        ),
        _("Is the processor agreement (art. 28) with the host in place?"),
        _("Approve the retention terms: the LIVC R law sets none (policy choice, R-23)."),
        _(
            "How are requests of data subjects decided, given that the LIVC R law provides no "
            "restriction of their rights (art. 23)?"
        ),
        _("Link this DPIA, versioned, to the framework record (R-20)."),
    ]
    return questions
