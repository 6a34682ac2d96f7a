"""Scan rounds: invite, respond anonymously, close, results, benchmark, improvement plan."""

from __future__ import annotations

import datetime
import secrets
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cells.models import CELL_ROLES, MANAGING_ROLES, Cell, Membership, Role
from vangnet.lib.aggregates import aggregate_cached
from vangnet.lib.prepared import PreparedQuery
from vangnet.lib.tokens import token_hash
from vangnet.questionnaires.models import Template
from vangnet.questionnaires.scoring import ModuleResult, band_text, module_results
from vangnet.questionnaires.services import DEFAULT_SCAN, template_current
from vangnet.scans.models import (
    Answer,
    ImprovementAction,
    RespondentInvitation,
    Response,
    Round,
)

if TYPE_CHECKING:
    from vangnet.accounts.models import User

BENCHMARK_MINIMUM = 5  # below this many cells, no average is shown
ANONYMITY_MINIMUM = 3  # fewer responses (or invitees sharing a sector) could identify a person
ROLE_PRIORITY = [
    Role.COORDINATOR,
    Role.DEPUTY_COORDINATOR,
    Role.MAYOR,
    Role.INFORMATION_OFFICER,
    Role.PREVENTION_OFFICIAL,
    Role.MEMBER,
    Role.DPO,
]


@transaction.atomic
def round_open(
    *, cell: Cell, title: str, does_case_management: bool, opened_by: User, request: Any = None
) -> Round:
    if Round.objects.filter(cell=cell, closed_at__isnull=True).exists():
        raise ValidationError(_("Close the open round first."))
    scan_round = Round.objects.create(
        cell=cell,
        template=template_current(DEFAULT_SCAN),
        title=title.strip(),
        does_case_management=does_case_management,
        opened_by=opened_by,
    )
    audit_record(
        action="scans.round.opened", actor=opened_by, cell=cell, target=scan_round, request=request
    )
    return scan_round


def applicable_modules(scan_round: Round) -> list[dict[str, Any]]:
    modules = scan_round.template.definition["modules"]
    return [
        m for m in modules if m["condition"] != "case_management" or scan_round.does_case_management
    ]


@transaction.atomic
def round_invite(*, scan_round: Round, user: User, request: Any = None) -> int:
    """One single-use link per active member; the link knows only role and sector."""
    if not scan_round.is_open:
        raise ValidationError(_("This round is closed."))
    best: dict[Any, Membership] = {}
    for membership in Membership.objects.filter(
        cell_id=scan_round.cell_id, ended_at__isnull=True, role__in=CELL_ROLES
    ).select_related("organisation", "user"):
        current = best.get(membership.user_id)
        rank = ROLE_PRIORITY.index(Role(membership.role))
        if current is None or rank < ROLE_PRIORITY.index(Role(current.role)):
            best[membership.user_id] = membership
    already = _invited_users(scan_round)
    sectors = [m.organisation.sector if m.organisation else "" for m in best.values()]
    # A sector shared by fewer than three invitees would point at a person: leave it out.
    common = {s for s in sectors if s and sectors.count(s) >= ANONYMITY_MINIMUM}
    people = list(best.items())
    secrets.SystemRandom().shuffle(people)  # creation order says nothing about who
    sent = 0
    for user_id, membership in people:
        if str(user_id) in already:
            continue
        token = secrets.token_urlsafe(32)
        RespondentInvitation.objects.create(
            cell_id=scan_round.cell_id,
            round=scan_round,
            token_hash=token_hash(token),
            role="coordinator" if membership.role in MANAGING_ROLES else "partner",
            sector=(membership.organisation.sector if membership.organisation else "")
            if (membership.organisation and membership.organisation.sector in common)
            else "",
            is_coordinator=membership.role in MANAGING_ROLES,
        )
        # Who was invited is kept apart from the answers: only this marker, never linked.
        _mark_invited(scan_round, str(user_id))
        link = f"{settings.SITE_URL}/scan/{token}/"
        email = membership.user.email
        with override(settings.LANGUAGE_CODE):
            subject = _("Vangnet: how does your cell work? A short self-evaluation")
            subject = scan_round.cell.mail_subject(subject)
            body = render_to_string(
                "scans/emails/invitation.txt", {"link": link, "cell": scan_round.cell}
            )
        _mail_on_commit(subject, body, email)
        sent += 1
    audit_record(
        action="scans.round.invited",
        actor=user,
        cell=scan_round.cell_id,
        target=scan_round,
        request=request,
        data={"count": sent},
    )
    return sent


