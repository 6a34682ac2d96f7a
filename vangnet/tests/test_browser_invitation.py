"""End to end: the coordinator invites a partner, who registers with MFA, acknowledges the
secrecy duty and then appears on the partner map."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp

from vangnet.accounts.models import TOTPDevice
from vangnet.cells.reference import municipalities_load
from vangnet.tests_support.browser import (
    axe_violations,
    browser_page,
    fresh_code,
    wait_for_fresh_step,
)
from vangnet.tests_support.personas import PASSWORD, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    submit(page)
    page.wait_for_url("**/login/verify/")
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.fill('input[name="code"]', fresh_code(device))
    submit(page)


def test_a_coordinator_invites_a_partner_who_joins_and_appears_on_the_map(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    cell = personas.mechelen.pk
    with browser_page() as page:
        sign_in(page, base, "alice@example.org", PASSWORD)
        page.wait_for_url(f"**/cells/{cell}/")

        page.goto(f"{base}/cells/{cell}/partners/add/")
        page.fill('input[name="name"]', "CLB Mechelen")
        page.select_option('select[name="sector"]', "clb")
        page.select_option('select[name="participation"]', "per_case")
        page.select_option('select[name="status"]', "invited")
        submit(page)
        page.wait_for_url(f"**/cells/{cell}/partners/")
        assert axe_violations(page) == []

        page.goto(f"{base}/cells/{cell}/members/invite/")
        page.fill('input[name="email"]', "noor@example.org")
        page.select_option('select[name="role"]', "member")
        page.select_option('select[name="organisation"]', label="CLB Mechelen")
        submit(page)
        page.wait_for_url(f"**/cells/{cell}/members/")
        assert "noor@example.org" in page.content()

    path = re.search(r"https?://[^/\s]+(/join/\S+/)", str(mail.outbox[-1].body)).group(1)
    link = f"{base}{path}"
    with browser_page() as page:
        page.goto(link)
        page.fill('input[name="full_name"]', "Noor Nieuw")
        page.fill('input[name="password1"]', "een lange zin voor noor")
        page.fill('input[name="password2"]', "een lange zin voor noor")
        submit(page)
        page.wait_for_url("**/login/setup/")
        assert axe_violations(page) == []
        secret = page.locator(".secret").inner_text().replace(" ", "")
        wait_for_fresh_step()
        page.fill('input[name="code"]', _code(secret))
        submit(page)
        page.locator("main a[role=button]").click()  # "I have saved them"
        page.wait_for_url("**/invitations/**/accept/")
        assert axe_violations(page) == []
        page.check('input[name="acknowledge"]')
        submit(page)
        page.wait_for_url(f"**/cells/{cell}/")

        page.goto(f"{base}/cells/{cell}/map/")
        page.wait_for_selector("#partner-map canvas")
        table = page.locator("main table").first.inner_text()
        assert "CLB Mechelen" in table
        row = page.locator("main table tr", has_text="CLB Mechelen").first.inner_text()
        assert "Actief" in row or "Active" in row  # the first representative activated it
        assert axe_violations(page) == []
        page.screenshot(path="var/browser-partner-map.png", full_page=True)


def _code(base32_secret: str) -> str:
    import base64

    padded = base32_secret + "=" * (-len(base32_secret) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"
