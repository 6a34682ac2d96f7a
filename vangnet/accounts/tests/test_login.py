from __future__ import annotations

import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP

from vangnet.accounts.models import RecoveryCodeDevice, TOTPDevice, UserSession
from vangnet.audit.models import AuditEvent
from vangnet.tests_support.personas import PASSWORD, make_user, with_recovery_codes

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, 0, device.digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def password_step(client: Client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"email": email, "password": password})


class TestPasswordStep:
    def test_it_sends_an_enrolled_user_to_the_code_step(self, personas, client):
        response = password_step(client, "alice@example.org")
        assert response.status_code == 302
        assert response["Location"] == "/login/verify/"

    def test_it_does_not_log_in_before_the_second_factor(self, personas, client):
        password_step(client, "alice@example.org")
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_it_answers_the_same_for_unknown_and_existing_accounts(self, personas, client):
        wrong = password_step(client, "alice@example.org", "not the password at all")
        unknown = password_step(Client(), "nobody@example.org", "not the password at all")
        assert wrong.status_code == unknown.status_code == 200
        wrong_text = wrong.content.decode().replace("alice@example.org", "X")
        unknown_text = unknown.content.decode().replace("nobody@example.org", "X")
        strip = lambda s: "".join(  # noqa: E731
            line for line in s.splitlines() if "csrfmiddlewaretoken" not in line
        )
        assert strip(wrong_text) == strip(unknown_text)

    def test_it_treats_the_email_case_insensitively(self, personas, client):
        response = password_step(client, "  ALICE@Example.org ")
        assert response["Location"] == "/login/verify/"

    def test_it_rejects_an_oversized_password_without_error(self, personas, client):
        response = password_step(client, "alice@example.org", "x" * 5000)
        assert response.status_code == 200

    def test_it_writes_an_audit_event_for_a_failure(self, personas, client):
        password_step(client, "alice@example.org", "wrong password here")
        assert AuditEvent.objects.filter(action="accounts.login.failed").exists()


class TestLockout:
    def test_it_locks_out_the_username_and_ip_after_five_failures(self, personas, client):
        for _ in range(5):
            password_step(client, "alice@example.org", "wrong password here")
        response = password_step(client, "alice@example.org")  # even the right password
        assert response.status_code == 429
        assert AuditEvent.objects.filter(action="accounts.login.locked_out").exists()

    def test_it_does_not_lock_out_the_same_user_from_another_ip(self, personas, client):
        for _ in range(5):
            password_step(client, "alice@example.org", "wrong password here")
        other = Client(REMOTE_ADDR="192.0.2.77")
        response = password_step(other, "alice@example.org")
        assert response.status_code == 302

    def test_it_audits_each_failure_and_the_lockout_once(self, personas, client):
        for _ in range(6):
            password_step(client, "alice@example.org", "wrong password here")
        assert AuditEvent.objects.filter(action="accounts.login.failed").count() == 6
        assert AuditEvent.objects.filter(action="accounts.login.locked_out").count() == 2

    def test_it_locks_out_behind_a_proxy_by_the_forwarded_client_address(self, personas, settings):
        settings.VANGNET_PROXY_COUNT = 1
        attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        for _ in range(5):
            password_step(attacker, "alice@example.org", "wrong password here")
        assert password_step(attacker, "alice@example.org").status_code == 429
        colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert password_step(colleague, "alice@example.org").status_code == 302

    def test_it_locks_out_unknown_accounts_alike(self, personas, client):
        for _ in range(5):
            password_step(client, "nobody@example.org", "wrong password here")
        assert password_step(client, "nobody@example.org").status_code == 429


class TestCodeStep:
    def test_it_logs_in_with_a_valid_code(self, personas, client):
        password_step(client, "alice@example.org")
        device = TOTPDevice.objects.get(user=personas.alice)
        response = client.post("/login/verify/", {"code": code_for(device)})
        assert response.status_code == 302
        assert client.get("/account/").status_code == 200
        assert UserSession.objects.filter(user=personas.alice).count() == 1
        assert AuditEvent.objects.filter(action="accounts.login.succeeded").exists()

    def test_it_rejects_a_replayed_code(self, personas, client):
        device = TOTPDevice.objects.get(user=personas.alice)
        code = code_for(device)
        password_step(client, "alice@example.org")
        assert client.post("/login/verify/", {"code": code}).status_code == 302
        other = Client()
        password_step(other, "alice@example.org")
        response = other.post("/login/verify/", {"code": code})
        assert response.status_code == 200
        assert (
            "already used" in response.content.decode()
            or "al gebruikt" in response.content.decode()
        )

    def test_it_rejects_a_code_from_the_previous_time_step(self, personas, client):
        device = TOTPDevice.objects.get(user=personas.alice)
        password_step(client, "alice@example.org")
        old = code_for(device, at=time.time() - 30)
        response = client.post("/login/verify/", {"code": old})
        assert response.status_code == 200
        assert client.get("/account/").status_code == 302

    def test_it_counts_every_parallel_guess(self, personas):
        # Each guess locks the device row, so none of them shares a throttle step.
        device = TOTPDevice.objects.get(user=personas.alice)
        wrong = "000000" if code_for(device) != "000000" else "111111"
        for _ in range(3):
            stale = TOTPDevice.objects.get(pk=device.pk)  # loaded before the others' writes
            stale.throttling_failure_count = 0
            stale.throttling_failure_timestamp = None
            stale.verify_token(wrong)
        device.refresh_from_db()
        assert device.throttling_failure_count >= 1
        stale = TOTPDevice.objects.get(pk=device.pk)
        stale.throttling_failure_count = 0  # a stale copy cannot reset the stored count
        assert stale.verify_token(code_for(device)) is False

    def test_it_rejects_a_code_replayed_through_a_stale_device(self, personas):
        first = TOTPDevice.objects.get(user=personas.alice)
        second = TOTPDevice.objects.get(user=personas.alice)  # loaded before first's write
        code = code_for(first)
        assert first.verify_token(code) is True
        assert second.verify_token(code) is False

    def test_it_throttles_after_a_wrong_code(self, personas, client):
        device = TOTPDevice.objects.get(user=personas.alice)
        password_step(client, "alice@example.org")
        wrong = "000000" if code_for(device) != "000000" else "111111"
        client.post("/login/verify/", {"code": wrong})
        # Right code straight after a failure: refused until the back-off has passed.
        response = client.post("/login/verify/", {"code": code_for(device)})
        assert response.status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count == 1

    def test_it_rejects_malformed_codes_with_a_message(self, personas, client):
        password_step(client, "alice@example.org")
        response = client.post("/login/verify/", {"code": "<script>"})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()

    def test_it_expires_the_pending_password_step(self, personas, client):
        device = TOTPDevice.objects.get(user=personas.alice)
        with time_machine.travel(time.time() - 600, tick=True):
            password_step(client, "alice@example.org")
        response = client.post("/login/verify/", {"code": code_for(device)})
        assert response.status_code == 302
        assert response["Location"] == "/login/"

    def test_it_sends_the_code_step_to_login_without_a_password_first(self, client):
        assert client.get("/login/verify/")["Location"] == "/login/"


