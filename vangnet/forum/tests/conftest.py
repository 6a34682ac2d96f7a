from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django_scopes import scope

from vangnet.accounts.models import User
from vangnet.cases.models import Case, Participant
from vangnet.cases.services import case_open, participant_add
from vangnet.forum.models import Space, Thread
from vangnet.forum.services import post_reply, thread_start
from vangnet.tests_support.personas import Personas, sign_in

COORDINATORS = "coordinatoren"
CASE_MANAGERS = "intervisie-casemanagers"
ANTWERPEN = "provincie-antwerpen"
WEST_VLAANDEREN = "provincie-west-vlaanderen"
LIMBURG = "provincie-limburg"


@pytest.fixture
def spaces(db: None) -> dict[str, Space]:
    """The spaces created by migration 0002, by slug."""
    return {space.slug: space for space in Space.objects.all()}


@pytest.fixture
def english_client() -> Callable[[User], Client]:
    """A signed-in client that reads the pages in English (the default language is Dutch)."""

    def make(user: User) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        sign_in(client, user)
        return client

    return make


def start(
    space: Space, author: User, title: str = "Aanpak intervisie", body: str = "Hoe doen jullie dat?"
) -> Thread:
    return thread_start(space=space, author=author, title=title, body=body)


def reply(thread: Thread, author: User, body: str = "Wij werken met casusbesprekingen.") -> None:
    post_reply(thread=thread, author=author, body=body)


def make_case(personas: Personas) -> Case:
    """Open a case in Mechelen (through the real service)."""
    with scope(cell=personas.mechelen.pk):
        return case_open(
            cell=personas.mechelen,
            person_name="Ruben Fictief",
            person_birth_date=datetime.date(2008, 4, 2),
            opened_by=personas.alice,
        )


def make_case_manager(personas: Personas, user: User) -> Participant:
    """Open a case in Mechelen and make ``user`` its case manager (through the real services)."""
    case = make_case(personas)
    with scope(cell=personas.mechelen.pk):
        return participant_add(
            case=case,
            reason="Begeleiding",
            user=personas.alice,
            person=user,
            is_case_manager=True,
        )
