from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from vangnet.accounts.models import TOTPDevice

pytestmark = pytest.mark.django_db


def reset_link() -> str:
    match = re.search(r"https?://[^/]+(/login/password-reset/[^\s]+)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_answers_the_same_for_known_and_unknown_addresses(personas, client):
    known = client.post("/login/password-reset/", {"email": "alice@example.org"})
    unknown = Client().post("/login/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_it_puts_no_personal_data_in_the_mail(personas, client):
    client.post("/login/password-reset/", {"email": "alice@example.org"})
    body = mail.outbox[0].body
    assert "alice" not in body.lower()
    assert "Alice" not in mail.outbox[0].subject


def test_it_ends_the_reset_at_the_code_step(personas, client):
    client.post("/login/password-reset/", {"email": "alice@example.org"})
    link = reset_link()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "a fresh long passphrase", "new_password2": "a fresh long passphrase"},
    )
    assert response["Location"] == "/login/verify/"
    # Not signed in yet: the second factor is still required.
    assert client.get("/account/").status_code == 302
    device = TOTPDevice.objects.get(user=personas.alice)
    response = client.post("/login/verify/", {"code": device.current_code()})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_it_refuses_a_forged_token_for_a_real_account(personas, client):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(personas.alice.pk))
    response = client.get(f"/login/password-reset/{uid}/cxyz-0123456789abcdef/", follow=True)
    assert response.status_code == 200
    assert b'name="new_password1"' not in response.content


def test_it_refuses_a_link_that_was_used(personas, client):
    client.post("/login/password-reset/", {"email": "alice@example.org"})
    link = reset_link()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a fresh long passphrase"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    again = Client().get(link, follow=True)
    assert b'name="new_password1"' not in again.content


def test_it_builds_the_link_from_the_site_url_not_the_host_header(personas, client, settings):
    settings.SITE_URL = "https://vangnet.example.be"
    client.post("/login/password-reset/", {"email": "alice@example.org"}, HTTP_HOST="localhost")
    assert "https://vangnet.example.be/login/password-reset/" in mail.outbox[0].body


def test_it_limits_reset_mails_per_address_with_the_same_answer(personas, client):
    answers = [
        client.post("/login/password-reset/", {"email": "alice@example.org"}) for _ in range(5)
    ]
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {"/login/password-reset/sent/"}
    assert len(mail.outbox) == 3  # at most three an hour


def test_reset_records_are_purged_after_a_day(personas, client):
    import datetime as dt

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from vangnet.accounts.models import PasswordResetRequest

    client.post("/login/password-reset/", {"email": "alice@example.org"})
    assert PasswordResetRequest.objects.count() == 1
    stored = PasswordResetRequest.objects.get()
    assert "alice" not in stored.address_hash
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        from io import StringIO

        call_command("purge_expired", stdout=StringIO())
    assert PasswordResetRequest.objects.count() == 0
