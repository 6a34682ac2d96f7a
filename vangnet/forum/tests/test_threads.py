"""Starting threads, replying, the personal-data check, bad input, subscriptions, query counts."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Membership
from vangnet.forum.models import Post, Space, SpaceKind, Subscription, Thread
from vangnet.forum.services import (
    post_edit,
    post_hide,
    post_reply,
    subscription_set,
    thread_lock,
)
from vangnet.forum.tests.conftest import ANTWERPEN, COORDINATORS, reply, start

pytestmark = pytest.mark.django_db

PERSONAL = "Jan Peeters, geboren op 12/03/2007, is gekend. Bel 0470 12 34 56."


class TestStartingAThread:
    def test_it_starts_a_thread_with_its_first_post_and_follows_it(
        self, personas, spaces, english_client
    ):
        client = english_client(personas.mona)
        space = spaces[ANTWERPEN]
        assert client.get(f"/forum/{space.pk}/threads/new/").status_code == 200
        response = client.post(
            f"/forum/{space.pk}/threads/new/",
            {"title": "Samenwerking met scholen", "body": "Wie heeft ervaring met CLB?"},
        )
        thread = Thread.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/forum/threads/{thread.pk}/"
        assert thread.space == space and thread.author == personas.mona
        assert thread.title == "Samenwerking met scholen"
        assert thread.posts.get().body == "Wie heeft ervaring met CLB?"
        assert Subscription.objects.filter(user=personas.mona, thread=thread).exists()
        page = client.get(response["Location"]).content.decode()
        assert "Samenwerking met scholen" in page and "Wie heeft ervaring met CLB?" in page

    def test_it_asks_to_anonymise_personal_data_and_stores_nothing(
        self, personas, spaces, english_client
    ):
        client = english_client(personas.alice)
        url = f"/forum/{spaces[COORDINATORS].pk}/threads/new/"
        response = client.post(url, {"title": "Een casus", "body": PERSONAL})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Possible personal data" in page
        assert "0470 12 34 56" in page  # shown back to the author only
        assert 'type="checkbox" name="personal_data_confirmed"' in page
        assert not Thread.objects.exists() and not Post.objects.exists()

    def test_it_checks_the_title_too(self, personas, spaces, english_client):
        client = english_client(personas.alice)
        url = f"/forum/{spaces[COORDINATORS].pk}/threads/new/"
        response = client.post(url, {"title": "Vraag van jan@example.org", "body": "Graag hulp"})
        assert response.status_code == 200
        assert not Thread.objects.exists()

    def test_it_stores_the_text_once_the_author_confirms_it_is_anonymous(
        self, personas, spaces, english_client
    ):
        client = english_client(personas.alice)
        url = f"/forum/{spaces[COORDINATORS].pk}/threads/new/"
        body = "Het onthaal van de gemeente is bereikbaar op 015 29 76 00."
        response = client.post(
            url, {"title": "Onthaal", "body": body, "personal_data_confirmed": "on"}
        )
        assert response.status_code == 302
        assert Post.objects.get().personal_data_confirmed is True

    @pytest.mark.parametrize(
        "data",
        [
            {"title": "", "body": "Tekst"},
            {"title": "Titel", "body": ""},
            {"title": "   ", "body": "   "},
            {"title": "x" * 201, "body": "Tekst"},
            {"title": "Titel", "body": "x" * 10_001},
        ],
    )
    def test_it_refuses_empty_or_oversized_input_and_changes_nothing(
        self, personas, spaces, english_client, data
    ):
        client = english_client(personas.alice)
        response = client.post(f"/forum/{spaces[COORDINATORS].pk}/threads/new/", data)
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert not Thread.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="forum.").exists()

    def test_an_empty_post_shows_the_errors_and_changes_nothing(
        self, personas, spaces, english_client
    ):
        client = english_client(personas.alice)
        response = client.post(f"/forum/{spaces[COORDINATORS].pk}/threads/new/", {})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert not Thread.objects.exists()

    def test_it_accepts_the_maximum_lengths(self, personas, spaces, english_client):
        client = english_client(personas.alice)
        response = client.post(
            f"/forum/{spaces[COORDINATORS].pk}/threads/new/",
            {"title": "t" * 200, "body": "b" * 10_000},
        )
        assert response.status_code == 302

    def test_it_keeps_title_and_text_encrypted_at_rest(self, personas, spaces):
        start(spaces[ANTWERPEN], personas.alice, title="Radicale titel", body="Radicale tekst")
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM forum_thread")
            threads = repr(cursor.fetchall())
            cursor.execute("SELECT * FROM forum_post")
            posts = repr(cursor.fetchall())
        assert "Radicale" not in threads and "Radicale" not in posts

    def test_it_audits_without_content(self, personas, spaces):
        thread = start(spaces[ANTWERPEN], personas.alice, title="Titel X", body="Tekst Y")
        reply(thread, personas.mona, body="Antwoord Z")
        events = AuditEvent.objects.filter(action__startswith="forum.")
        assert {e.action for e in events} == {"forum.thread.started", "forum.post.created"}
        dump = repr([(e.data, e.object_id) for e in events])
        assert "Titel X" not in dump and "Tekst Y" not in dump and "Antwoord Z" not in dump


class TestReplying:
    def test_a_member_replies_and_the_thread_moves_up(self, personas, spaces, english_client):
        older = start(spaces[ANTWERPEN], personas.alice, title="Oudere draad")
        newer = start(spaces[ANTWERPEN], personas.alice, title="Nieuwere draad")
        client = english_client(personas.pim)
        response = client.post(f"/forum/threads/{older.pk}/reply/", {"body": "Bij ons ook"})
        post = Post.objects.get(body__isnull=False, author=personas.pim)
        assert response["Location"] == f"/forum/threads/{older.pk}/?page=last#post-{post.pk}"
        older.refresh_from_db()
        assert older.last_post_at == post.created_at
        assert Subscription.objects.filter(user=personas.pim, thread=older).exists()
        page = client.get(f"/forum/{spaces[ANTWERPEN].pk}/").content.decode()
        assert "Oudere draad" in page and "Nieuwere draad" in page  # both still listed
        assert page.index("Oudere draad") < page.index("Nieuwere draad")
        assert f"/forum/threads/{newer.pk}/" in page
        assert "Bij ons ook" in client.get(response["Location"]).content.decode()

    def test_it_asks_to_anonymise_a_reply(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        client = english_client(personas.pim)
        response = client.post(f"/forum/threads/{thread.pk}/reply/", {"body": PERSONAL})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Possible personal data" in page and "Jan Peeters" in page
        assert 'type="checkbox" name="personal_data_confirmed"' in page
        assert thread.posts.count() == 1
        response = client.post(
            f"/forum/threads/{thread.pk}/reply/",
            {"body": PERSONAL, "personal_data_confirmed": "on"},
        )
        assert response.status_code == 302
        assert thread.posts.filter(personal_data_confirmed=True).count() == 1

    @pytest.mark.parametrize("body", ["", "   ", "x" * 10_001])
    def test_it_refuses_an_empty_or_oversized_reply(self, personas, spaces, english_client, body):
        thread = start(spaces[ANTWERPEN], personas.alice)
        client = english_client(personas.pim)
        response = client.post(f"/forum/threads/{thread.pk}/reply/", {"body": body})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert thread.posts.count() == 1

    def test_an_empty_post_shows_the_errors(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        response = english_client(personas.pim).post(f"/forum/threads/{thread.pk}/reply/", {})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert thread.posts.count() == 1

    def test_a_locked_thread_refuses_replies(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        thread_lock(thread=thread, moderator=personas.vera, reason="Afgerond")
        client = english_client(personas.pim)
        page = client.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "Closed for replies by a moderator: Afgerond" in page
        assert f"/forum/threads/{thread.pk}/reply/" not in page
        response = client.post(f"/forum/threads/{thread.pk}/reply/", {"body": "Toch nog iets"})
        assert response.status_code == 302
        assert thread.posts.count() == 1
        with pytest.raises(ValidationError):
            post_reply(thread=thread, author=personas.pim, body="Via de service")
        assert thread.posts.count() == 1

    def test_a_long_thread_is_paged_and_a_reply_lands_on_the_last_page(
        self, personas, spaces, english_client
    ):
        thread = start(spaces[ANTWERPEN], personas.alice, body="Bericht 0")
        for i in range(1, 55):
            reply(thread, personas.mona, body=f"Bericht {i}")
        client = english_client(personas.pim)
        first = client.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "Bericht 49<" in first and "Bericht 50<" not in first
        response = client.post(f"/forum/threads/{thread.pk}/reply/", {"body": "Het laatste"})
        last = client.get(response["Location"]).content.decode()
        assert "Het laatste" in last and "Bericht 50<" in last and "Bericht 49<" not in last

    def test_a_refused_reply_shows_the_last_page_of_a_long_thread(
        self, personas, spaces, english_client
    ):
        thread = start(spaces[ANTWERPEN], personas.alice, body="Bericht 0")
        for i in range(1, 55):
            reply(thread, personas.mona, body=f"Bericht {i}")
        response = english_client(personas.pim).post(
            f"/forum/threads/{thread.pk}/reply/", {"body": ""}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Please correct the following" in page
        assert "Bericht 54<" in page and "Bericht 49<" not in page and "Page 2 of 2" in page

    def test_it_shows_html_escaped(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice, title="<b>vet</b>")
        reply(thread, personas.pim, body="<script>alert(1)</script>")
        client = english_client(personas.pim)
        page = client.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert "<b>vet</b>" not in page

    def test_its_pages_have_no_inline_script_or_style(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        client = english_client(personas.vera)
        for path in (
            "/forum/",
            f"/forum/{thread.space_id}/",
            f"/forum/{thread.space_id}/threads/new/",
            f"/forum/threads/{thread.pk}/",
            f"/forum/posts/{thread.posts.get().pk}/edit/",
            f"/forum/threads/{thread.pk}/lock/",
            f"/forum/threads/{thread.pk}/title/",
            "/forum/following/",
        ):
            body = client.get(path).content.decode()
            assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body), path
            assert not re.search(r"\son[a-z]+\s*=", body), path
            assert not re.search(r"<[a-z]+[^>]*\sstyle=", body), path


class TestSubscriptions:
    def test_a_member_follows_and_stops_following_a_space(self, personas, spaces, english_client):
        space = spaces[ANTWERPEN]
        client = english_client(personas.mona)
        assert client.post(f"/forum/{space.pk}/subscribe/").status_code == 302
        assert client.post(f"/forum/{space.pk}/subscribe/").status_code == 302  # idempotent
        assert Subscription.objects.filter(user=personas.mona, space=space).count() == 1
        assert "Stop following this space" in client.get(f"/forum/{space.pk}/").content.decode()
        assert client.post(f"/forum/{space.pk}/unsubscribe/").status_code == 302
        assert not Subscription.objects.filter(user=personas.mona).exists()

    def test_a_member_follows_and_stops_following_a_thread(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice)
        client = english_client(personas.mona)
        client.post(f"/forum/threads/{thread.pk}/subscribe/")
        assert Subscription.objects.filter(user=personas.mona, thread=thread).exists()
        client.post(f"/forum/threads/{thread.pk}/unsubscribe/")
        assert not Subscription.objects.filter(user=personas.mona, thread=thread).exists()

    def test_subscribing_takes_post_only(self, personas, spaces, english_client):
        client = english_client(personas.mona)
        assert client.get(f"/forum/{spaces[ANTWERPEN].pk}/subscribe/").status_code == 405


class TestFollowing:
    def test_it_lists_what_i_follow_and_lets_me_stop(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice, title="Samenwerking met scholen")
        subscription_set(user=personas.mona, thread=thread, on=True)
        subscription_set(user=personas.mona, space=spaces[ANTWERPEN], on=True)
        subscription_set(user=personas.alice, space=spaces[COORDINATORS], on=True)  # not hers
        client = english_client(personas.mona)
        assert 'href="/forum/following/"' in client.get("/forum/").content.decode()
        page = client.get("/forum/following/").content.decode()
        assert "Samenwerking met scholen" in page and "Provincie Antwerpen" in page
        assert "Coördinatoren" not in page
        response = client.post(f"/forum/threads/{thread.pk}/unsubscribe/", {"from": "following"})
        assert response["Location"] == "/forum/following/"
        response = client.post(f"/forum/{spaces[ANTWERPEN].pk}/unsubscribe/", {"from": "x"})
        assert response["Location"] == f"/forum/{spaces[ANTWERPEN].pk}/"
        assert not Subscription.objects.filter(user=personas.mona).exists()
        page = client.get("/forum/following/").content.decode()
        assert "You do not follow any space." in page
        assert "You do not follow any thread." in page

    def test_it_leaves_out_spaces_i_can_no_longer_enter(self, personas, spaces, english_client):
        thread = start(spaces[ANTWERPEN], personas.alice, title="Oude draad")
        subscription_set(user=personas.alice, thread=thread, on=True)
        subscription_set(user=personas.alice, space=spaces[COORDINATORS], on=True)
        with scopes_disabled():
            Membership.objects.filter(user=personas.alice).update(role="member")
        page = english_client(personas.alice).get("/forum/following/").content.decode()
        assert "Oude draad" in page and "Coördinatoren" not in page

    def test_it_does_not_grow_with_subscriptions(
        self, personas, spaces, english_client, django_assert_max_num_queries
    ):
        client = english_client(personas.mona)
        subscription_set(user=personas.mona, space=spaces[ANTWERPEN], on=True)
        few = queries(client, "/forum/following/")
        for i in range(15):
            subscription_set(
                user=personas.mona, thread=start(spaces[ANTWERPEN], personas.alice), on=True
            )
        assert queries(client, "/forum/following/") == few
        with django_assert_max_num_queries(12):
            client.get("/forum/following/")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


class TestQueryCounts:
    def test_the_space_page_does_not_grow_with_threads(
        self, personas, spaces, english_client, django_assert_max_num_queries
    ):
        space = spaces[ANTWERPEN]
        client = english_client(personas.pim)
        reply(start(space, personas.alice, title="Eerste draad"), personas.pim)
        few = queries(client, f"/forum/{space.pk}/")
        for i in range(25):
            reply(start(space, personas.alice, title=f"Draad {i}"), personas.pim)
        assert queries(client, f"/forum/{space.pk}/") == few
        with django_assert_max_num_queries(15):
            response = client.get(f"/forum/{space.pk}/")
        page = response.content.decode()
        assert page.count('href="/forum/threads/') == 20
        assert "Page 1 of 2" in page
        second = client.get(f"/forum/{space.pk}/?page=2").content.decode()
        assert second.count('href="/forum/threads/') == 6
        assert client.get(f"/forum/{space.pk}/?page=nonsense").status_code == 200

    @pytest.mark.parametrize("reader", ["pim", "vera"])
    def test_the_thread_page_does_not_grow_with_posts(
        self, personas, spaces, english_client, django_assert_max_num_queries, reader
    ):
        thread = start(spaces[ANTWERPEN], personas.alice)
        client = english_client(getattr(personas, reader))
        reply(thread, personas.pim)
        few = queries(client, f"/forum/threads/{thread.pk}/")
        for i in range(30):
            reply(thread, [personas.pim, personas.mona, personas.bob][i % 3], body=f"Bericht {i}")
        posts = list(thread.posts.all())
        post_hide(post=posts[3], moderator=personas.vera, reason="Herkenbaar")
        post_edit(post=posts[4], moderator=personas.vera, body="Ingekort", reason="Te lang")
        assert queries(client, f"/forum/threads/{thread.pk}/") == few
        with django_assert_max_num_queries(20):
            client.get(f"/forum/threads/{thread.pk}/")

    @pytest.mark.parametrize("reader", ["vera", "mona"])
    def test_the_index_does_not_grow_with_spaces_or_threads(
        self, personas, spaces, english_client, reader
    ):
        client = english_client(getattr(personas, reader))
        start(spaces[ANTWERPEN], personas.vera)
        few = queries(client, "/forum/")
        for i in range(5):
            Space.objects.create(
                slug=f"extra-{i}", name=f"Extra ruimte {i}", kind=SpaceKind.MEMBERS
            )
        for space in Space.objects.all():
            start(space, personas.vera)
            start(space, personas.vera)
        page = client.get("/forum/").content.decode()
        assert "Extra ruimte 4" in page  # the new spaces are listed, in the same queries
        assert queries(client, "/forum/") == few
