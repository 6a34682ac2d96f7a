"""End to end: the coordinator plans a case consultation, proposes the agenda, invites, records
attendance; a partner acknowledges the secrecy duty; the coordinator records the case item, adds
an action, puts a feedback sheet to the vote which every present member approves, and approves
the minutes and downloads them as PDF. The person's name never leaves the case file."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import TOTPDevice
from vangnet.cases.models import Action, Case
from vangnet.cases.services import case_open, participant_add
from vangnet.cells.reference import municipalities_load
from vangnet.meetings.models import AgendaItem, Attendance, FeedbackSheet, Meeting
from vangnet.network.models import Organisation
from vangnet.tests_support.browser import axe_violations, browser_page, fresh_code
from vangnet.tests_support.personas import PASSWORD, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = "Noah Fictief"
NAME_PART = "Noah"
CAW = "CAW Boom Mechelen Lier"
TITLE = "Casusoverleg LIVC R"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


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


def pdf_texts(data: bytes) -> list[str]:
    """The text shown by a WeasyPrint PDF, decoded without a PDF library (none is installed).

    Inflates the streams, reads the fonts' ToUnicode maps and decodes every TJ array with
    each map in turn (a map that does not fit only gives extra garbage strings).
    """
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    cmaps: list[dict[int, str]] = []
    for stream in streams:
        if b"begincmap" not in stream:
            continue
        cmap: dict[int, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for low, high, dst in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                start = int(dst, 16)
                for offset, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    cmap[glyph] = chr(start + offset)
        cmaps.append(cmap)
    texts = []
    for stream in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            glyphs_hex = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", array)).decode()
            glyphs = [int(glyphs_hex[i : i + 4], 16) for i in range(0, len(glyphs_hex), 4)]
            texts += ["".join(cmap.get(g, "?") for g in glyphs) for cmap in cmaps]
    return texts


def test_a_whole_meeting_from_agenda_to_minutes_pdf(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    cell = personas.mechelen.pk
    today = timezone.localdate()
    with scopes_disabled():
        caw = Organisation.objects.get(name=CAW)
        case = case_open(
            cell=personas.mechelen,
            person_name=PERSON,
            person_birth_date=dt.date(2008, 5, 2),
            opened_by=personas.alice,
        )
        participant_add(case=case, organisation=caw, reason="Begeleidt.", user=personas.alice)
        review_before = case.review_due
    code = case.code
    mail.outbox.clear()

    with browser_page() as alice:
        browser = alice.context.browser
        pim = browser.new_context(locale="nl-BE").new_page()
        ilse = browser.new_context(locale="nl-BE").new_page()

        # 1. Alice plans a case consultation.
        sign_in(alice, base, "alice@example.org")
        alice.goto(f"{base}/cells/{cell}/meetings/new/")
        alice.select_option('main select[name="kind"]', "case")
        alice.fill('main input[name="title"]', TITLE)
        alice.fill('main input[name="date"]', today.isoformat())
        alice.fill('main input[name="start"]', "09:00")
        alice.fill('main input[name="end"]', "11:00")
        alice.fill('main input[name="place"]', "Stadhuis, zaal 2")
        submit(alice)
        alice.wait_for_url(re.compile(rf"/cells/{cell}/meetings/{UUID}/$"))
        meeting_url = alice.url
        meeting_id = meeting_url.rstrip("/").rsplit("/", 1)[1]

        # The agenda: the case as an item with its code, never the name; then a free topic.
        post(alice, alice.locator('main form[action$="/agenda/propose/"] button[type=submit]'))
        agenda = alice.locator("main ol.agenda")
        assert code in agenda.inner_text()
        alice.fill('main form[action$="/agenda/topic/"] input[name="title"]', "Lokale trends")
        post(alice, alice.locator('main form[action$="/agenda/topic/"] button[type=submit]'))
        assert "Lokale trends" in agenda.inner_text()
        assert NAME_PART not in alice.content()

        # Invitations: mails with a calendar file, without the person.
        post(alice, alice.locator('main form[action$="/invitations/"] button[type=submit]'))
        recipients = sorted(address for m in mail.outbox for address in m.to)
        assert recipients == sorted(
            ["alice@example.org", "bob@example.org", "ilse@example.org", "pim@example.org"]
        )
        for message in mail.outbox:
            assert NAME_PART not in message.subject and NAME_PART not in message.body
            assert code not in message.body
            ics = [a for a in message.attachments if a[0].endswith(".ics")]
            assert len(ics) == 1
            content = ics[0][1]
            content = content.decode() if isinstance(content, bytes) else content
            assert "BEGIN:VEVENT" in content and TITLE in content
            assert NAME_PART not in content

        # Attendance: Alice, Ilse and Pim were there (Bob was not).
        for person in (personas.alice, personas.ilse, personas.pim):
            alice.check(f'main input[name="present"][value="{person.pk}"]')
        post(alice, alice.locator('main form[action$="/attendance/"] button[type=submit]'))
        with scopes_disabled():
            present = set(
                Attendance.objects.filter(meeting_id=meeting_id, present=True).values_list(
                    "user__email", flat=True
                )
            )
        assert present == {"alice@example.org", "ilse@example.org", "pim@example.org"}
        assert axe_violations(alice) == []

        # 2. Pim opens the meeting, acknowledges the secrecy duty, and sees the case item.
        sign_in(pim, base, "pim@example.org")
        pim.goto(meeting_url)
        assert code in pim.locator("main ol.agenda").inner_text()
        assert NAME_PART not in pim.content()
        post(pim, pim.locator('main form[action$="/secrecy/"] button[type=submit]'))
        assert pim.locator('main form[action$="/secrecy/"]').count() == 0
        with scopes_disabled():
            mine = Attendance.objects.get(meeting_id=meeting_id, user=personas.pim)
        assert mine.secrecy_acknowledged_at is not None

        # 3. Alice records the case item, adds an action and drafts the feedback sheet.
        alice.locator("main ol.agenda a", has_text=code).click()
        alice.wait_for_url(re.compile(rf"/meetings/{meeting_id}/items/{UUID}/$"))
        item_url = alice.url
        item_id = item_url.rstrip("/").rsplit("/", 1)[1]
        next_review = today + dt.timedelta(days=20)
        assert next_review != review_before
        alice.fill('main textarea[name="summary"]', "Situatie stabiel; school betrokken.")
        alice.fill('main textarea[name="decisions"]', "CAW volgt op; herbespreking.")
        alice.fill('main input[name="next_review"]', next_review.isoformat())
        post(alice, alice.locator("main form:has(textarea[name=summary]) button[type=submit]"))
        with scopes_disabled():
            assert Case.objects.get(pk=case.pk).review_due == next_review

        action_form = 'main form[action$="/actions/add/"]'
        alice.select_option(f'{action_form} select[name="owner"]', label=CAW)
        alice.fill(f'{action_form} textarea[name="description"]', "Huisbezoek plannen")
        due = today + dt.timedelta(days=10)
        alice.fill(f'{action_form} input[name="due_date"]', due.isoformat())
        post(alice, alice.locator(f"{action_form} button[type=submit]"))
        with scopes_disabled():
            actions = list(Action.objects.filter(case=case))
        assert [(a.description, a.owner_id, a.status) for a in actions] == [
            ("Huisbezoek plannen", caw.pk, "open")
        ]
        actions_section = alice.locator("section[aria-labelledby=actions-heading]")
        assert "Huisbezoek plannen" in actions_section.inner_text()

        sheet_form = 'main form[action$="/feedback/"]'
        alice.fill(f'{sheet_form} textarea[name="text"]', "Besproken; opvolging via partners.")
        post(alice, alice.locator(f"{sheet_form} button[type=submit]"))
        submit_form = 'main form[action$="/feedback/submit/"]'
        alice.check(f'{submit_form} input[name="no_secrets"]')
        post(alice, alice.locator(f"{submit_form} button[type=submit]"))
        with scopes_disabled():
            sheet = FeedbackSheet.objects.get(item_id=item_id)
            voters = set(sheet.votes.values_list("user__email", flat=True))
        assert sheet.status == "voting"
        assert voters == {"alice@example.org", "ilse@example.org", "pim@example.org"}
        assert axe_violations(alice) == []

        # 4. Every member who was present approves, each on the item page.
        sign_in(ilse, base, "ilse@example.org")
        for page in (alice, ilse, pim):
            page.goto(item_url)
            post(page, page.locator('main button[name="vote"][value="approve"]'))
        with scopes_disabled():
            assert FeedbackSheet.objects.get(item_id=item_id).status == "approved"
        alice.goto(item_url)
        post(alice, alice.locator('main form[action$="/feedback/sent/"] button[type=submit]'))
        with scopes_disabled():
            sheet = FeedbackSheet.objects.get(item_id=item_id)
        assert sheet.status == "sent" and sheet.sent_at is not None

        # 5. Alice approves the minutes and downloads them as PDF.
        alice.goto(f"{meeting_url}minutes/")
        post(alice, alice.locator('main form[action$="/minutes/approve/"] button[type=submit]'))
        with scopes_disabled():
            assert Meeting.objects.get(pk=meeting_id).minutes_version == 1
        minutes = alice.locator("main").inner_text()
        assert code in minutes and "Lokale trends" in minutes
        assert "Situatie stabiel" in minutes
        assert NAME_PART not in alice.content()
        pdf_href = alice.locator('main a[href$="/minutes.pdf"]').get_attribute("href")
        response = alice.request.get(f"{base}{pdf_href}")
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        pdf = response.body()
        assert pdf.startswith(b"%PDF")
        assert NAME_PART.encode() not in pdf
        texts = pdf_texts(pdf)
        assert any(code in text for text in texts), texts  # the decoding works ...
        assert not any(NAME_PART in text for text in texts)  # ... and shows no name

        # The partner's minutes show the case item too (he takes part), still without the name.
        pim.goto(f"{meeting_url}minutes/")
        assert code in pim.locator("main").inner_text()
        assert NAME_PART not in pim.content()

        # 6. Accessibility of the meeting hub and the item page (as they now stand).
        alice.goto(meeting_url)
        assert axe_violations(alice) == []
        alice.goto(item_url)
        assert axe_violations(alice) == []

    with scopes_disabled():
        assert AgendaItem.objects.filter(meeting_id=meeting_id).count() == 2
