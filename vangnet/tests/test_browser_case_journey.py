"""End to end: a partner reports a signal, the coordinator screens it and opens a case, adds
the partner's organisation and an action, the partner marks the action done, the coordinator
closes the case, and once its keeping period has passed the purge deletes it."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import formats, timezone, translation
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Action, Case
from vangnet.cases.purge import PURGE_ACTION
from vangnet.cells.reference import municipalities_load
from vangnet.intake.models import Signal
from vangnet.lib.dates import add_months
from vangnet.tests_support.browser import (
    axe_violations,
    browser_page,
    sign_in_browser,
    submit,
)
from vangnet.tests_support.personas import make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = "Jonas Vermeulen"
CAW = "CAW Boom Mechelen Lier"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_a_signal_becomes_a_case_with_an_action_is_closed_and_purged(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    cell = personas.mechelen.pk
    today = timezone.localdate()

    with browser_page() as partner:
        # Alice gets her own browser context (own cookies), beside Pim's: one Playwright
        # instance per thread, so not a second browser_page().
        coordinator = partner.context.browser.new_context(locale="nl-BE").new_page()
        # 1. Pim (CAW) reports a signal about a named person.
        sign_in_browser(partner, base, "pim@example.org", "**/cells/**")
        partner.goto(f"{base}/cells/{cell}/signals/new/")
        assert axe_violations(partner) == []
        partner.select_option('select[name="category"]', "ideology")
        partner.fill('textarea[name="description"]', "Deelt extremistische filmpjes op school.")
        partner.fill('input[name="person_name"]', PERSON)
        partner.fill('input[name="person_birth_date"]', "2007-03-14")
        submit(partner)
        partner.wait_for_url(re.compile(rf"/cells/{cell}/signals/{UUID}/$"))
        signal_id = partner.url.rstrip("/").rsplit("/", 1)[1]
        partner.goto(f"{base}/cells/{cell}/signals/")
        assert partner.locator(f'main table a[href$="/signals/{signal_id}/"]').count() == 1

        # 2. Alice screens it, opens a case, adds the CAW and an action.
        sign_in_browser(coordinator, base, "alice@example.org", "**/cells/**")
        coordinator.goto(f"{base}/cells/{cell}/signals/{signal_id}/")
        assert PERSON in coordinator.content()
        coordinator.goto(f"{base}/cells/{cell}/signals/{signal_id}/screen/")
        coordinator.select_option('select[name="outcome"]', "case")
        coordinator.fill('textarea[name="reason"]', "Zorgwekend; multidisciplinair opvolgen.")
        submit(coordinator)
        coordinator.wait_for_url(f"**/cells/{cell}/signals/{signal_id}/")
        coordinator.locator(
            f'main form[action$="/signals/{signal_id}/open-case/"] button[type=submit]'
        ).click()
        coordinator.wait_for_url(re.compile(rf"/cells/{cell}/cases/{UUID}/$"))
        case_url = coordinator.url
        case_id = case_url.rstrip("/").rsplit("/", 1)[1]
        code = coordinator.locator("main h1").inner_text()
        assert re.match(rf"LIV-{today.year}-\d{{3}}\b", code), code
        code = code.split()[0]
        assert PERSON in coordinator.locator("main").inner_text()

        coordinator.goto(f"{base}/cells/{cell}/cases/")
        listing = coordinator.locator("main").inner_text()
        assert code in listing
        assert PERSON not in coordinator.content()

        coordinator.goto(f"{case_url}participants/add/")
        coordinator.select_option('select[name="organisation"]', label=CAW)
        coordinator.fill('input[name="reason"]', "Begeleidt de jongere.")
        submit(coordinator)
        coordinator.wait_for_url(case_url)

        due = today + dt.timedelta(days=14)
        coordinator.goto(f"{case_url}actions/add/")
        coordinator.select_option('select[name="owner"]', label=CAW)
        coordinator.fill('textarea[name="description"]', "Gesprek met de ouders")
        coordinator.fill('input[name="due_date"]', due.isoformat())
        submit(coordinator)
        coordinator.wait_for_url(case_url)
        actions = coordinator.locator("section[aria-labelledby=actions-heading] table")
        assert "Gesprek met de ouders" in actions.inner_text()
        assert axe_violations(coordinator) == []

        # 3. Pim now takes part through the CAW, and marks the action done.
        partner.reload()
        partner.goto(f"{base}/cells/{cell}/cases/")
        assert partner.locator(f'main table a[href$="/cases/{case_id}/"]').inner_text() == code
        partner.goto(case_url)
        partner.locator(
            "section[aria-labelledby=actions-heading] table form button[type=submit]"
        ).click()
        partner.wait_for_url(case_url)
        with scopes_disabled():
            assert Action.objects.get(case_id=case_id).status == "done"
        done_forms = partner.locator("section[aria-labelledby=actions-heading] table form")
        assert done_forms.count() == 0

        # 4. Alice closes the case; the page shows its deletion date.
        coordinator.goto(f"{case_url}close/")
        coordinator.select_option('select[name="reason"]', "risk_reduced")
        coordinator.fill('textarea[name="outcome"]', "Opgevolgd door het CAW, risico gedaald.")
        submit(coordinator)
        coordinator.wait_for_url(case_url)
        with scopes_disabled():
            delete_after = Case.objects.get(pk=case_id).delete_after
        assert delete_after == add_months(today, 24)
        with translation.override("nl"):
            shown = formats.date_format(delete_after, "DATE_FORMAT")
        assert shown in coordinator.locator("section[aria-labelledby=summary-heading]").inner_text()

        # 5. Twenty-five months later the daily purge deletes the case and its signal.
        later = dt.datetime.combine(add_months(today, 25), dt.time(3), ZoneInfo("Europe/Brussels"))
        with time_machine.travel(later, tick=False):
            call_command("purge_expired", stdout=StringIO())
        with scopes_disabled():
            assert not Case.objects.filter(pk=case_id).exists()
            assert not Signal.objects.filter(pk=signal_id).exists()
        events = list(AuditEvent.objects.filter(action=PURGE_ACTION, cell_id=cell))
        assert len(events) == 1
        assert events[0].data == {"signals": 1, "cases": 1}

        response = coordinator.goto(case_url)
        assert response is not None and response.status == 404
        assert PERSON not in coordinator.content()
