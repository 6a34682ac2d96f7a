"""Moderation by VVSG staff: hide, show, edit and close, always with a reason that is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vangnet.audit.models import AuditEvent
from vangnet.forum.models import Moderation, ModerationAction, Post, Thread
from vangnet.forum.services import (
    post_edit,
    post_hide,
    post_show,
    thread_lock,
    thread_title_edit,
)
from vangnet.forum.tests.conftest import ANTWERPEN, reply, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas, spaces):
    thread = start(spaces[ANTWERPEN], personas.alice, title="Werking", body="Eerste bericht")
    reply(thread, personas.pim, body="Ruben uit de Kerkstraat doet raar")
    return thread


@pytest.fixture
def post(thread):
    return thread.posts.get(body__isnull=False, author__email="pim@example.org")


class TestHiding:
    def test_a_moderator_hides_a_post_with_a_reason_shown_to_members(
        self, personas, thread, post, english_client
    ):
        vera = english_client(personas.vera)
        assert (
            "Ruben uit de Kerkstraat" in vera.get(f"/forum/posts/{post.pk}/hide/").content.decode()
        )
        response = vera.post(f"/forum/posts/{post.pk}/hide/", {"reason": "Herkenbare persoon"})
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.is_hidden
        moderation = Moderation.objects.get()
        assert (moderation.action, moderation.reason, moderation.moderator) == (
            ModerationAction.HIDE,
            "Herkenbare persoon",
            personas.vera,
        )
        for member, query in ((personas.pim, ""), (personas.mona, "?page=last")):
            url = f"/forum/threads/{thread.pk}/{query}"
            page = english_client(member).get(url).content.decode()
            assert "Hidden by a moderator: Herkenbare persoon" in page
            assert "Ruben uit de Kerkstraat" not in page
        page = vera.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "Hidden by a moderator: Herkenbare persoon" in page
        assert "Hidden from members; only moderators see the text" in page
        assert "Ruben uit de Kerkstraat" in page

    def test_a_moderator_shows_a_hidden_post_again_with_a_reason(
        self, personas, thread, post, english_client
    ):
        post_hide(post=post, moderator=personas.vera, reason="Herkenbaar")
        vera = english_client(personas.vera)
        response = vera.post(f"/forum/posts/{post.pk}/show/", {"reason": "Na overleg in orde"})
        assert response.status_code == 302
        post.refresh_from_db()
        assert not post.is_hidden
        assert [m.action for m in Moderation.objects.order_by("created_at")] == ["hide", "show"]
        page = english_client(personas.mona).get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "Ruben uit de Kerkstraat" in page and "Hidden by a moderator" not in page

    @pytest.mark.parametrize("action", ["hide", "show", "edit"])
    @pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
    def test_it_needs_a_reason_and_changes_nothing_without(
        self, personas, thread, post, english_client, action, reason
    ):
        if action == "show":
            post_hide(post=post, moderator=personas.vera, reason="Eerst verborgen")
        before = Moderation.objects.count()
        response = english_client(personas.vera).post(
            f"/forum/posts/{post.pk}/{action}/", {"reason": reason, "body": "Nieuwe tekst"}
        )
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        fresh = Post.objects.get(pk=post.pk)
        assert fresh.body == "Ruben uit de Kerkstraat doet raar"
        assert fresh.is_hidden is (action == "show")
        assert Moderation.objects.count() == before

    def test_the_services_refuse_a_missing_reason(self, personas, post):
        for service in (post_hide, post_show):
            with pytest.raises(ValidationError):
                service(post=post, moderator=personas.vera, reason=" ")
        with pytest.raises(ValidationError):
            post_edit(post=post, moderator=personas.vera, body="Nieuw", reason="")

    @pytest.mark.parametrize("action", ["hide", "show", "edit"])
    def test_an_empty_post_shows_the_errors_and_changes_nothing(
        self, personas, thread, post, english_client, action
    ):
        if action == "show":
            post_hide(post=post, moderator=personas.vera, reason="Eerst verborgen")
        before = Moderation.objects.count()
        response = english_client(personas.vera).post(f"/forum/posts/{post.pk}/{action}/", {})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        fresh = Post.objects.get(pk=post.pk)
        assert fresh.body == "Ruben uit de Kerkstraat doet raar"
        assert fresh.is_hidden is (action == "show")
        assert Moderation.objects.count() == before

    def test_an_edit_reason_stays_out_of_sight_while_the_post_is_hidden(
        self, personas, thread, post, english_client
    ):
        post_edit(post=post, moderator=personas.vera, body="Een jongere", reason="Naam weg")
        post_hide(post=post, moderator=personas.vera, reason="Toch herkenbaar")
        member = english_client(personas.mona).get(f"/forum/threads/{thread.pk}/").content
        assert "Hidden by a moderator: Toch herkenbaar" in member.decode()
        assert "Naam weg" not in member.decode()
        staff = english_client(personas.vera).get(f"/forum/threads/{thread.pk}/").content
        assert "Edited by a moderator: Naam weg" in staff.decode()

    def test_hiding_twice_is_refused_with_a_message(self, personas, post, english_client):
        post_hide(post=post, moderator=personas.vera, reason="Herkenbaar")
        response = english_client(personas.vera).post(
            f"/forum/posts/{post.pk}/hide/", {"reason": "Nog eens"}
        )
        assert response.status_code == 200
        assert "already hidden" in response.content.decode()
        assert Moderation.objects.count() == 1


class TestEditing:
    def test_a_moderator_edits_a_post_and_the_reason_is_shown(
        self, personas, thread, post, english_client
    ):
        vera = english_client(personas.vera)
        form = vera.get(f"/forum/posts/{post.pk}/edit/").content.decode()
        assert "Ruben uit de Kerkstraat doet raar" in form  # the current text, to edit
        response = vera.post(
            f"/forum/posts/{post.pk}/edit/",
            {"body": "Een jongere doet raar", "reason": "Naam verwijderd"},
        )
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.body == "Een jongere doet raar" and post.edited_at is not None
        page = english_client(personas.pim).get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "Een jongere doet raar" in page
        assert "Edited by a moderator: Naam verwijderd" in page
        assert "Kerkstraat" not in page

    def test_an_edit_passes_the_personal_data_check(self, personas, post, english_client):
        response = english_client(personas.vera).post(
            f"/forum/posts/{post.pk}/edit/",
            {"body": "Bel hem op 0470 12 34 56", "reason": "Verduidelijkt"},
        )
        assert response.status_code == 200
        assert "Possible personal data" in response.content.decode()
        post.refresh_from_db()
        assert post.body == "Ruben uit de Kerkstraat doet raar"

    @pytest.mark.parametrize("body", ["", "x" * 10_001])
    def test_an_edit_refuses_an_empty_or_oversized_text(self, personas, post, english_client, body):
        response = english_client(personas.vera).post(
            f"/forum/posts/{post.pk}/edit/", {"body": body, "reason": "Reden"}
        )
        assert response.status_code == 200
        post.refresh_from_db()
        assert post.body == "Ruben uit de Kerkstraat doet raar"


class TestLocking:
    def test_a_moderator_closes_and_opens_a_thread_with_a_reason(
        self, personas, thread, english_client
    ):
        vera = english_client(personas.vera)
        assert vera.post(f"/forum/threads/{thread.pk}/lock/", {"reason": ""}).status_code == 200
        thread.refresh_from_db()
        assert not thread.locked
        response = vera.post(f"/forum/threads/{thread.pk}/lock/", {"reason": "Afgerond"})
        assert response.status_code == 302
        thread.refresh_from_db()
        assert thread.locked and thread.locked_reason == "Afgerond"
        response = vera.post(f"/forum/threads/{thread.pk}/unlock/", {"reason": "Nieuwe vraag"})
        assert response.status_code == 302
        thread.refresh_from_db()
        assert not thread.locked and thread.locked_reason == ""

    @pytest.mark.parametrize("action", ["lock", "unlock"])
    def test_an_empty_post_shows_the_errors_and_changes_nothing(
        self, personas, thread, english_client, action
    ):
        if action == "unlock":
            thread_lock(thread=thread, moderator=personas.vera, reason="Afgerond")
        response = english_client(personas.vera).post(f"/forum/threads/{thread.pk}/{action}/", {})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        thread.refresh_from_db()
        assert thread.locked is (action == "unlock")


class TestTitleEditing:
    def test_a_moderator_changes_the_title_with_a_reason_shown_on_the_thread(
        self, personas, thread, english_client
    ):
        vera = english_client(personas.vera)
        page = vera.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert f'href="/forum/threads/{thread.pk}/title/"' in page
        form = vera.get(f"/forum/threads/{thread.pk}/title/").content.decode()
        assert 'value="Werking"' in form
        response = vera.post(
            f"/forum/threads/{thread.pk}/title/",
            {"title": "Werking van de cel", "reason": "Duidelijker"},
        )
        assert response.status_code == 302
        assert response["Location"] == f"/forum/threads/{thread.pk}/"
        thread.refresh_from_db()
        assert thread.title == "Werking van de cel"
        moderation = Moderation.objects.get()
        assert (moderation.thread, moderation.post, moderation.action, moderation.reason) == (
            thread,
            None,
            ModerationAction.TITLE,
            "Duidelijker",
        )
        mona = english_client(personas.mona)
        page = mona.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert "<title>Werking van de cel" in page and "<h1>Werking van de cel</h1>" in page
        assert "Title edited by a moderator: Duidelijker" in page
        assert "Werking van de cel" in mona.get(f"/forum/{thread.space_id}/").content.decode()

    def test_the_new_title_passes_the_personal_data_check(self, personas, thread, english_client):
        vera = english_client(personas.vera)
        data = {"title": "Vraag van jan@example.org", "reason": "Verduidelijkt"}
        response = vera.post(f"/forum/threads/{thread.pk}/title/", data)
        assert response.status_code == 200
        assert "Possible personal data" in response.content.decode()
        thread.refresh_from_db()
        assert thread.title == "Werking" and not Moderation.objects.exists()
        data["personal_data_confirmed"] = "on"
        assert vera.post(f"/forum/threads/{thread.pk}/title/", data).status_code == 302
        thread.refresh_from_db()
        assert thread.title == "Vraag van jan@example.org"

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"title": "Nieuwe titel", "reason": ""},
            {"title": "Nieuwe titel", "reason": "x" * 301},
            {"title": "", "reason": "Reden"},
            {"title": "   ", "reason": "Reden"},
            {"title": "x" * 201, "reason": "Reden"},
            {"title": "Werking", "reason": "Reden"},  # unchanged
        ],
    )
    def test_it_refuses_bad_input_and_changes_nothing(self, personas, thread, english_client, data):
        response = english_client(personas.vera).post(f"/forum/threads/{thread.pk}/title/", data)
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert Thread.objects.get(pk=thread.pk).title == "Werking"
        assert not Moderation.objects.exists()
        assert not AuditEvent.objects.filter(action="forum.thread.title_edited").exists()

    def test_the_service_refuses_a_non_moderator_and_a_missing_reason(self, personas, thread):
        with pytest.raises(PermissionDenied):
            thread_title_edit(thread=thread, moderator=personas.alice, title="X", reason="Y")
        with pytest.raises(ValidationError):
            thread_title_edit(thread=thread, moderator=personas.vera, title="X", reason=" ")
        assert Thread.objects.get(pk=thread.pk).title == "Werking"

    def test_a_moderation_names_exactly_one_of_post_and_thread(self, personas, thread, post):
        from django.db import IntegrityError, transaction

        for target in ({}, {"post": post, "thread": thread}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Moderation.objects.create(action=ModerationAction.TITLE, reason="x", **target)


class TestOnlyModeratorsModerate:
    @pytest.mark.parametrize("name", ["alice", "pim", "mona"])
    def test_members_of_the_space_get_403_and_nothing_changes(
        self, personas, thread, post, client, name, english_client
    ):
        member = english_client(getattr(personas, name))
        page = member.get(f"/forum/threads/{thread.pk}/").content.decode()
        assert f"/forum/posts/{post.pk}/hide/" not in page
        assert f"/forum/threads/{thread.pk}/lock/" not in page
        assert f"/forum/threads/{thread.pk}/title/" not in page
        for url in (
            f"/forum/posts/{post.pk}/hide/",
            f"/forum/posts/{post.pk}/show/",
            f"/forum/posts/{post.pk}/edit/",
            f"/forum/threads/{thread.pk}/lock/",
            f"/forum/threads/{thread.pk}/unlock/",
            f"/forum/threads/{thread.pk}/title/",
        ):
            assert member.get(url).status_code == 403, url
            response = member.post(
                url, {"reason": "Ik wil dit", "body": "Overschreven", "title": "Overschreven"}
            )
            assert response.status_code == 403, url
        post.refresh_from_db()
        thread.refresh_from_db()
        assert not post.is_hidden and post.body == "Ruben uit de Kerkstraat doet raar"
        assert not thread.locked and thread.title == "Werking"
        assert not Moderation.objects.exists()

    def test_members_cannot_show_a_hidden_post_or_open_a_closed_thread(
        self, personas, thread, post, english_client
    ):
        post_hide(post=post, moderator=personas.vera, reason="Herkenbaar")
        thread_lock(thread=thread, moderator=personas.vera, reason="Afgerond")
        member = english_client(personas.alice)
        for url in (f"/forum/posts/{post.pk}/show/", f"/forum/threads/{thread.pk}/unlock/"):
            assert member.post(url, {"reason": "Ik wil dit"}).status_code == 403, url
        post.refresh_from_db()
        thread.refresh_from_db()
        assert post.is_hidden and thread.locked

    def test_outsiders_of_the_space_get_404(self, personas, post, english_client):
        walter = english_client(personas.walter)
        assert walter.post(f"/forum/posts/{post.pk}/hide/", {"reason": "x"}).status_code == 404

    def test_the_services_refuse_a_non_moderator(self, personas, thread, post):
        with pytest.raises(PermissionDenied):
            post_hide(post=post, moderator=personas.alice, reason="Ik wil dit")
        with pytest.raises(PermissionDenied):
            thread_lock(thread=thread, moderator=personas.alice, reason="Ik wil dit")
        post.refresh_from_db()
        assert not post.is_hidden


def test_moderation_is_audited_without_content(personas, thread, post):
    post_hide(post=post, moderator=personas.vera, reason="Geheime reden")
    post_show(post=post, moderator=personas.vera, reason="Andere reden")
    post_edit(post=post, moderator=personas.vera, body="Nieuwe tekst", reason="Derde reden")
    thread_lock(thread=thread, moderator=personas.vera, reason="Vierde reden")
    thread_title_edit(
        thread=thread, moderator=personas.vera, title="Nieuwe titel", reason="Vijfde reden"
    )
    events = AuditEvent.objects.filter(
        action__in=[
            "forum.post.hidden",
            "forum.post.shown",
            "forum.post.edited",
            "forum.thread.locked",
            "forum.thread.title_edited",
        ]
    )
    assert events.count() == 5
    dump = repr([e.data for e in events])
    for text in ("reden", "Nieuwe tekst", "Kerkstraat", "Nieuwe titel", "Werking"):
        assert text not in dump


def test_staff_reading_a_thread_is_audited(personas, thread, english_client):
    english_client(personas.vera).get(f"/forum/threads/{thread.pk}/")
    english_client(personas.pim).get(f"/forum/threads/{thread.pk}/")
    events = AuditEvent.objects.filter(action="forum.thread.viewed")
    assert [str(e.actor_id) for e in events] == [str(personas.vera.pk)]
