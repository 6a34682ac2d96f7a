"""Who sees which space: the matrix per space kind, through the access layer and every URL."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cases.models import Action, ActionStatus
from vangnet.cases.services import action_add, case_close, participant_add, participant_remove
from vangnet.cells.models import Membership, Role
from vangnet.forum.access import forum_access, space_allows, spaces_for_user
from vangnet.forum.models import Post, Space, SpaceKind, Thread
from vangnet.forum.tests.conftest import (
    ANTWERPEN,
    CASE_MANAGERS,
    COORDINATORS,
    LIMBURG,
    WEST_VLAANDEREN,
    make_case,
    make_case_manager,
    start,
)
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

ALL = {
    COORDINATORS,
    CASE_MANAGERS,
    ANTWERPEN,
    LIMBURG,
    WEST_VLAANDEREN,
    "provincie-oost-vlaanderen",
    "provincie-vlaams-brabant",
}
EXPECTED = {
    "alice": {COORDINATORS, CASE_MANAGERS, ANTWERPEN},  # coordinator, Mechelen (12025)
    "walter": {COORDINATORS, CASE_MANAGERS, WEST_VLAANDEREN},  # coordinator, Wingene (37021)
    "bob": {ANTWERPEN},  # mayor, Mechelen
    "ilse": {ANTWERPEN},  # police information officer, Mechelen
    "pim": {ANTWERPEN},  # partner member, Mechelen (not a case manager yet)
    "mona": {ANTWERPEN},  # municipal staff, Mechelen
    "olaf": set(),  # no membership
    "vera": ALL,  # VVSG staff
}


def slugs(spaces: list[Space]) -> set[str]:
    return {space.slug for space in spaces}


class TestAccessRules:
    @pytest.mark.parametrize("name", sorted(EXPECTED))
    def test_it_gives_each_persona_exactly_their_spaces(self, personas, spaces, name):
        user = getattr(personas, name)
        assert slugs(spaces_for_user(user)) == EXPECTED[name]
        for slug, space in spaces.items():
            assert space_allows(space, user) is (slug in EXPECTED[name]), slug

    def test_a_case_manager_joins_the_intervision_space(self, personas, spaces):
        participant = make_case_manager(personas, personas.pim)
        assert slugs(spaces_for_user(personas.pim)) == {ANTWERPEN, CASE_MANAGERS}
        with scopes_disabled():
            participant_remove(participant=participant, user=personas.alice)
        assert slugs(spaces_for_user(personas.pim)) == {ANTWERPEN}

    def test_a_member_of_a_case_managing_organisation_joins_the_intervision_space(
        self, personas, spaces
    ):
        with scopes_disabled():
            caw = Membership.objects.get(user=personas.pim).organisation
        case = make_case(personas)
        with scope(cell=personas.mechelen.pk):
            participant_add(
                case=case,
                reason="Begeleiding",
                user=personas.alice,
                organisation=caw,
                is_case_manager=True,
            )
        assert slugs(spaces_for_user(personas.pim)) == {ANTWERPEN, CASE_MANAGERS}
        # Mona is in the same cell but not in the organisation.
        assert slugs(spaces_for_user(personas.mona)) == {ANTWERPEN}

    def test_a_dpo_membership_does_not_represent_the_organisation(self, personas, spaces):
        with scopes_disabled():
            caw = Membership.objects.get(user=personas.pim).organisation
            Membership.objects.filter(user=personas.pim).update(role=Role.DPO)
        case = make_case(personas)
        with scope(cell=personas.mechelen.pk):
            participant_add(
                case=case,
                reason="Opvolging",
                user=personas.alice,
                organisation=caw,
                is_case_manager=True,
            )
        assert CASE_MANAGERS not in slugs(spaces_for_user(personas.pim))

    def test_the_case_manager_of_a_closed_case_leaves_the_intervision_space(self, personas, spaces):
        participant = make_case_manager(personas, personas.pim)
        with scope(cell=personas.mechelen.pk):
            case_close(case=participant.case, reason="ended", outcome="", user=personas.alice)
        assert CASE_MANAGERS not in slugs(spaces_for_user(personas.pim))

    def test_a_time_boxed_case_manager_leaves_once_the_action_is_done(self, personas, spaces):
        with scopes_disabled():
            caw = Membership.objects.get(user=personas.pim).organisation
        case = make_case(personas)
        with scope(cell=personas.mechelen.pk):
            action = action_add(
                case=case,
                owner=caw,
                description="Gesprek",
                due_date=datetime.date.today(),
                user=personas.alice,
            )
            participant_add(
                case=case,
                reason="Tijdelijk",
                user=personas.alice,
                person=personas.pim,
                is_case_manager=True,
                until_action=action,
            )
        assert CASE_MANAGERS in slugs(spaces_for_user(personas.pim))
        # The action is done (e.g. rows written before access ended with it): no access.
        with scopes_disabled():
            Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
        assert CASE_MANAGERS not in slugs(spaces_for_user(personas.pim))

    def test_a_case_manager_whose_membership_ended_loses_every_space(self, personas, spaces):
        make_case_manager(personas, personas.pim)
        with scopes_disabled():
            Membership.objects.filter(user=personas.pim).update(ended_at=timezone.now())
        assert spaces_for_user(personas.pim) == []

    def test_a_deputy_coordinator_sees_the_coordinator_spaces(self, personas, spaces):
        with scopes_disabled():
            Membership.objects.filter(user=personas.bob).update(role="deputy_coordinator")
        assert slugs(spaces_for_user(personas.bob)) == {COORDINATORS, CASE_MANAGERS, ANTWERPEN}

    def test_a_members_space_admits_every_member_and_nobody_else(self, personas, spaces):
        members = Space.objects.create(slug="iedereen", name="Iedereen", kind=SpaceKind.MEMBERS)
        assert space_allows(members, personas.mona)
        assert space_allows(members, personas.walter)
        assert space_allows(members, personas.vera)
        assert not space_allows(members, personas.olaf)

    def test_an_archived_space_is_gone_for_everyone(self, personas, spaces):
        Space.objects.filter(slug=ANTWERPEN).update(archived=True)
        assert ANTWERPEN not in slugs(spaces_for_user(personas.alice))
        assert ANTWERPEN not in slugs(spaces_for_user(personas.vera))

    def test_it_reads_the_standing_in_at_most_two_queries(
        self, personas, spaces, django_assert_max_num_queries
    ):
        make_case_manager(personas, personas.pim)
        with django_assert_max_num_queries(2):
            access = forum_access(personas.pim)
        assert access.is_case_manager
        with django_assert_max_num_queries(0):
            forum_access(personas.vera)


def urls_for(thread: Thread, post: Post) -> dict[str, tuple[str, str]]:
    space_id, thread_id, post_id = thread.space_id, thread.pk, post.pk
    return {
        "space": ("get", f"/forum/{space_id}/"),
        "thread_start": ("get", f"/forum/{space_id}/threads/new/"),
        "thread_start_post": ("post", f"/forum/{space_id}/threads/new/"),
        "space_subscribe": ("post", f"/forum/{space_id}/subscribe/"),
        "space_unsubscribe": ("post", f"/forum/{space_id}/unsubscribe/"),
        "thread": ("get", f"/forum/threads/{thread_id}/"),
        "reply": ("post", f"/forum/threads/{thread_id}/reply/"),
        "thread_subscribe": ("post", f"/forum/threads/{thread_id}/subscribe/"),
        "thread_unsubscribe": ("post", f"/forum/threads/{thread_id}/unsubscribe/"),
        "thread_lock": ("post", f"/forum/threads/{thread_id}/lock/"),
        "thread_unlock": ("post", f"/forum/threads/{thread_id}/unlock/"),
        "thread_title_edit": ("post", f"/forum/threads/{thread_id}/title/"),
        "thread_title_edit_form": ("get", f"/forum/threads/{thread_id}/title/"),
        "post_hide": ("post", f"/forum/posts/{post_id}/hide/"),
        "post_show": ("post", f"/forum/posts/{post_id}/show/"),
        "post_edit": ("post", f"/forum/posts/{post_id}/edit/"),
    }


OWNER_OF = {
    COORDINATORS: "alice",
    CASE_MANAGERS: "walter",
    ANTWERPEN: "mona",
    WEST_VLAANDEREN: "walter",
    LIMBURG: "vera",
}
DENIED = [
    (name, slug) for name in sorted(EXPECTED) for slug in OWNER_OF if slug not in EXPECTED[name]
]
ALLOWED = [(name, slug) for name in sorted(EXPECTED) for slug in OWNER_OF if slug in EXPECTED[name]]


class TestUrls:
    @pytest.mark.parametrize(("name", "slug"), DENIED)
    def test_it_answers_404_on_every_url_of_a_space_one_may_not_enter(
        self, personas, spaces, client, slug, name
    ):
        thread = start(spaces[slug], getattr(personas, OWNER_OF[slug]), title="Geheime titel")
        post = thread.posts.get()
        sign_in(client, getattr(personas, name))
        for action, (method, url) in urls_for(thread, post).items():
            response = getattr(client, method)(url, {"body": "x", "title": "x", "reason": "x"})
            assert response.status_code == 404, (action, response.status_code)
            assert b"Geheime titel" not in response.content
        assert Post.objects.count() == 1 and Thread.objects.count() == 1
        assert not Post.objects.filter(hidden_at__isnull=False).exists()

    @pytest.mark.parametrize(("name", "slug"), ALLOWED)
    def test_it_opens_the_space_and_thread_to_those_allowed(
        self, personas, spaces, client, slug, name
    ):
        thread = start(spaces[slug], getattr(personas, OWNER_OF[slug]), title="Open titel")
        sign_in(client, getattr(personas, name))
        assert spaces[slug].name in client.get("/forum/").content.decode()
        assert "Open titel" in client.get(f"/forum/{thread.space_id}/").content.decode()
        assert "Open titel" in client.get(f"/forum/threads/{thread.pk}/").content.decode()
        response = client.post(f"/forum/threads/{thread.pk}/reply/", {"body": "Mijn antwoord"})
        assert response.status_code == 302
        assert thread.posts.count() == 2

    def test_the_index_lists_only_my_spaces(self, personas, spaces, client):
        sign_in(client, personas.walter)
        page = client.get("/forum/").content.decode()
        assert "Provincie West-Vlaanderen" in page and "Coördinatoren" in page
        assert "Provincie Antwerpen" not in page and "Provincie Limburg" not in page

    def test_an_outsider_sees_an_empty_forum(self, personas, spaces, client):
        sign_in(client, personas.olaf)
        response = client.get("/forum/")
        assert response.status_code == 200
        for space in spaces.values():
            assert space.name not in response.content.decode()

    def test_the_case_manager_space_opens_once_pim_manages_a_case(self, personas, spaces, client):
        thread = start(spaces[CASE_MANAGERS], personas.alice)
        sign_in(client, personas.pim)
        assert client.get(f"/forum/threads/{thread.pk}/").status_code == 404
        make_case_manager(personas, personas.pim)
        assert client.get(f"/forum/threads/{thread.pk}/").status_code == 200
        assert client.get(f"/forum/{spaces[CASE_MANAGERS].pk}/").status_code == 200

    def test_it_answers_404_for_unknown_ids(self, personas, spaces, client):
        import uuid

        sign_in(client, personas.vera)
        for url in (
            f"/forum/{uuid.uuid4()}/",
            f"/forum/threads/{uuid.uuid4()}/",
            f"/forum/posts/{uuid.uuid4()}/hide/",
        ):
            assert client.get(url).status_code == 404, url

    def test_it_sends_anonymous_visitors_to_login(self, personas, spaces, client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        post = thread.posts.get()
        for url in ("/forum/", "/forum/following/", f"/forum/{thread.space_id}/"):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/login/")
        for action, (method, url) in urls_for(thread, post).items():
            response = getattr(client, method)(url, {"body": "x", "title": "x", "reason": "x"})
            assert response.status_code == 302, action
            assert response["Location"].startswith("/login/"), action
        assert Post.objects.count() == 1 and Thread.objects.count() == 1
        assert not Post.objects.filter(hidden_at__isnull=False).exists()
