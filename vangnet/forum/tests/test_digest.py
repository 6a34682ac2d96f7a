"""The e-mail digest: one mail per person, counts and space names only, never twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Membership
from vangnet.forum import services
from vangnet.forum.models import Subscription
from vangnet.forum.services import DIGEST_GRACE, digest_send, post_hide, subscription_set
from vangnet.forum.tests.conftest import ANTWERPEN, COORDINATORS, WEST_VLAANDEREN, reply, start

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)


def at(hours: int) -> time_machine.travel:
    return time_machine.travel(T0 + dt.timedelta(hours=hours), tick=False)


def mails_to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


@pytest.fixture
def activity(personas, spaces):
    """Alice follows the Antwerp space; Mona follows a thread there; then others write."""
    antwerpen = spaces[ANTWERPEN]
    with at(0):
        subscription_set(user=personas.alice, space=antwerpen, on=True)
        followed = start(antwerpen, personas.mona, title="Titel van Mona", body="Tekst van Mona")
    with at(1):
        start(antwerpen, personas.pim, title="Geheime titel", body="Geheime tekst")
        reply(followed, personas.pim, body="Geheim antwoord een")
        reply(followed, personas.bob, body="Geheim antwoord twee")
        reply(followed, personas.mona, body="Eigen antwoord")  # Mona's own: not counted
    return followed


class TestDigest:
    def test_it_mails_counts_and_space_names_only(self, personas, activity, mailoutbox, settings):
        settings.SITE_URL = "https://vangnet.example"
        with at(2):
            sent = digest_send().sent
        alice = mails_to(mailoutbox, personas.alice)
        mona = mails_to(mailoutbox, personas.mona)
        assert len(alice) == 1 and len(mona) == 1
        assert re.search(r"^Provincie Antwerpen: 1 ", alice[0].body, re.MULTILINE)
        assert re.search(r"^Provincie Antwerpen: 2 ", mona[0].body, re.MULTILINE)
        for mail in mailoutbox:
            text = mail.subject + mail.body
            for secret in ("Geheim", "Titel van Mona", "Tekst van Mona", "Eigen antwoord"):
                assert secret not in text
            assert "https://vangnet.example/forum/" in mail.body
        # Pim and Bob follow the thread since their replies, and nothing came after those.
        assert sent == len(mailoutbox) == 2

    def test_it_sends_nothing_the_second_time(self, personas, activity, mailoutbox):
        with at(2):
            first = digest_send().sent
        with at(3):
            assert digest_send().sent == 0
        assert len(mailoutbox) == first
        with at(4):
            reply(activity, personas.pim, body="Nog iets")
        with at(5):
            assert (
                digest_send().sent == 2
            )  # Mona and Bob (who replied earlier); Pim wrote it himself
        assert mails_to(mailoutbox, personas.pim) == []
        assert mails_to(mailoutbox, personas.bob)[-1].body.count("Provincie Antwerpen") == 1

    def test_it_sends_one_mail_per_person_for_several_subscriptions(
        self, personas, spaces, mailoutbox
    ):
        with at(0):
            for slug in (COORDINATORS, ANTWERPEN):
                subscription_set(user=personas.alice, space=spaces[slug], on=True)
            thread = start(spaces[COORDINATORS], personas.walter, title="Vraag")
            subscription_set(user=personas.alice, thread=thread, on=True)
        with at(1):
            start(spaces[COORDINATORS], personas.walter, title="Tweede vraag")
            start(spaces[ANTWERPEN], personas.mona, title="Derde vraag")
            reply(thread, personas.walter)
        with at(2):
            digest_send()
        mails = mails_to(mailoutbox, personas.alice)
        assert len(mails) == 1
        assert "Coördinatoren" in mails[0].body and "Provincie Antwerpen" in mails[0].body

    def test_it_says_nothing_about_a_space_the_user_lost(self, personas, spaces, mailoutbox):
        with at(0):
            subscription_set(user=personas.mona, space=spaces[ANTWERPEN], on=True)
            subscription_set(user=personas.alice, space=spaces[COORDINATORS], on=True)
            subscription_set(user=personas.alice, space=spaces[ANTWERPEN], on=True)
            with scopes_disabled():
                Membership.objects.filter(user=personas.mona).update(ended_at=timezone.now())
                Membership.objects.filter(user=personas.alice).update(role="member")
        with at(1):
            start(spaces[ANTWERPEN], personas.pim)
            start(spaces[COORDINATORS], personas.walter)
        with at(2):
            digest_send()
        assert mails_to(mailoutbox, personas.mona) == []
        alice = mails_to(mailoutbox, personas.alice)
        assert len(alice) == 1
        assert "Provincie Antwerpen" in alice[0].body and "Coördinatoren" not in alice[0].body

    def test_it_does_not_count_hidden_posts(self, personas, spaces, mailoutbox):
        with at(0):
            subscription_set(user=personas.walter, space=spaces[WEST_VLAANDEREN], on=True)
            thread = start(spaces[ANTWERPEN], personas.mona)
        with at(1):
            reply(thread, personas.pim, body="Herkenbaar verhaal")
            hidden_thread = start(spaces[WEST_VLAANDEREN], personas.vera, title="Verborgen")
            post_hide(post=thread.posts.latest("created_at"), moderator=personas.vera, reason="x")
            post_hide(post=hidden_thread.posts.get(), moderator=personas.vera, reason="x")
        with at(2):
            assert digest_send().sent == 0
        assert mailoutbox == []

    def test_users_without_news_get_no_mail(self, personas, spaces, mailoutbox):
        with at(0):
            subscription_set(user=personas.alice, space=spaces[ANTWERPEN], on=True)
            start(spaces[ANTWERPEN], personas.alice)  # her own thread
        with at(1):
            assert digest_send().sent == 0
        assert mailoutbox == []

    def test_a_failing_mail_is_tried_again_next_time(
        self, personas, activity, mailoutbox, monkeypatch
    ):
        real = services.send_mail

        def failing(subject, body, sender, recipients):
            if recipients == [personas.mona.email]:
                raise OSError("mail server down")
            return real(subject, body, sender, recipients)

        monkeypatch.setattr(services, "send_mail", failing)
        with at(2):
            run = digest_send()
        assert (run.sent, run.failed) == (1, 1)
        assert mails_to(mailoutbox, personas.mona) == []
        monkeypatch.setattr(services, "send_mail", real)
        with at(3):
            assert digest_send().sent == 1
        mona = mails_to(mailoutbox, personas.mona)
        assert len(mona) == 1
        assert re.search(r"^Provincie Antwerpen: 2 ", mona[0].body, re.MULTILINE)

    def test_it_moves_notified_at_to_the_cut_off_and_audits_counts_only(
        self, personas, activity, mailoutbox
    ):
        with at(2):
            sent = digest_send().sent
        cutoff = T0 + dt.timedelta(hours=2) - DIGEST_GRACE
        assert not Subscription.objects.filter(notified_at__lt=cutoff).exists()
        event = AuditEvent.objects.get(action="forum.digest.sent")
        assert event.data == {"mails": sent, "failed": 0}

    def test_the_command_is_idempotent(self, personas, activity, mailoutbox):
        with at(2):
            call_command("forum_digest")
            count = len(mailoutbox)
            call_command("forum_digest")
        assert count == 2 and len(mailoutbox) == 2

    def test_the_command_reports_and_fails_when_a_mail_fails(
        self, personas, activity, mailoutbox, monkeypatch, capsys
    ):
        def failing(subject, body, sender, recipients):
            raise OSError("mail server down")

        monkeypatch.setattr(services, "send_mail", failing)
        with at(2), pytest.raises(CommandError, match="0 digest\\(s\\) sent, 2 failed"):
            call_command("forum_digest")
        monkeypatch.undo()
        with at(3):
            call_command("forum_digest")
        assert "2 digest(s) sent, 0 failed." in capsys.readouterr().out
        assert len(mailoutbox) == 2


class TestLateCommits:
    def test_a_reply_committed_after_a_run_but_written_before_it_is_reported_next_time(
        self, personas, spaces, mailoutbox
    ):
        with at(0):
            thread = start(spaces[ANTWERPEN], personas.alice)
        with at(2):
            assert digest_send().sent == 0
        # Written a minute before that run began, committed (visible) only after it read.
        with time_machine.travel(T0 + dt.timedelta(hours=2, minutes=-1), tick=False):
            reply(thread, personas.pim, body="Laat antwoord")
        with at(3):
            assert digest_send().sent == 1
        assert len(mails_to(mailoutbox, personas.alice)) == 1

    def test_a_reply_younger_than_the_grace_waits_for_the_next_run(
        self, personas, spaces, mailoutbox
    ):
        with at(0):
            thread = start(spaces[ANTWERPEN], personas.alice)
        with time_machine.travel(T0 + dt.timedelta(hours=2, minutes=-2), tick=False):
            reply(thread, personas.pim)
        with at(2):
            assert digest_send().sent == 0
        with at(3):
            assert digest_send().sent == 1
        with at(4):
            assert digest_send().sent == 0
        assert len(mails_to(mailoutbox, personas.alice)) == 1


class TestLostAccess:
    def test_it_removes_subscriptions_to_spaces_the_user_can_no_longer_enter(
        self, personas, spaces, mailoutbox
    ):
        with at(0):
            thread = start(spaces[COORDINATORS], personas.walter)
            subscription_set(user=personas.alice, space=spaces[COORDINATORS], on=True)
            subscription_set(user=personas.alice, thread=thread, on=True)
            subscription_set(user=personas.alice, space=spaces[ANTWERPEN], on=True)
            with scopes_disabled():
                Membership.objects.filter(user=personas.alice).update(role="member")
        with at(1):
            reply(thread, personas.walter)
            start(spaces[ANTWERPEN], personas.mona)
        with at(2):
            run = digest_send()
        assert (run.sent, run.removed) == (1, 2)
        assert list(
            Subscription.objects.filter(user=personas.alice).values_list("space__slug", flat=True)
        ) == [ANTWERPEN]
        assert "Coördinatoren" not in mails_to(mailoutbox, personas.alice)[0].body
        event = AuditEvent.objects.get(action="forum.subscription.removed")
        assert event.data == {"subscriptions": 2}


class TestMailOutsideTransactions:
    def test_it_sends_mail_with_no_transaction_or_lock_held(
        self, personas, activity, mailoutbox, monkeypatch
    ):
        outer = len(connection.atomic_blocks)  # the test's own transaction
        seen = []
        real = services.send_mail

        def recording(subject, body, sender, recipients):
            seen.append(len(connection.atomic_blocks))
            return real(subject, body, sender, recipients)

        monkeypatch.setattr(services, "send_mail", recording)
        with at(2):
            assert digest_send().sent == 2
        assert seen == [outer, outer]

    def test_two_overlapping_runs_do_not_both_send(
        self, personas, activity, mailoutbox, monkeypatch
    ):
        real = services._subscription_counts

        def overlapping(cutoff):
            rows = real(cutoff)
            # Another run reads, claims and mails everything before this one claims.
            monkeypatch.setattr(services, "_subscription_counts", real)
            assert digest_send().sent == 2
            return rows

        monkeypatch.setattr(services, "_subscription_counts", overlapping)
        with at(2):
            assert digest_send().sent == 0
        assert len(mailoutbox) == 2


def digest_queries() -> int:
    with CaptureQueriesContext(connection) as context:
        run = digest_send()
    assert run.sent == 3  # Alice, Mona (followers) and Bob (the author); Pim wrote the replies
    return len(context)


class TestQueryCount:
    def test_it_does_not_grow_with_subscribed_threads(
        self, personas, spaces, mailoutbox, django_assert_max_num_queries
    ):
        space = spaces[ANTWERPEN]

        def threads(count: int) -> None:
            for i in range(count):
                thread = start(space, personas.bob, title=f"Draad {i}")
                for user in (personas.alice, personas.mona):
                    subscription_set(user=user, thread=thread, on=True)

        def replies() -> None:
            for thread in space.threads.all():
                reply(thread, personas.pim)

        with at(0):
            threads(2)
        with at(1):
            replies()
        with at(2):
            few = digest_queries()
        with at(3):
            threads(28)
        with at(4):
            replies()
        with at(5), django_assert_max_num_queries(few):
            assert digest_queries() == few
        assert (
            Subscription.objects.filter(thread__isnull=False).count() == 4 * 30
        )  # Bob, Alice, Mona, Pim

    def test_it_needs_a_bounded_number_of_queries_per_user(self, personas, spaces, mailoutbox):
        space = spaces[ANTWERPEN]
        with at(0):
            for user in (personas.alice, personas.mona, personas.ilse, personas.bob):
                subscription_set(user=user, space=space, on=True)
        with at(1):
            start(space, personas.pim)
        with at(2), CaptureQueriesContext(connection) as context:
            assert digest_send().sent == 4
        # Per recipient: their standing (at most 2) and the claim (a savepoint and an UPDATE).
        assert len(context) <= 12 + 4 * 6
