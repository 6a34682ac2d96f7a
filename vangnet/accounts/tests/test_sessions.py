from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import TOTPDevice, UserSession
from vangnet.audit.models import AuditEvent
from vangnet.tests_support.personas import PASSWORD, sign_in, with_recovery_codes

pytestmark = pytest.mark.django_db


class TestTimeouts:
    def test_it_ends_an_idle_session_after_30_minutes(self, personas, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client, personas.alice)
            assert client.get("/account/").status_code == 200
        with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
            assert client.get("/account/").status_code == 200
        with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
            response = client.get("/account/")
            assert response.status_code == 302
            assert response["Location"].startswith("/login/")

    def test_it_ends_an_idle_session_even_if_the_session_store_kept_it(self, personas, client):
        # Proves the server-side guard, independent of Django's own session expiry.
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client, personas.alice)
        Session.objects.update(expire_date=start + dt.timedelta(days=2))
        with time_machine.travel(start + dt.timedelta(minutes=32), tick=False):
            assert client.get("/account/").status_code == 302
        assert AuditEvent.objects.filter(
            action="accounts.session.ended", data__reason="idle_timeout"
        ).exists()

    def test_it_ends_an_active_session_after_10_hours(self, personas, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            sign_in(client, personas.alice)
        for step in range(1, 34):  # a request every 20 minutes, so never idle
            moment = start + dt.timedelta(minutes=20 * step)
            with time_machine.travel(moment, tick=False):
                status = client.get("/account/").status_code
            if moment - start <= dt.timedelta(hours=10):
                assert status == 200, moment - start
            else:
                assert status == 302, moment - start
                break
        else:
            pytest.fail("the session outlived the absolute timeout")
        assert AuditEvent.objects.filter(
            action="accounts.session.ended", data__reason="absolute_timeout"
        ).exists()


class TestLogout:
    def test_it_ends_the_session_on_the_server(self, personas, client):
        sign_in(client, personas.alice)
        session_key = client.cookies["sessionid"].value
        response = client.post("/logout/")
        assert response["Location"] == "/login/"
        assert not Session.objects.filter(session_key=session_key).exists()
        assert not UserSession.objects.filter(user=personas.alice).exists()
        # Replaying the old cookie gets nowhere.
        replay = Client()
        replay.cookies["sessionid"] = session_key
        assert replay.get("/account/").status_code == 302

    def test_it_refuses_logout_by_get(self, personas, client):
        sign_in(client, personas.alice)
        assert client.get("/logout/").status_code == 405


class TestOtherSessions:
    def test_it_lists_and_ends_other_sessions(self, personas, client):
        other = Client()
        sign_in(other, personas.alice)
        sign_in(client, personas.alice)
        page = client.get("/account/")
        assert page.content.decode().count("<tr>") == 3  # header + two sessions
        client.post("/account/sessions/end-others/")
        assert client.get("/account/").status_code == 200
        assert other.get("/account/").status_code == 302

    def test_it_ends_other_sessions_and_notifies_on_password_change(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        other = Client()
        sign_in(other, personas.alice)
        sign_in(client, personas.alice)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/account/password/",
                {"old_password": PASSWORD, "new_password": "a much longer new passphrase"},
            )
        assert response.status_code == 302
        assert client.get("/account/").status_code == 200
        assert other.get("/account/").status_code == 302
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["alice@example.org"]
        assert "Alice" not in mail.outbox[0].body

    def test_it_refuses_a_short_or_common_new_password(self, personas, client):
        sign_in(client, personas.alice)
        for weak in ("short", "password1234"):
            response = client.post(
                "/account/password/", {"old_password": PASSWORD, "new_password": weak}
            )
            assert response.status_code == 200
        personas.alice.refresh_from_db()
        assert personas.alice.check_password(PASSWORD)

    def test_it_locks_out_guessing_the_current_password(self, personas, client):
        sign_in(client, personas.alice)
        for _ in range(5):
            client.post(
                "/account/password/",
                {"old_password": "a wrong guess here", "new_password": "another long phrase"},
            )
        response = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password": "another long passphrase"},
        )
        assert response.status_code == 429
        personas.alice.refresh_from_db()
        assert personas.alice.check_password(PASSWORD)

    def test_it_accepts_a_long_passphrase_without_composition_rules(self, personas, client):
        sign_in(client, personas.alice)
        phrase = "de kat zit op de mat en kijkt naar de regen buiten " * 3
        response = client.post(
            "/account/password/", {"old_password": PASSWORD, "new_password": phrase}
        )
        assert response.status_code == 302

    def test_it_ends_other_sessions_and_notifies_on_mfa_replacement(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        other = Client()
        sign_in(other, personas.alice)
        sign_in(client, personas.alice)
        old = TOTPDevice.objects.get(user=personas.alice, confirmed=True)
        assert client.get("/account/mfa/replace/").status_code == 200
        new = TOTPDevice.objects.get(user=personas.alice, confirmed=False)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/account/mfa/replace/", {"code": new.current_code(), "password": PASSWORD}
            )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert client.get("/account/").status_code == 200  # this session stays
        assert other.get("/account/").status_code == 302
        assert len(mail.outbox) == 1
        assert AuditEvent.objects.filter(action="accounts.mfa.removed").exists()


class TestRecoveryCodePage:
    def test_it_makes_new_codes_and_shows_them_once(self, personas, client):
        sign_in(client, personas.alice)
        response = client.post("/account/recovery-codes/regenerate/", {"password": PASSWORD})
        assert response.status_code == 200
        codes = re.findall(
            r"<li>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</li>", response.content.decode()
        )
        assert len(codes) == 10
        assert not any(code in str(dict(client.session)) for code in codes)

    def test_it_keeps_a_recovery_code_session_when_making_new_codes(self, personas, client):
        codes = with_recovery_codes(personas.alice)
        client.post("/login/", {"email": "alice@example.org", "password": PASSWORD})
        assert client.post("/login/recovery/", {"code": codes[0]}).status_code == 302
        response = client.post("/account/recovery-codes/regenerate/", {"password": PASSWORD})
        assert response.status_code == 200
        assert client.get("/account/").status_code == 200
        fresh = re.findall(r"<li>([A-Z0-9-]{19})</li>", response.content.decode())
        other = Client()
        other.post("/login/", {"email": "alice@example.org", "password": PASSWORD})
        assert other.post("/login/recovery/", {"code": codes[1]}).status_code == 200  # old: gone
        assert other.post("/login/recovery/", {"code": fresh[0]}).status_code == 200  # throttled


class TestStepUp:
    def test_new_recovery_codes_need_the_current_password(self, personas, client):
        from vangnet.accounts.models import RecoveryCodeDevice

        with_recovery_codes(personas.alice)
        before = list(
            RecoveryCodeDevice.objects.get(user=personas.alice).codes.values_list(
                "code_hash", flat=True
            )
        )
        sign_in(client, personas.alice)
        response = client.post("/account/recovery-codes/regenerate/", {"password": "wrong one"})
        assert response.status_code == 302
        after = list(
            RecoveryCodeDevice.objects.get(user=personas.alice).codes.values_list(
                "code_hash", flat=True
            )
        )
        assert before == after

    def test_replacing_the_authenticator_needs_the_current_password(self, personas, client):
        sign_in(client, personas.alice)
        client.get("/account/mfa/replace/")
        new = TOTPDevice.objects.get(user=personas.alice, confirmed=False)
        response = client.post(
            "/account/mfa/replace/", {"code": new.current_code(), "password": "not mine"}
        )
        assert response.status_code == 200
        new.refresh_from_db()
        assert not new.confirmed
