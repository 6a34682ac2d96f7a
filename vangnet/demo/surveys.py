"""Demo surveys: a closed VVSG survey with visible results, and an open survey of one cell.

Everything goes through the survey services, as visits of the links would; only the times
they set to "now" (opened, closed) are moved back afterwards. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
import secrets
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import Cell
from vangnet.lib.tokens import token_hash
from vangnet.questionnaires.services import template_current
from vangnet.surveys import services
from vangnet.surveys.models import Audience, Survey, SurveyInvitation

VVSG_TITLE = "Welke signalen en noden zien partners?"
VVSG_RESPONSES = 14
CELL_NAME = "LIVC R Mechelen"
CELL_TITLE = "Samenwerking met de cel: hoe ervaren partners het?"
CELL_RESPONSES = 2  # fewer than the threshold: the page shows counts only
REMARKS = (
    "Meer terugkoppeling na een melding zou helpen.",
    "Een vaste contactpersoon bij de cel maakt het makkelijker.",
    "Graag een vorming over online signalen bij jongeren.",
    "De samenwerking loopt goed, vooral sinds het vaste overleg.",
    "Onduidelijk wat we mogen delen met het beroepsgeheim.",
    "Polarisering op school en in de wijk neemt toe.",
)


def surveys_load(*, staff: User) -> None:
    with scopes_disabled():
        _vvsg_survey(staff)
        _cell_survey()


def _vvsg_survey(staff: User) -> None:
    if Survey.objects.filter(cell__isnull=True, title=VVSG_TITLE).exists():
        return
    rng = random.Random("vvsg-survey")  # noqa: S311 - reproducible demo answers, not a secret
    survey = services.survey_create(
        cell=None,
        template=template_current("partner-signals-needs", survey=True),
        title=VVSG_TITLE,
        intro="VVSG bevraagt alle partners van de cellen over de signalen en noden die ze zien.",
        audience=Audience.ALL_MEMBERS,
        anonymous_link=True,
        closes_on=None,
        user=staff,
    )
    services.survey_open(survey=survey, user=staff)
    _invite_without_mail(survey)
    _answer(survey, staff, rng, VVSG_RESPONSES)
    services.survey_close(survey=survey, user=staff)
    closed_at = timezone.now() - datetime.timedelta(days=20)
    Survey.objects.filter(pk=survey.pk).update(
        created_at=closed_at - datetime.timedelta(days=30),
        opened_at=closed_at - datetime.timedelta(days=28),
        closed_at=closed_at,
    )


def _cell_survey() -> None:
    cell = Cell.objects.filter(name=CELL_NAME).first()
    coordinator = User.objects.filter(email__startswith="coordinator.mechelen@").first()
    if cell is None or coordinator is None:
        return
    if Survey.objects.filter(cell=cell, title=CELL_TITLE).exists():
        return
    rng = random.Random("cell-survey")  # noqa: S311 - reproducible demo answers, not a secret
    survey = services.survey_create(
        cell=cell,
        template=template_current("partner-collaboration", survey=True),
        title=CELL_TITLE,
        intro="",
        audience=Audience.CELL_PARTNERS,
        anonymous_link=True,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        user=coordinator,
    )
    services.survey_open(survey=survey, user=coordinator)
    _invite_without_mail(survey)
    _answer(survey, coordinator, rng, CELL_RESPONSES)


def _invite_without_mail(survey: Survey) -> None:
    """As survey_invite makes them, but without mail: demo addresses (.invalid) get nothing.
    The links are made from tokens nobody keeps."""
    people = services.audience_users(survey)
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(
            cell_id=survey.cell_id,
            survey=survey,
            token_hash=token_hash(secrets.token_urlsafe(32)),
        )
        for _person in people
    )
    survey.invited_user_ids = sorted(str(person.pk) for person in people)
    survey.save(update_fields=["invited_user_ids"])


def _answer(survey: Survey, user: User, rng: random.Random, count: int) -> None:
    """`count` responses through the anonymous link (its token is not kept anywhere)."""
    token = services.anonymous_link_create(survey=survey, user=user)
    link = services.link_by_token(token)
    assert link is not None
    for _ in range(count):
        services.response_submit(link=link, answers=_answers(survey, rng))
        link = services.link_by_token(token)
        assert link is not None


def _answers(survey: Survey, rng: random.Random) -> services.Answers:
    answers: services.Answers = {}
    for module, indicator in services.questions(survey.template):
        key = (module["key"], indicator["key"])
        kind = indicator["kind"]
        if answers and rng.random() < 0.08:
            continue  # skipped (the first question is always answered)
        options: list[Any] = [o["key"] for o in indicator.get("options", [])]
        if kind == "likert":
            answers[key] = (min(5, max(1, round(rng.gauss(3.6, 0.9)))), [], "")
        elif kind == "yesno":
            answers[key] = (int(rng.random() < 0.7), [], "")
        elif kind == "choice":
            if indicator["allow_na"] and rng.random() < 0.1:
                answers[key] = (None, [], "")
            else:
                weights = [len(options) - i for i in range(len(options))]
                answers[key] = (None, [rng.choices(options, weights=weights)[0]], "")
        elif kind == "multi":
            picked = set(rng.sample(options[:-1], rng.randint(1, 3)))  # not the last: none
            answers[key] = (None, [o for o in options if o in picked], "")
        elif rng.random() < 0.4:
            answers[key] = (None, [], rng.choice(REMARKS))
    return answers
