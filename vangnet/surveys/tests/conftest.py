from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from vangnet.questionnaires.services import template_current
from vangnet.surveys import services
from vangnet.surveys.models import Audience, Survey


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def make_survey(personas, django_capture_on_commit_callbacks):
    """An open survey (cell=None: VVSG), with personal links sent; returns (survey, tokens)."""

    def make(
        *,
        cell: Any = "mechelen",
        audience: str = Audience.CELL_MEMBERS,
        slug: str = "partner-signals-needs",
        anonymous_link: bool = False,
        body: Any = None,
        send: bool = True,
    ) -> tuple[Survey, list[str]]:
        owner = personas.alice if cell is not None else personas.vera
        the_cell = getattr(personas, cell) if isinstance(cell, str) else cell
        with scopes_disabled():
            survey = services.survey_create(
                cell=the_cell,
                template=template_current(slug, survey=True),
                title="Signals 2025",
                intro="",
                audience=audience,
                body=body,
                anonymous_link=anonymous_link,
                closes_on=None,
                user=owner,
            )
            services.survey_open(survey=survey, user=owner)
            tokens: list[str] = []
            if send:
                before = len(mail.outbox)
                with django_capture_on_commit_callbacks(execute=True):
                    services.survey_invite(survey=survey, user=owner)
                tokens = [token_from(str(m.body)) for m in mail.outbox[before:]]
            survey.refresh_from_db()
        return survey, tokens

    return make


def token_from(body: str) -> str:
    match = re.search(r"/survey/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


# Answers to partner-signals-needs, as the form posts them.
FULL_POST = {
    "q__signals__phenomena": ["far_right", "online"],
    "q__signals__frequency": "few_times",
    "q__signals__trend": "na",
    "q__needs__support_needs": ["training"],
    "q__needs__knows_how_to_reach": "1",
    "q__needs__collaboration_good": "4",
    "q__needs__open_remark": "More feedback please",
}


def submit(survey: Survey, token: str | None = None, **post: Any) -> None:
    """Answer through the services (token None: the anonymous link, made here)."""
    with scopes_disabled():
        if token is None:
            assert survey.created_by is not None
            token = services.anonymous_link_create(survey=survey, user=survey.created_by)
        link = services.link_by_token(token)
        assert link is not None
        answers, _current, errors = services.answers_from_post(_QueryDict(post), survey.template)
        assert not errors, errors
        services.response_submit(link=link, answers=answers)


class _QueryDict(dict):
    def getlist(self, key: str) -> list[str]:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]
