"""Playwright driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = os.environ.get("VANGNET_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip on a developer machine without chromium; in CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@contextmanager
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
    # the test itself are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        try:
            context = browser.new_context(locale="nl-BE")
            page = context.new_page()
            yield page
        finally:
            try:
                browser.close()
            finally:
                # Inside Playwright's block the ORM runs in another context (asgiref's Local
                # keeps a connection per context), so the test's queries there opened a
                # connection of their own: closed here, or it outlives the test and the test
                # database cannot be dropped at the end of the run.
                connections.close_all()


def axe_violations(page: Any, *, every_impact: bool = False) -> list[dict[str, Any]]:
    """Run axe-core (vendored from npm) on the page; return serious and critical violations.

    ``every_impact`` returns minor and moderate violations too (the public pages allow none).
    """
    # Evaluated through the DevTools protocol, so the page's strict CSP stays in force.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    if every_impact:
        return list(result["violations"])
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def wait_for_fresh_step(min_seconds: float = 8.0, step: int = 30) -> None:
    """Sleep into the next TOTP step when the current one ends soon.

    Only the current 30-second step is accepted; a code typed by a browser near the end of its
    step could arrive in the next one and be refused, which made these tests flaky.
    """
    import time

    remaining = step - (time.time() % step)
    if remaining < min_seconds:
        time.sleep(remaining + 0.2)


def fresh_code(device: Any) -> str:
    """The current code of a TOTP device, with enough of its step left to be used."""
    wait_for_fresh_step()
    return str(device.current_code())


def submit(page: Any) -> None:
    """Press the last submit button of the main form."""
    page.locator("main form button[type=submit]").last.click()


def sign_in_browser(page: Any, base: str, email: str, home: str) -> None:
    """Sign in through the real pages (password, then a fresh TOTP code) and wait for the
    URL pattern ``home``."""
    from vangnet.accounts.models import TOTPDevice
    from vangnet.tests_support.personas import PASSWORD

    page.goto(f"{base}/login/")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    submit(page)
    page.wait_for_url("**/login/verify/")
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.fill('input[name="code"]', fresh_code(device))
    submit(page)
    page.wait_for_url(home)
