"""End to end: an anonymous visitor browses, searches and downloads from the public knowledge
base; every page passes axe-core with no violation of any impact."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vangnet.accounts.models import PlatformRole
from vangnet.knowledge.models import Audience, ItemKind, ItemStatus, Theme
from vangnet.knowledge.services import item_create, item_file_add
from vangnet.tests_support.browser import axe_violations, browser_page
from vangnet.tests_support.personas import make_user

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_visitor_searches_and_reads_public_knowledge(live_server):
    # Earlier transactional tests flushed the migration's themes.
    theme, _created = Theme.objects.get_or_create(
        slug="casusoverleg", defaults={"name": "Casusoverleg en methodiek"}
    )
    vera = make_user("vera@example.org", "Vera VVSG", platform_role=PlatformRole.VVSG_STAFF)
    playbook = item_create(
        actor=vera,
        kind=ItemKind.DOCUMENT,
        title="Draaiboek LIVC R",
        summary="Het draaiboek voor de lokale integrale veiligheidscel.",
        body="<h2>Inhoud</h2><p>Hoe een <strong>casusoverleg</strong> verloopt.</p>",
        audience=Audience.PUBLIC,
        status=ItemStatus.PUBLISHED,
        themes=[theme],
        tags=["draaiboek"],
    )
    item_file_add(item=playbook, upload=SimpleUploadedFile("x.pdf", PDF), note="", actor=vera)
    faq = item_create(
        actor=vera,
        kind=ItemKind.FAQ,
        title="Wie nodigt de partners uit voor het casusoverleg?",
        body="<p>De coördinator nodigt de partners uit.</p>",
        audience=Audience.PUBLIC,
        status=ItemStatus.PUBLISHED,
        themes=[theme],
        related=[playbook],
    )
    item_create(
        actor=vera,
        kind=ItemKind.PAGE,
        title="Alleen voor leden: casusoverleg intern",
        audience=Audience.MEMBERS,
        status=ItemStatus.PUBLISHED,
    )
    base = live_server.url
    with browser_page() as page:
        page.goto(f"{base}/knowledge/")
        assert page.get_by_role("heading", level=1).count() == 1
        assert "Alleen voor leden" not in page.content()
        assert axe_violations(page, every_impact=True) == []

        page.get_by_role("searchbox").fill("casusoverleg partners")
        page.get_by_role("searchbox").press("Enter")
        page.wait_for_url("**/knowledge/?q=*")
        results = page.locator("main ol li h3")
        assert results.all_inner_texts() == [faq.title]
        assert axe_violations(page, every_impact=True) == []

        page.get_by_role("link", name=faq.title).click()
        page.wait_for_url(f"**/knowledge/{faq.pk}/")
        assert axe_violations(page, every_impact=True) == []
        page.get_by_role("link", name="Draaiboek LIVC R").click()
        page.wait_for_url(f"**/knowledge/{playbook.pk}/")
        assert axe_violations(page, every_impact=True) == []
        with page.expect_download() as download:
            page.locator(f"a[href*='/knowledge/{playbook.pk}/files/']").click()
        assert download.value.suggested_filename == "draaiboek-livc-r-v1.pdf"

        page.goto(f"{base}/knowledge/?q=%20%20")
        assert page.locator("main [role=status]").count() == 1
        assert axe_violations(page, every_impact=True) == []
