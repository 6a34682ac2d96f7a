"""End to end: the coordinator opens a self-evaluation round and sends the personal links; two
people answer anonymously through their link (which then stops working); the coordinator
closes the round and sees the scores per module, the radar chart and the free text."""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext, override
from django_scopes import scopes_disabled

from vangnet.accounts.models import TOTPDevice
from vangnet.cells.reference import municipalities_load
from vangnet.scans.models import Answer, Response, Round
from vangnet.tests_support.browser import axe_violations, browser_page, fresh_code
from vangnet.tests_support.personas import PASSWORD, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TITLE = "Zelfevaluatie voorjaar"
TEXTS = {
    "alice@example.org": "Meer tijd voorzien om het overleg voor te bereiden.",
    "pim@example.org": "De agenda vooraf delen zou helpen.",
    "ilse@example.org": "Vaker terugkoppelen na een casusoverleg.",
}
# Per respondent: the Likert values cycled over the statements, and yes/no values cycled.
LIKERT = {
    "alice@example.org": ["5", "4", "5", "3"],
    "pim@example.org": ["2", "1", "3"],
    "ilse@example.org": ["4", "3"],
}
YESNO = {"alice@example.org": ["1"], "pim@example.org": ["0", "1"], "ilse@example.org": ["1"]}
NOT_APPLICABLE_AT = {"pim@example.org": 1}  # Pim finds the second statement not applicable


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    submit(page)
    page.wait_for_url("**/login/verify/")
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.fill('input[name="code"]', fresh_code(device))
    submit(page)
    page.wait_for_url("**/cells/**")


def post(page, button) -> None:
    """Click a submit button, wait for the redirect's page, and fail on an error message."""
    with page.expect_navigation():
        button.click()
    errors = page.locator("main .message-error")
    assert errors.count() == 0, errors.all_inner_texts()


def answer_everything(page, email: str) -> dict[str, str]:
    """Check one radio button in every fieldset and fill one textarea; return name → value."""
    chosen: dict[str, str] = {}
    fieldsets = page.locator("main form fieldset")
    count = fieldsets.count()
    assert count > 10
    for index in range(count):
        fieldset = fieldsets.nth(index)
        radios = fieldset.locator("input[type=radio]")
        values = radios.evaluate_all("els => els.map(e => e.value)")
        names = set(radios.evaluate_all("els => els.map(e => e.name)"))
        assert len(names) == 1, names
        if NOT_APPLICABLE_AT.get(email) == index and "na" in values:
            value = "na"
        elif "5" in values:
            value = LIKERT[email][index % len(LIKERT[email])]
        else:
            assert {"0", "1"} <= set(values), values
            value = YESNO[email][index % len(YESNO[email])]
        fieldset.locator(f'input[type=radio][value="{value}"]').check()
        chosen[names.pop()] = value
    textarea = page.locator("main form textarea").first
    textarea.fill(TEXTS[email])
    chosen[textarea.get_attribute("name")] = TEXTS[email]
    return chosen


def expected_results(
    definition: dict[str, Any], answers: list[tuple[bool, dict[str, str]]]
) -> dict[str, tuple[float | None, float | None]]:
    """Module key → (mean score, coordinator minus partners), computed from the form values."""
    out: dict[str, tuple[float | None, float | None]] = {}
    for module in definition["modules"]:
        coordinator: list[float] = []
        partners: list[float] = []
        for is_coordinator, chosen in answers:
            total = weight = 0.0
            for situation in module["situations"] or [""]:
                for indicator in module["indicators"]:
                    raw = chosen.get(f"a__{module['key']}__{situation}__{indicator['key']}")
                    if indicator["kind"] == "text" or raw in (None, "na"):
                        continue
                    value = int(str(raw))
                    score = (value - 1) * 25.0 if indicator["kind"] == "likert" else 100.0 * value
                    if indicator["reverse"]:
                        score = 100.0 - score
                    total += score * indicator["weight"]
                    weight += indicator["weight"]
            if weight:
                (coordinator if is_coordinator else partners).append(round(total / weight, 1))
        scores = coordinator + partners
        mean = round(statistics.fmean(scores), 1) if scores else None
        gap = (
            round(statistics.fmean(coordinator) - statistics.fmean(partners), 1)
            if coordinator and partners
            else None
        )
        out[module["key"]] = (mean, gap)
    return out


def number(text: str) -> float | None:
    text = text.strip()
    return None if text == "—" else float(text.replace("\u2212", "-").replace(",", "."))


