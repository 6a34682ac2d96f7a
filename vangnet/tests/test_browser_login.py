"""End to end: a coordinator signs in with password and TOTP and reaches the cell's home."""

from __future__ import annotations

import pytest

from vangnet.accounts.models import TOTPDevice
from vangnet.cells.reference import municipalities_load
from vangnet.tests_support.browser import axe_violations, browser_page, fresh_code
from vangnet.tests_support.personas import PASSWORD, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_with_password_and_totp_and_reaches_the_cell_home(live_server):
    municipalities_load()  # earlier transactional tests flushed the migration's rows
    personas = make_personas()
    device = TOTPDevice.objects.get(user=personas.alice)
    with browser_page() as page:
        page.goto(f"{live_server.url}/")
        assert "/login/" in page.url
        assert axe_violations(page) == []
        page.get_by_label("E-mailadres").fill("alice@example.org")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Volgende").click()
        page.wait_for_url("**/login/verify/")
        page.get_by_label("Code van zes cijfers").fill(fresh_code(device))
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(f"**/cells/{personas.mechelen.pk}/")
        assert page.get_by_role("heading", level=1).inner_text() == "LIVC R Mechelen"
        assert axe_violations(page) == []
        page.screenshot(path="var/browser-cell-home.png", full_page=True)