class TestRecoveryCodes:
    def test_it_accepts_a_recovery_code_once(self, personas, client):
        codes = with_recovery_codes(personas.alice)
        password_step(client, "alice@example.org")
        assert client.post("/login/recovery/", {"code": codes[0]}).status_code == 302
        other = Client()
        password_step(other, "alice@example.org")
        assert other.post("/login/recovery/", {"code": codes[0]}).status_code == 200
        assert RecoveryCodeDevice.objects.get(user=personas.alice).remaining() == len(codes) - 1

    def test_it_answers_a_user_without_recovery_codes_with_a_message(self, personas, client):
        password_step(client, "alice@example.org")
        response = client.post("/login/recovery/", {"code": "ABCD-EFGH-JKLM-NPQR"})
        assert response.status_code == 200
        assert client.get("/account/").status_code == 302
        assert AuditEvent.objects.filter(action="accounts.mfa.failed").exists()

    def test_it_stores_recovery_codes_hashed(self, personas):
        codes = with_recovery_codes(personas.alice)
        stored = list(
            RecoveryCodeDevice.objects.get(user=personas.alice).codes.values_list(
                "code_hash", flat=True
            )
        )
        assert all(code not in stored and code.replace("-", "") not in stored for code in codes)


class TestEnrolment:
    def test_it_requires_enrolment_at_first_login(self, db, client):
        make_user("new@example.org", "Nieuwe Gebruiker", enrolled=False)
        response = password_step(client, "new@example.org")
        assert response["Location"] == "/login/setup/"
        page = client.get("/login/setup/")
        assert page.status_code == 200
        assert b"<svg" in page.content
        device = TOTPDevice.objects.get(user__email="new@example.org", confirmed=False)
        response = client.post("/login/setup/", {"code": code_for(device)})
        assert response.status_code == 200
        assert response.content.decode().count("<li>") >= 10  # the recovery codes, once
        device.refresh_from_db()
        assert device.confirmed
        assert AuditEvent.objects.filter(action="accounts.mfa.enrolled").exists()
        assert client.get("/account/").status_code == 200

    def test_it_never_reuses_a_seed_another_session_saw(self, db, client):
        make_user("new@example.org", "Nieuwe Gebruiker", enrolled=False)
        attacker = Client()
        password_step(attacker, "new@example.org")
        attacker.get("/login/setup/")
        seen = TOTPDevice.objects.get(user__email="new@example.org", confirmed=False)
        password_step(client, "new@example.org")
        client.get("/login/setup/")
        mine = TOTPDevice.objects.get(user__email="new@example.org", confirmed=False)
        assert mine.pk != seen.pk
        assert mine.key != seen.key
        # The attacker's code for the seed they saw no longer confirms anything.
        response = attacker.post("/login/setup/", {"code": code_for(seen)})
        assert response.status_code == 200
        assert not TOTPDevice.objects.filter(user__email="new@example.org", confirmed=True).exists()

    def test_it_keeps_an_enrolled_user_away_from_setup(self, personas, client):
        password_step(client, "alice@example.org")
        assert client.get("/login/setup/")["Location"] == "/login/verify/"
        assert not TOTPDevice.objects.filter(user=personas.alice, confirmed=False).exists()


class TestSecretsAtRest:
    def test_it_stores_no_plaintext_totp_secret(self, personas):
        from django.db import connection

        device = TOTPDevice.objects.get(user=personas.alice)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {TOTPDevice._meta.db_table}")
            rows = cursor.fetchall()
        dump = repr(rows).encode()
        assert device.key.encode() not in dump
        assert device.bin_key not in b"".join(
            bytes(value) for row in rows for value in row if isinstance(value, (bytes, memoryview))
        )

    def test_it_hashes_passwords_with_argon2_by_default(self, db, settings):
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
        user = make_user("argon@example.org", "Argon Gebruiker", enrolled=False)
        assert user.password.startswith("argon2$argon2id$")


def test_it_sends_no_mail_on_login(personas, client):
    password_step(client, "alice@example.org")
    assert mail.outbox == []