def test_a_round_from_invitation_to_radar_chart(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    cell = personas.mechelen.pk
    mail.outbox.clear()
    with override("nl"):
        thanks = gettext("Thank you")
        not_valid = gettext("This link is not valid")

    with browser_page() as alice:
        browser = alice.context.browser

        # 1. Alice opens a round through the form on the scans page.
        sign_in(alice, base, "alice@example.org")
        alice.goto(f"{base}/cells/{cell}/scans/")
        with alice.expect_navigation():
            alice.locator('main a[href$="/scans/new/"]').click()
        alice.fill('main input[name="title"]', TITLE)
        assert alice.is_checked('main input[name="does_case_management"]')
        submit(alice)
        alice.wait_for_url(re.compile(rf"/cells/{cell}/scans/{UUID}/$"))
        round_url = alice.url
        round_id = round_url.rstrip("/").rsplit("/", 1)[1]
        assert alice.locator("main h1").inner_text() == TITLE

        # 2. She sends the personal links: one per active member, after the commit.
        post(alice, alice.locator('main form[action$="/invite/"] button[type=submit]'))
        assert sorted(a for m in mail.outbox for a in m.to) == [
            "alice@example.org",
            "bob@example.org",
            "ilse@example.org",
            "pim@example.org",
        ]
        links: dict[str, str] = {}
        for message in mail.outbox:
            match = re.search(r"/scan/[A-Za-z0-9_-]+/", message.body)
            assert match, message.body
            links[message.to[0]] = f"{base}{match.group(0)}"
        assert len(set(links.values())) == 4

        # 3. Alice (coordinator), Pim and Ilse answer anonymously, without signing in. Results
        #    need at least three answers, so nobody can be recognised.
        submitted: list[tuple[bool, dict[str, str]]] = []
        respondents = (
            ("alice@example.org", True),
            ("pim@example.org", False),
            ("ilse@example.org", False),
        )
        for email, is_coordinator in respondents:
            page = browser.new_context(locale="nl-BE").new_page()
            response = page.goto(links[email])
            assert response is not None and response.status == 200
            assert "/login/" not in page.url
            if not submitted:
                assert axe_violations(page) == []
            chosen = answer_everything(page, email)
            with page.expect_navigation() as navigation:
                page.locator("main form button[type=submit]").last.click()
            assert navigation.value.status == 200
            assert page.locator("main h1").inner_text() == thanks
            submitted.append((is_coordinator, chosen))
            # The link works once.
            again = page.goto(links[email])
            assert again is not None and again.status == 410
            assert page.locator("main h1").inner_text() == not_valid
            page.context.close()

        assert submitted[0][1] != submitted[1][1]
        with scopes_disabled():
            scan_round = Round.objects.select_related("template").get(pk=round_id)
            assert Response.objects.filter(round=scan_round).count() == 3
            assert sorted(
                Response.objects.filter(round=scan_round).values_list("is_coordinator", flat=True)
            ) == [False, False, True]
            assert Answer.objects.filter(response__round=scan_round).count() == sum(
                len(chosen) for _flag, chosen in submitted
            )
        definition = scan_round.template.definition
        expected = expected_results(definition, submitted)

        # 4. Alice closes the round and sees the results, the radar chart and the free text.
        alice.goto(round_url)
        post(alice, alice.locator('main form[action$="/close/"] button[type=submit]'))
        assert alice.url == round_url
        assert alice.locator('main form[action$="/invite/"]').count() == 0
        with scopes_disabled():
            assert Round.objects.get(pk=round_id).closed_at is not None

        rows = alice.locator("section[aria-labelledby=results-heading] table tbody tr")
        titles = {m["title"]["nl"]: m["key"] for m in definition["modules"]}
        shown: dict[str, tuple[float | None, float | None]] = {}
        for index in range(rows.count()):
            row = rows.nth(index)
            cells = row.locator("td").all_inner_texts()
            shown[titles[row.locator("th").inner_text().strip()]] = (
                number(cells[0]),
                number(cells[2]),
            )
        assert shown == expected
        assert all(score is not None for score, _gap in shown.values())
        assert len({score for score, _gap in shown.values()}) > 1

        alice.wait_for_selector('canvas[data-chart="radar"]')
        alice.wait_for_function(
            "() => window.Chart && Chart.getChart(document.querySelector("
            "'canvas[data-chart=\"radar\"]'))"
        )
        chart = alice.evaluate(
            """() => {
                const canvas = document.querySelector('canvas[data-chart="radar"]');
                const box = canvas.getBoundingClientRect();
                const chart = window.Chart && Chart.getChart(canvas);
                return {
                    chartjs: typeof window.Chart === "function",
                    width: canvas.width, height: canvas.height,
                    boxWidth: box.width, boxHeight: box.height,
                    type: chart ? chart.config.type : null,
                    labels: chart ? chart.data.labels : null,
                    data: chart ? chart.data.datasets[0].data : null,
                };
            }"""
        )
        assert chart["chartjs"]
        assert chart["type"] == "radar"
        assert chart["width"] > 0 and chart["height"] > 0
        assert chart["boxWidth"] > 0 and chart["boxHeight"] > 0
        assert [titles[label] for label in chart["labels"]] == list(shown)
        assert chart["data"] == [shown[key][0] for key in shown]

        free_texts = alice.locator("section[aria-labelledby=texts-heading]").inner_text()
        for text in TEXTS.values():
            assert text in free_texts
        assert axe_violations(alice) == []