def _mail_on_commit(subject: str, body: str, email: str) -> None:
    def send() -> None:
        send_mail(subject, body, None, [email])

    transaction.on_commit(send, robust=True)


def _invited_users(scan_round: Round) -> set[str]:
    return set(scan_round.invited_user_ids or [])


def _mark_invited(scan_round: Round, user_id: str) -> None:
    # Kept sorted: the list must not reveal the order in which links were made.
    ids = sorted({*(scan_round.invited_user_ids or []), user_id})
    scan_round.invited_user_ids = ids
    scan_round.save(update_fields=["invited_user_ids"])


def invitation_by_token(token: str) -> RespondentInvitation | None:
    with scopes_disabled():
        return (
            RespondentInvitation.objects.select_related("round__template", "round__cell")
            .filter(token_hash=token_hash(token))
            .first()
        )


@transaction.atomic
def response_submit(
    *, invitation: RespondentInvitation, answers: dict[tuple[str, str, str], tuple[int | None, str]]
) -> Response:
    """Store one anonymous response: (module, situation, indicator) → (value, text)."""
    with scopes_disabled():
        locked = (
            # FOR UPDATE: the invitation is deleted below (a NO KEY lock would be upgraded).
            RespondentInvitation.objects.select_for_update(of=("self",))
            .select_related("round__template")
            .get(pk=invitation.pk)
        )
    if not locked.round.is_open:
        raise ValidationError(_("This link was already used or the round is closed."))
    with scope(cell=locked.cell_id):
        response = Response.objects.create(
            cell_id=locked.cell_id,
            round=locked.round,
            role=locked.role,
            sector=locked.sector,
            is_coordinator=locked.is_coordinator,
        )
        Answer.objects.bulk_create(
            Answer(
                cell_id=locked.cell_id,
                response=response,
                module=module,
                situation=situation,
                indicator=indicator,
                value=value,
                text=text or None,
            )
            for (module, situation, indicator), (value, text) in answers.items()
        )
        # Used once: the link disappears. No audit event per response (its time would tie the
        # response to the person who opened the link); the round's close records the count.
        locked.delete()
    return response


@transaction.atomic
def round_close(*, scan_round: Round, user: User, request: Any = None) -> None:
    if not scan_round.is_open:
        raise ValidationError(_("This round is already closed."))
    scan_round.closed_at = timezone.now()
    scan_round.save(update_fields=["closed_at"])
    audit_record(
        action="scans.round.closed",
        actor=user,
        cell=scan_round.cell_id,
        target=scan_round,
        request=request,
        data={"responses": Response.objects.filter(round=scan_round).count()},
    )


# The count of a round's responses, on every view of its results: compiled once per process.
_response_count = PreparedQuery[int](
    lambda round_id: (
        Response.objects.filter(round_id=round_id)
        .order_by()
        .values_list(RawSQL("COUNT(*)", ()), flat=True)
    )
)


def progress(scan_round: Round) -> tuple[int, int]:
    """(responses, people invited)."""
    (responses,) = _response_count(round_id=scan_round.pk)
    return responses, len(scan_round.invited_user_ids or [])


def results_visible(scan_round: Round, responses: int | None = None) -> bool:
    """Results only after closing and with enough respondents: while a round is open, or
    with one or two answers, a reader could tell what a single person answered.

    ``responses``: the round's number of responses when the caller has counted them.
    """
    if scan_round.is_open:
        return False
    if responses is None:
        responses = Response.objects.filter(round=scan_round).count()
    return responses >= ANONYMITY_MINIMUM


