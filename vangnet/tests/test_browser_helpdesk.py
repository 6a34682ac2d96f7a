"""End to end (issue 7): question → staff answer → FAQ item → found by search.

Mona (municipal staff of Mechelen) asks VVSG a question; the personal-data check stops her first
text and stores nothing, so she anonymises it. Vera (VVSG staff) finds the question in the queue,
starts from a canned answer, links a knowledge item and replies: Mona gets an e-mail with the
reference and a link, never the question or the reply. Vera makes a public FAQ item of the
answer, and an anonymous visitor finds it by searching the knowledge base with another
inflection of a word in its text (Dutch stemming on PostgreSQL, the simple fallback on SQLite).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from vangnet.cells.reference import municipalities_load
from vangnet.helpdesk.models import MessageKind, Question, QuestionStatus
from vangnet.helpdesk.services import canned_answer_save
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus, Theme
from vangnet.knowledge.services import item_create
from vangnet.tests_support.browser import (
    axe_violations,
    browser_page,
    sign_in_browser,
    submit,
)
from vangnet.tests_support.personas import make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SUBJECT = "Gegevens delen met de school"
# A name with a date of birth and a phone number: the check must stop this text.
IDENTIFYING = (
    "Jan Peeters (12/03/2009) uit onze gemeente wordt besproken op het casusoverleg. "
    "Zijn moeder belt ons op 0470 12 34 56. Mogen we zijn gegevens delen met de school?"
)
ANONYMOUS = (
    "Een jongere (16) uit onze gemeente wordt besproken op het casusoverleg. Mogen we zijn "
    "gegevens zonder toestemming van de ouders delen met de school?"
)
CANNED_TITLE = "Delen met partners buiten de cel"
CANNED_BODY = "Een school neemt niet deel aan het casusoverleg en is geen partner van de cel."
REPLY_EXTRA = "Vraag de ouders eerst om hun akkoord; zonder akkoord deelt de cel niets."
LINKED_TITLE = "Gedeeld beroepsgeheim in de LIVC R"
FAQ_TITLE = "Mag een LIVC R informatie over een jongere aan een school geven?"
FAQ_BODY = (
    "<p>Een school is geen partner van het casusoverleg. De cel deelt daarom geen informatie "
    "met een school, tenzij de betrokkene of de ouders daartoe uitdrukkelijke toestemming "
    "geven.</p>\n<h2>Wat kan wel?</h2>\n<ul><li>De school doorverwijzen naar de hulpverlening."
    "</li><li>Algemene informatie geven over de werking van de cel.</li></ul>"
)
# "toestemmingen" is not in the text, "toestemming" is: a different inflection of the same word.
QUERY = "toestemmingen"


def post(page, button) -> None:
    """Click a submit button, wait for the redirect's page, and fail on an error message."""
    with page.expect_navigation():
        button.click()
    errors = page.locator("main .message-error, main .error-summary")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_question_becomes_a_faq_item_found_by_search(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    with scopes_disabled():
        # The themes come from a data migration, which a transactional test's flush removes.
        theme, _created = Theme.objects.get_or_create(
            slug="beroepsgeheim", defaults={"name": "Gedeeld beroepsgeheim en privacy"}
        )
        canned = canned_answer_save(
            canned=None,
            actor=personas.vera,
            title=CANNED_TITLE,
            body=CANNED_BODY,
            theme=theme,
            active=True,
        )
        linked = item_create(
            actor=personas.vera,
            kind=ItemKind.PAGE,
            title=LINKED_TITLE,
            audience=Audience.MEMBERS,
            status=ItemStatus.PUBLISHED,
            body="<p>Wie deelt wat binnen het casusoverleg, en onder welke voorwaarden.</p>",
            themes=[theme],
        )
    mail.outbox.clear()

    with browser_page() as mona:
        browser = mona.context.browser

        # 1. Mona signs in; without cell pages her home is the helpdesk.
        sign_in_browser(mona, base, "mona@example.org", "**/helpdesk/")
        assert axe_violations(mona) == []
        with mona.expect_navigation():
            mona.locator('main a[href$="/helpdesk/ask/"]').click()
        assert mona.url == f"{base}/helpdesk/ask/"
        assert axe_violations(mona) == []

        # Her first text names a young person with a date of birth and a phone number.
        mona.select_option('main select[name="theme"]', str(theme.pk))
        assert mona.input_value('main select[name="municipality"]') == "12025"
        mona.fill('main input[name="subject"]', SUBJECT)
        mona.fill('main textarea[name="body"]', IDENTIFYING)
        with mona.expect_navigation():
            submit(mona)
        assert mona.url == f"{base}/helpdesk/ask/"
        warning = mona.locator("main section.personal-data-warning")
        assert warning.count() == 1
        found = warning.locator("mark").all_inner_texts()
        assert any("Jan Peeters" in text for text in found), found
        assert any("0470 12 34 56" in text for text in found), found
        assert mona.locator("main .error-summary").count() == 1
        # The confirmation box appears, unticked: Mona anonymises instead of confirming.
        assert not mona.is_checked('main input[type=checkbox][name="personal_data_confirmed"]')
        assert Question.objects.count() == 0
        assert axe_violations(mona) == []

        mona.fill('main textarea[name="body"]', ANONYMOUS)
        post(mona, mona.locator("main form button[type=submit]").last)
        mona.wait_for_url(re.compile(rf"/helpdesk/{UUID}/$"))
        question = Question.objects.get()
        assert mona.url == f"{base}/helpdesk/{question.pk}/"
        assert re.fullmatch(r"V-\d{4}-0001", question.reference)
        assert (question.subject, question.body) == (SUBJECT, ANONYMOUS)
        assert question.asker_id == personas.mona.pk
        assert question.theme_id == theme.pk and question.municipality_id == "12025"
        assert question.personal_data_confirmed is False
        assert question.reference in mona.locator("main h1").inner_text()
        assert question.reference in mona.locator("main .message-success").inner_text()
        assert axe_violations(mona) == []
        question_url = mona.url

        # 2. Vera signs in (her own browser context), opens the queue and the question.
        vera = browser.new_context(locale="nl-BE").new_page()
        sign_in_browser(vera, base, "vera@example.org", "**/support/")
        vera.goto(f"{base}/helpdesk/")
        assert vera.url == f"{base}/helpdesk/queue/"
        row_link = vera.locator("main table.helpdesk-queue a", has_text=question.reference)
        assert row_link.count() == 1
        assert axe_violations(vera) == []
        with vera.expect_navigation():
            row_link.click()
        assert vera.url == question_url
        assert ANONYMOUS in vera.locator("main").inner_text()

        # She starts from the canned answer, adds a sentence and links a knowledge item.
        vera.select_option("main select#canned-picker", str(canned.pk))
        with vera.expect_navigation():
            vera.locator("main form.helpdesk-canned button[type=submit]").click()
        assert vera.input_value("main textarea#reply-body") == CANNED_BODY
        assert axe_violations(vera) == []
        vera.fill("main textarea#reply-body", f"{CANNED_BODY}\n\n{REPLY_EXTRA}")
        vera.select_option("main select#reply-linked_items", str(linked.pk))
        assert vera.input_value("main select#reply-status") == QuestionStatus.ANSWERED
        post(vera, vera.locator('main form[action$="/reply/"] button[type=submit]'))
        assert vera.url == question_url

        question.refresh_from_db()
        assert question.status == QuestionStatus.ANSWERED
        assert question.first_response_at is not None
        reply = question.messages.get(kind=MessageKind.REPLY)
        assert reply.author_id == personas.vera.pk
        # A browser sends a textarea's line breaks as CRLF.
        assert reply.body.replace("\r\n", "\n") == f"{CANNED_BODY}\n\n{REPLY_EXTRA}"
        assert list(reply.linked_items.all()) == [linked]

        # Mona's e-mail says that there is an answer, and where; never what.
        assert [m.to for m in mail.outbox] == [["mona@example.org"]]
        message = mail.outbox[0]
        text = f"{message.subject}\n{message.body}"
        assert question.reference in message.subject
        assert question.reference in message.body
        assert f"/helpdesk/{question.pk}/" in message.body
        for secret in (SUBJECT, ANONYMOUS, CANNED_BODY, REPLY_EXTRA, "jongere", "school"):
            assert secret not in text, secret

        # 3. Vera makes a public, published FAQ item of the answer.
        faq_section = vera.locator("main section[aria-labelledby=faq-heading]")
        with vera.expect_navigation():
            faq_section.locator('a[href$="/faq/"]').click()
        assert vera.url == f"{question_url}faq/"
        # The suggestion starts from the question and the reply.
        assert "jongere" in vera.input_value('main textarea[name="body"]')
        assert vera.input_value('main input[name="title"]') == SUBJECT
        assert axe_violations(vera) == []
        vera.fill('main input[name="title"]', FAQ_TITLE)
        vera.fill('main textarea[name="body"]', FAQ_BODY)
        vera.select_option('main select[name="theme"]', str(theme.pk))
        vera.select_option('main select[name="audience"]', Audience.PUBLIC)
        vera.check(f'main input[type=radio][name="status"][value="{ItemStatus.PUBLISHED}"]')
        post(vera, vera.locator("main form button[type=submit]").last)
        assert vera.url == question_url

        question.refresh_from_db()
        faq = Item.objects.get(kind=ItemKind.FAQ)
        assert question.faq_item_id == faq.pk
        assert faq.title == FAQ_TITLE
        assert (faq.audience, faq.status) == (Audience.PUBLIC, ItemStatus.PUBLISHED)
        assert faq.published_at is not None
        assert list(faq.themes.all()) == [theme]
        assert "Jan" not in faq.body_text and "jongere" not in faq.body_text
        faq_link = faq_section.locator(f'a[href="/knowledge/{faq.pk}/"]')
        assert faq_link.inner_text() == FAQ_TITLE
        assert faq_section.locator('a[href$="/faq/"]').count() == 0
        assert axe_violations(vera) == []

        # Mona reads the reply and the linked item on her question page.
        mona.goto(question_url)
        thread = mona.locator("main ol.helpdesk-thread")
        assert REPLY_EXTRA in thread.inner_text()
        assert thread.locator(f'a[href="/knowledge/{linked.pk}/"]').count() == 1
        assert axe_violations(mona) == []

        # 4. An anonymous visitor searches the public knowledge base and opens the FAQ item.
        visitor = browser.new_context(locale="nl-BE").new_page()
        response = visitor.goto(f"{base}/knowledge/")
        assert response is not None and response.status == 200
        assert "/login/" not in visitor.url
        assert axe_violations(visitor, every_impact=True) == []
        search = visitor.locator("main form[role=search]")
        search.locator('input[name="q"]').fill(QUERY)
        with visitor.expect_navigation():
            search.locator("button[type=submit]").click()
        assert re.search(rf"[?&]q={QUERY}(&|$)", visitor.url), visitor.url
        results = visitor.locator("main ol.knowledge-list")
        hit = results.locator(f'a[href="/knowledge/{faq.pk}/"]')
        assert hit.count() == 1
        assert hit.inner_text() == FAQ_TITLE
        # The members-only item linked in the reply is not public.
        assert results.locator(f'a[href="/knowledge/{linked.pk}/"]').count() == 0
        assert axe_violations(visitor, every_impact=True) == []
        with visitor.expect_navigation():
            hit.click()
        assert visitor.url == f"{base}/knowledge/{faq.pk}/"
        assert visitor.locator("main h1").inner_text() == FAQ_TITLE
        body = visitor.locator("main .knowledge-body").inner_text()
        assert "toestemming" in body
        assert axe_violations(visitor, every_impact=True) == []

    with scopes_disabled():
        assert Question.objects.count() == 1
