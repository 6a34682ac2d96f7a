"""Surveys: create, open, invite, answer anonymously, close, results and export.

Cell surveys are tenant data, read inside the cell's scope; VVSG surveys (cell null) are read
with scopes disabled, in the VVSG staff views only. Nothing ties a response to a person: the
personal link is deleted when used, a response has no user and no time, and no audit event
is written per response (its time would point at whoever just opened a link).
"""

from __future__ import annotations

import datetime
import re
import secrets
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.audit.services import audit_record
from vangnet.cells.models import CELL_ROLES, MANAGING_ROLES, Cell, Membership, Role
from vangnet.events.models import BodyMembership, NetworkBody
from vangnet.lib.tokens import token_hash
from vangnet.questionnaires.models import Template
from vangnet.questionnaires.services import template_current
from vangnet.surveys.models import (
    CELL_AUDIENCES,
    VVSG_AUDIENCES,
    Audience,
    Status,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

# The survey library: shipped definitions in vangnet/questionnaires/definitions/.
LIBRARY = ("partner-signals-needs", "partner-collaboration", "cell-needs")
RESULTS_THRESHOLD = 3  # results are shown from this many responses, and only once closed
MAX_TEXT = 2000
NA = "na"
# Control characters (but tab and line breaks) are dropped from answers: they serve no one
# and only help to smuggle formulas into exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# (module, indicator) → (value, option keys, text)
Answers = dict[tuple[str, str], tuple[int | None, list[str], str]]


# --- Library ----------------------------------------------------------------------------------


def library() -> list[Template]:
    """The newest version of every library survey (the shipped YAML becomes version 1)."""
    return [template_current(slug, survey=True) for slug in LIBRARY]


def questions(template: Template) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(module, indicator) pairs in the order of the definition."""
    return [(m, i) for m in template.definition["modules"] for i in m["indicators"]]


# --- Creating, opening, inviting --------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    cell: Cell | None,
    template: Template,
    title: str,
    intro: str,
    audience: str,
    anonymous_link: bool,
    closes_on: datetime.date | None,
    user: User,
    body: NetworkBody | None = None,
    request: Any = None,
) -> Survey:
    """A draft survey for a cell (`cell`) or for VVSG (`cell=None`)."""
    allowed = CELL_AUDIENCES if cell is not None else VVSG_AUDIENCES
    if audience not in allowed:
        raise ValidationError(_("Choose an audience from the list."))
    if template.slug not in LIBRARY:
        raise ValidationError(_("Choose a survey from the library."))
    if audience == Audience.BODY and body is None:
        raise ValidationError(_("Choose the network body."))
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError(_("The closing date lies in the past."))
    survey = Survey.objects.create(
        cell=cell,
        template=template,
        title=title.strip(),
        intro=intro.strip(),
        audience=audience,
        body=body if audience == Audience.BODY else None,
        anonymous_link=anonymous_link,
        closes_on=closes_on,
        created_by=user,
    )
    audit_record(
        action="surveys.survey.created",
        actor=user,
        cell=cell,
        target=survey,
        request=request,
        data={"template_version": template.version, "audience": audience},
    )
    return survey


@transaction.atomic
def survey_open(*, survey: Survey, user: User, request: Any = None) -> None:
    if survey.status != Status.DRAFT:
        raise ValidationError(_("This survey is already open or closed."))
    survey.status = Status.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    audit_record(
        action="surveys.survey.opened",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
    )


def audience_users(survey: Survey) -> list[User]:
    """The active people the survey is for, each once (sorted by id, not by name or role)."""
    with scopes_disabled():
        if survey.audience == Audience.BODY:
            user_ids = set(
                BodyMembership.objects.filter(
                    body_id=survey.body_id, ended_at__isnull=True
                ).values_list("user_id", flat=True)
            )
        else:
            memberships = Membership.objects.filter(ended_at__isnull=True, role__in=CELL_ROLES)
            if survey.audience in CELL_AUDIENCES:
                if survey.cell_id is None:
                    return []
                memberships = memberships.filter(cell_id=survey.cell_id)
            else:
                # Across Flanders: never the tabletop-exercise sandboxes.
                memberships = memberships.filter(cell__is_sandbox=False)
            if survey.audience == Audience.COORDINATORS:
                memberships = memberships.filter(role__in=MANAGING_ROLES)
            rows = list(memberships.values_list("user_id", "role"))
            user_ids = {user_id for user_id, _role in rows}
            if survey.audience == Audience.CELL_PARTNERS:
                leading = {*MANAGING_ROLES, Role.MAYOR}
                user_ids -= {user_id for user_id, role in rows if role in leading}
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


@transaction.atomic
def survey_invite(*, survey: Survey, user: User, request: Any = None) -> int:
    """One single-use personal link for everyone in the audience not yet invited."""
    with scopes_disabled():
        survey = Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)
    if not survey.is_open:
        raise ValidationError(_("Open the survey before sending links."))
    already = set(survey.invited_user_ids or [])
    people = [u for u in audience_users(survey) if str(u.pk) not in already]
    secrets.SystemRandom().shuffle(people)  # creation order says nothing about who
    invitations = []
    mails: list[tuple[str, str]] = []
    for person in people:
        token = secrets.token_urlsafe(32)
        invitations.append(
            SurveyInvitation(cell_id=survey.cell_id, survey=survey, token_hash=token_hash(token))
        )
        mails.append((person.email, f"{settings.SITE_URL}/survey/{token}/"))
    with scopes_disabled():
        SurveyInvitation.objects.bulk_create(invitations)
    # Kept sorted: the list must not reveal the order in which links were made.
    survey.invited_user_ids = sorted(already | {str(p.pk) for p in people})
    survey.save(update_fields=["invited_user_ids"])
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: a short anonymous survey")
        if survey.cell is not None:
            subject = survey.cell.mail_subject(subject)
        for email, link in mails:
            body = render_to_string(
                "surveys/emails/invitation.txt", {"title": survey.title, "link": link}
            )
            _mail_on_commit(subject, body, email)
    audit_record(
        action="surveys.survey.invited",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
        data={"count": len(people)},
    )
    return len(people)


def _mail_on_commit(subject: str, body: str, email: str) -> None:
    def send() -> None:
        send_mail(subject, body, None, [email])

    transaction.on_commit(send, robust=True)


@transaction.atomic
def anonymous_link_create(*, survey: Survey, user: User, request: Any = None) -> str:
    """A new anonymous link (the old one stops working). The token is returned once."""
    if not survey.anonymous_link:
        raise ValidationError(_("This survey has no anonymous link."))
    if survey.is_closed:
        raise ValidationError(_("This survey is closed."))
    token = secrets.token_urlsafe(32)
    survey.anonymous_token_hash = token_hash(token)
    survey.save(update_fields=["anonymous_token_hash"])
    audit_record(
        action="surveys.link.created",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
    )
    return token


@transaction.atomic
def anonymous_link_revoke(*, survey: Survey, user: User, request: Any = None) -> None:
    if survey.anonymous_token_hash is None:
        return
    survey.anonymous_token_hash = None
    survey.save(update_fields=["anonymous_token_hash"])
    audit_record(
        action="surveys.link.revoked",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
    )


@transaction.atomic
def survey_close(*, survey: Survey, user: User, request: Any = None) -> None:
    if not survey.is_open:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Status.CLOSED
    survey.closed_at = timezone.now()
    survey.anonymous_token_hash = None
    survey.save(update_fields=["status", "closed_at", "anonymous_token_hash"])
    with scopes_disabled():
        SurveyInvitation.objects.filter(survey=survey).delete()  # unused links die with it
        responses = SurveyResponse.objects.filter(survey=survey).count()
    audit_record(
        action="surveys.survey.closed",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
        data={"responses": responses, "invited": len(survey.invited_user_ids or [])},
    )


# --- Answering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    survey: Survey
    invitation: SurveyInvitation | None  # None: the anonymous link


def accepts_answers(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.is_open and (survey.closes_on is None or today <= survey.closes_on)


def link_by_token(token: str) -> Link | None:
    """The survey behind a personal or anonymous link, if the link still works."""
    if not token or len(token) > 100:
        return None
    hashed = token_hash(token)
    with scopes_disabled():
        invitation = (
            SurveyInvitation.objects.select_related("survey__template", "survey__cell")
            .filter(token_hash=hashed)
            .first()
        )
        if invitation is not None:
            link = Link(invitation.survey, invitation)
        else:
            survey = (
                Survey.objects.select_related("template", "cell")
                .filter(anonymous_token_hash=hashed, anonymous_link=True)
                .first()
            )
            if survey is None:
                return None
            link = Link(survey, None)
    return link if accepts_answers(link.survey) else None


@transaction.atomic
def response_submit(*, link: Link, answers: Answers) -> SurveyResponse:
    """Store one anonymous response. A personal link is locked, then deleted (works once)."""
    if not answers:
        raise ValidationError(_("Answer at least one question."))
    with scopes_disabled():
        survey = Survey.objects.select_for_update(no_key=True).get(pk=link.survey.pk)
        invitation: SurveyInvitation | None = None
        if link.invitation is not None:
            invitation = (
                # FOR UPDATE: the invitation is deleted below (a NO KEY lock would be upgraded).
                SurveyInvitation.objects.select_for_update()
                .filter(pk=link.invitation.pk, survey=survey)
                .first()
            )
            if invitation is None:
                raise ValidationError(_("This link was already used."))
        elif survey.anonymous_token_hash is None or (
            link.survey.anonymous_token_hash != survey.anonymous_token_hash
        ):
            raise ValidationError(_("This link no longer works."))
        if not accepts_answers(survey):
            raise ValidationError(_("This survey is closed."))
        _validate(survey.template, answers)
        response = SurveyResponse.objects.create(cell_id=survey.cell_id, survey=survey)
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                cell_id=survey.cell_id,
                response=response,
                module=module,
                indicator=indicator,
                value=value,
                choices=choices,
                text=text or None,
            )
            for (module, indicator), (value, choices, text) in sorted(answers.items())
        )
        if invitation is not None:
            invitation.delete()
    return response


def _validate(template: Template, answers: Answers) -> None:
    """A last check below the form: nothing is stored that the definition does not allow."""
    spec = {(m["key"], i["key"]): i for m, i in questions(template)}
    for key, (value, choices, text) in answers.items():
        indicator = spec.get(key)
        if indicator is None:
            raise ValidationError(_("An answer has a value that is not allowed."))
        kind = indicator["kind"]
        options = {o["key"] for o in indicator.get("options", [])}
        ok = {
            "likert": value in (1, 2, 3, 4, 5, None) and not choices and not text,
            "yesno": value in (0, 1, None) and not choices and not text,
            "text": value is None
            and not choices
            and 0 < len(text) <= MAX_TEXT
            and not _CONTROL.search(text),
            "choice": value is None and len(choices) <= 1 and set(choices) <= options and not text,
            "multi": value is None
            and set(choices) <= options
            and len(set(choices)) == len(choices)
            and not text,
        }.get(kind, False)
        na = value is None and not choices and not text
        if not ok or (na and kind in ("likert", "yesno", "choice") and not indicator["allow_na"]):
            raise ValidationError(_("An answer has a value that is not allowed."))


def answers_from_post(data: Any, template: Template) -> tuple[Answers, dict[str, Any], list[str]]:
    """Read the answer form: (answers, what to show again, errors). Nothing is mandatory;
    impossible values are errors, not guesses."""
    answers: Answers = {}
    current: dict[str, Any] = {}
    errors: list[str] = []
    for module, indicator in questions(template):
        name = field_name(module, indicator)
        kind = indicator["kind"]
        key = (module["key"], indicator["key"])
        if kind == "multi":
            picked = [str(v) for v in data.getlist(name)]
            current[name] = picked
            if not picked:
                continue
            options = [o["key"] for o in indicator["options"]]
            if not set(picked) <= set(options) or len(set(picked)) != len(picked):
                errors.append(_("An answer has a value that is not allowed."))
                continue
            answers[key] = (None, [o for o in options if o in picked], "")
            continue
        values = data.getlist(name)
        if len(values) > 1:  # one field, one value: a repeated field is not a guess
            current[name] = ""
            errors.append(_("An answer has a value that is not allowed."))
            continue
        raw = _CONTROL.sub("", str(values[0]) if values else "").strip()
        current[name] = raw
        if not raw:
            continue
        if kind == "text":
            if len(raw) > MAX_TEXT:
                errors.append(_("An answer is longer than %(max)d characters.") % {"max": MAX_TEXT})
            else:
                answers[key] = (None, [], raw)
            continue
        if raw == NA and indicator["allow_na"]:
            answers[key] = (None, [], "")
            continue
        if kind == "choice":
            if raw not in {o["key"] for o in indicator["options"]}:
                errors.append(_("An answer has a value that is not allowed."))
            else:
                answers[key] = (None, [raw], "")
            continue
        allowed = {"1", "2", "3", "4", "5"} if kind == "likert" else {"0", "1"}
        if raw not in allowed:
            errors.append(_("An answer has a value that is not allowed."))
            continue
        answers[key] = (int(raw), [], "")
    if not errors and not answers:
        errors.append(_("Answer at least one question."))
    return answers, current, errors


def field_name(module: dict[str, Any], indicator: dict[str, Any]) -> str:
    return f"q__{module['key']}__{indicator['key']}"


# --- Progress, results and export -------------------------------------------------------------


def response_count(survey: Survey) -> int:
    with scopes_disabled():
        return SurveyResponse.objects.filter(survey=survey).count()


def results_visible(survey: Survey, responses: int | None = None) -> bool:
    """Only after closing and from RESULTS_THRESHOLD responses: before that, a reader could
    tell what a single person answered."""
    count = response_count(survey) if responses is None else responses
    return survey.is_closed and count >= RESULTS_THRESHOLD


def _answers(survey: Survey) -> list[SurveyAnswer]:
    """Every answer of the survey in one query, ordered by response id (random, not arrival)."""
    with scopes_disabled():
        return list(
            SurveyAnswer.objects.filter(response__survey=survey)
            .only("id", "cell_id", "response_id", "module", "indicator", "value", "choices", "text")
            .order_by("response_id", "module", "indicator")
        )


@dataclass
class QuestionResult:
    module: str
    key: str
    kind: str
    text: str
    answered: int = 0  # respondents who gave an answer other than "not applicable"
    not_applicable: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # label, count, share
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def survey_results(survey: Survey, language: str) -> list[QuestionResult]:
    """Per question: likert distribution and mean, yes/no shares, option counts (multi: the
    share of those who answered the question), n/a counts, and texts sorted."""
    values: dict[tuple[str, str], list[int]] = defaultdict(list)
    picks: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    answered: Counter[tuple[str, str]] = Counter()
    na: Counter[tuple[str, str]] = Counter()
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for answer in _answers(survey):
        key = (answer.module, answer.indicator)
        if answer.value is not None:
            values[key].append(answer.value)
            answered[key] += 1
        elif answer.choices:
            picks[key].update(answer.choices)
            answered[key] += 1
        elif answer.text:
            texts[key].append(answer.text)
            answered[key] += 1
        else:
            na[key] += 1
    results = []
    for module, indicator in questions(survey.template):
        key = (module["key"], indicator["key"])
        kind = indicator["kind"]
        result = QuestionResult(
            module=module["key"],
            key=indicator["key"],
            kind=kind,
            text=indicator["text"].get(language) or indicator["text"]["nl"],
            answered=answered[key],
            not_applicable=na[key],
        )
        if kind == "likert":
            counts = Counter(values[key])
            labels = likert_labels()
            result.rows = [_row(labels[v], counts[v], answered[key]) for v in range(1, 6)]
            if values[key]:
                result.mean = round(statistics.fmean(values[key]), 1)
        elif kind == "yesno":
            counts = Counter(values[key])
            result.rows = [
                _row(_("Yes"), counts[1], answered[key]),
                _row(_("No"), counts[0], answered[key]),
            ]
        elif kind in ("choice", "multi"):
            result.rows = [
                _row(
                    o["text"].get(language) or o["text"]["nl"], picks[key][o["key"]], answered[key]
                )
                for o in indicator["options"]
            ]
        else:
            result.texts = sorted(texts[key], key=str.casefold)  # never in arrival order
        results.append(result)
    return results


def likert_labels() -> dict[int, str]:
    return {
        1: _("Strongly disagree"),
        2: _("Disagree"),
        3: _("Neutral"),
        4: _("Agree"),
        5: _("Strongly agree"),
    }


def _row(label: str, count: int, total: int) -> dict[str, Any]:
    return {"label": label, "count": count, "share": round(100 * count / total) if total else 0}


def export_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """(header, rows): one row per response, ordered by its random id, one column per
    question. Likert 1..5, yes/no 1/0, option keys (multi: joined by "; "), "n/a"."""
    columns = questions(survey.template)
    header = [f"{m['key']}.{i['key']}" for m, i in columns]
    index = {(m["key"], i["key"]): n for n, (m, i) in enumerate(columns)}
    by_response: dict[Any, list[Any]] = {}
    for answer in _answers(survey):
        row = by_response.setdefault(answer.response_id, [""] * len(columns))
        position = index.get((answer.module, answer.indicator))
        if position is None:
            continue
        if answer.value is not None:
            row[position] = answer.value
        elif answer.choices:
            row[position] = "; ".join(answer.choices)
        elif answer.text:
            row[position] = answer.text
        else:
            row[position] = "n/a"
    rows = [by_response[key] for key in sorted(by_response, key=str)]
    return header, rows


def export_recorded(
    *, survey: Survey, fmt: str, user: User, rows: int, request: Any = None
) -> None:
    audit_record(
        action="surveys.results.exported",
        actor=user,
        cell=survey.cell_id,
        target=survey,
        request=request,
        data={"format": fmt, "responses": rows},
    )


# --- Lists ------------------------------------------------------------------------------------


def vvsg_surveys() -> Iterable[Survey]:
    with scopes_disabled():
        return list(
            Survey.objects.filter(cell__isnull=True)
            .select_related("template", "body")
            .order_by("-created_at")
        )


def with_counts(surveys: Iterable[Survey]) -> list[Survey]:
    """Surveys with `response_total` set, in one extra query."""
    surveys = list(surveys)
    with scopes_disabled():
        counts = dict(
            SurveyResponse.objects.filter(survey__in=[s.pk for s in surveys])
            .values("survey_id")
            .annotate(n=Count("id"))
            .values_list("survey_id", "n")
        )
    for survey in surveys:
        survey.response_total = counts.get(survey.pk, 0)  # type: ignore[attr-defined]
    return surveys