def _answers_by_response(
    scan_round: Round,
) -> tuple[list[bool], list[dict[tuple[str, str, str], int | None]]]:
    flags: list[bool] = []
    grouped: dict[Any, dict[tuple[str, str, str], int | None]] = defaultdict(dict)
    coordinator: dict[Any, bool] = {}
    for response in Response.objects.filter(round=scan_round):
        coordinator[response.pk] = response.is_coordinator
        grouped[response.pk]
    for answer in Answer.objects.filter(response__round=scan_round).only(
        "response_id", "module", "situation", "indicator", "value"
    ):
        grouped[answer.response_id][(answer.module, answer.situation, answer.indicator)] = (
            answer.value
        )
    rows = []
    for response_id, answers in grouped.items():
        flags.append(coordinator.get(response_id, False))
        rows.append(answers)
    return flags, rows


def round_results(scan_round: Round) -> dict[str, ModuleResult]:
    flags, rows = _answers_by_response(scan_round)
    results = {}
    for module in applicable_modules(scan_round):
        per_respondent = [
            (
                flag,
                {
                    (situation, indicator): value
                    for (mod, situation, indicator), value in answers.items()
                    if mod == module["key"]
                },
            )
            for flag, answers in zip(flags, rows, strict=True)
        ]
        results[module["key"]] = module_results(module, per_respondent)
    return results


# What the results page reads: compiled once per process (lib/prepared.py).
_round_with_template = PreparedQuery[Round](
    lambda round_id: Round.objects.select_related("template", "cell").filter(pk=round_id)
)
_texts = PreparedQuery[Answer](
    lambda round_id: Answer.objects.filter(response__round_id=round_id, text__isnull=False)
)
_improvements = PreparedQuery[ImprovementAction](
    lambda round_id: ImprovementAction.objects.filter(round_id=round_id)
)


def round_find(round_id: uuid.UUID) -> Round | None:
    """The round of the current cell with this id, with its template and cell (or None)."""
    found = _round_with_template(round_id=round_id)
    return found[0] if found else None


def round_improvements(scan_round: Round) -> list[ImprovementAction]:
    """The improvement actions agreed after the round."""
    return _improvements(round_id=scan_round.pk)


def free_texts(scan_round: Round) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = defaultdict(list)
    for answer in _texts(round_id=scan_round.pk):
        if answer.text:
            texts[answer.module].append(answer.text)
    # Sorted, never in the order they came in.
    return {module: sorted(values) for module, values in texts.items()}


def size_band(cell: Cell) -> str:
    """Cells compare with cells of the same size: by the number of active members."""
    with scopes_disabled():
        members = (
            Membership.objects.filter(cell=cell, ended_at__isnull=True, role__in=CELL_ROLES)
            .values("user_id")
            .distinct()
            .count()
        )
    return "small" if members <= 8 else "medium" if members <= 15 else "large"


def rounds_with_shared_templates(rounds: Iterable[Round]) -> list[Round]:
    """The rounds with their questionnaire template attached, one object per template.

    ``select_related("template")`` would decode the template's (large) definition once per
    round: hundreds of copies at Flanders scale. Two queries instead, one copy per template.
    """
    rounds = list(rounds)
    templates = {t.pk: t for t in Template.objects.filter(pk__in={r.template_id for r in rounds})}
    for r in rounds:
        r.template = templates[r.template_id]
    return rounds


def _latest_scores(template_slug: str) -> dict[Any, tuple[str, dict[str, float | None]]]:
    """Per cell: its size band and the module scores of its latest closed round of this
    template. Across every real cell, so kept in the aggregate cache."""
    with scopes_disabled():
        latest: dict[Any, Round] = {}
        for other in (
            # Exercise sandboxes never count (Cell.objects.real()).
            rounds_with_shared_templates(
                Round.objects.filter(
                    template__slug=template_slug,
                    closed_at__isnull=False,
                    cell__in=Cell.objects.real(),
                )
                .select_related("cell")
                .order_by("cell_id", "-closed_at")
            )
        ):
            latest.setdefault(other.cell_id, other)
        return {
            cell_id: (
                size_band(r.cell),
                {key: result.score for key, result in round_results(r).items()},
            )
            for cell_id, r in latest.items()
        }


