"""The e-mail digest: one mail per person, counts and space names only, never twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Membership
from vangnet.forum import services
from vangnet.forum.models import Subscription
from vangnet.forum.services import digest_send, post_hide, subscription_set
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
            sent = digest_send()
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
            first = digest_send()
        with at(3):
            assert digest_send() == 0
        assert len(mailoutbox) == first
        with at(4):
            reply(activity, personas.pim, body="Nog iets")
        with at(5):
            assert digest_send() == 2  # Mona and Bob (who replied earlier); Pim wrote it himself
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
            assert digest_send() == 0
        assert mailoutbox == []

    def test_users_without_news_get_no_mail(self, personas, spaces, mailoutbox):
        with at(0):
            subscription_set(user=personas.alice, space=spaces[ANTWERPEN], on=True)
            start(spaces[ANTWERPEN], personas.alice)  # her own thread
        with at(1):
            assert digest_send() == 0
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
            digest_send()
        assert mails_to(mailoutbox, personas.mona) == []
        monkeypatch.setattr(services, "send_mail", real)
        with at(3):
            assert digest_send() == 1
        assert len(mails_to(mailoutbox, personas.mona)) == 1

    def test_it_moves_notified_at_and_audits_counts_only(self, personas, activity, mailoutbox):
        with at(2):
            sent = digest_send()
        assert not Subscription.objects.filter(notified_at__lt=T0 + dt.timedelta(hours=2)).exists()
        event = AuditEvent.objects.get(action="forum.digest.sent")
        assert event.data == {"mails": sent}

    def test_the_command_is_idempotent(self, personas, activity, mailoutbox):
        with at(2):
            call_command("forum_digest")
            count = len(mailoutbox)
            call_command("forum_digest")
        assert count == 2 and len(mailoutbox) == 2