def _benchmark_scores(template_slug: str) -> dict[str | None, dict[str, list[float]]]:
    """The latest scores of every real cell per module: all cells (key ``None``) and per size
    band. Kept in the aggregate cache, so a results page only looks its module up."""
    grouped: dict[str | None, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for band, scores in _latest_scores(template_slug).values():
        for key, score in scores.items():
            if score is not None:
                grouped[None][key].append(score)
                grouped[band][key].append(score)
    return {band: dict(per_module) for band, per_module in grouped.items()}


def benchmark(scan_round: Round) -> dict[str, dict[str, float | None]]:
    """Module averages over the latest closed round of every cell (same template), for
    Flanders and for the cell's size band; None where fewer than 5 cells contribute."""
    slug = scan_round.template.slug
    scores = aggregate_cached(f"scans:benchmark:{slug}", lambda: _benchmark_scores(slug))
    # A count of members, kept like the benchmark itself (a cell changes size slowly).
    own_band = aggregate_cached(
        f"scans:size_band:{scan_round.cell_id}", lambda: size_band(scan_round.cell)
    )
    everywhere, same_band = scores.get(None, {}), scores.get(own_band, {})
    out: dict[str, dict[str, float | None]] = {}
    for module in applicable_modules(scan_round):
        key = module["key"]
        everyone, same = everywhere.get(key, []), same_band.get(key, [])
        out[key] = {
            "flanders": _mean_if_enough(everyone),
            "size_band": _mean_if_enough(same),
            "flanders_cells": len(everyone),
            "size_band_cells": len(same),
        }
    return out


def _mean_if_enough(values: Sequence[float | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return round(statistics.fmean(numbers), 1) if len(numbers) >= BENCHMARK_MINIMUM else None


def trend(cell: Cell) -> list[tuple[Round, dict[str, ModuleResult]]]:
    rounds = (
        Round.objects.filter(cell=cell, closed_at__isnull=False)
        .select_related("template")
        .order_by("closed_at")
    )
    return [(r, round_results(r)) for r in rounds]


@transaction.atomic
def improvement_add(
    *,
    scan_round: Round,
    description: str,
    owner: str,
    due_date: datetime.date,
    category: str,
    module: str,
    user: User,
    request: Any = None,
) -> ImprovementAction:
    action = ImprovementAction.objects.create(
        cell_id=scan_round.cell_id,
        round=scan_round,
        description=description.strip(),
        owner=owner.strip(),
        due_date=due_date,
        category=category,
        module=module,
    )
    audit_record(
        action="scans.improvement.added",
        actor=user,
        cell=scan_round.cell_id,
        target=scan_round,
        request=request,
    )
    return action


@transaction.atomic
def sharing_set(*, scan_round: Round, shared: bool, user: User, request: Any = None) -> None:
    if shared and scan_round.cell.is_sandbox:  # fictional data never reaches VVSG
        raise ValidationError(_("A training cell shares nothing with VVSG."))
    if shared and scan_round.is_open:
        raise ValidationError(_("Close the round before sharing it."))
    if scan_round.shared_with_vvsg == shared:
        return
    scan_round.shared_with_vvsg = shared
    scan_round.save(update_fields=["shared_with_vvsg"])
    audit_record(
        action="scans.round.shared" if shared else "scans.round.unshared",
        actor=user,
        cell=scan_round.cell_id,
        target=scan_round,
        request=request,
    )


def band_texts(
    scan_round: Round, results: dict[str, ModuleResult], language: str
) -> dict[str, str]:
    return {
        m["key"]: band_text(m, results[m["key"]].score, language)
        for m in applicable_modules(scan_round)
        if m["key"] in results
    }
