"""Every helpdesk page: no inline script or style (CSP), labelled fields, headings in order."""

from __future__ import annotations

import itertools
import re

import pytest

from vangnet.helpdesk.models import CannedAnswer
from vangnet.helpdesk.tests.factories import answer, make_question, pdf
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def assert_clean(html: str, path: str) -> None:
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
    assert not re.search(r"\son[a-z]+\s*=", html), path
    assert not re.search(r"<[a-z]+[^>]*\sstyle=", html), path
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels and levels[0] == 1, path
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, (path, levels)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit)"', tag):
            continue
        field_id = re.search(r'id="([^"]+)"', tag)
        assert field_id and field_id.group(1) in labelled, (path, tag)


def test_asker_pages_are_clean(personas, client, theme):
    question = make_question(personas.pim, attachments=[pdf()])
    answer(question, personas.vera)
    sign_in(client, personas.pim)
    for path in ("/helpdesk/", "/helpdesk/ask/", f"/helpdesk/{question.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_clean(response.content.decode(), path)


def test_staff_pages_are_clean(personas, client, theme):
    question = make_question(personas.pim, attachments=[pdf()])
    answer(question, personas.vera)
    canned = CannedAnswer.objects.create(title="Beroepsgeheim", body="Zie art. 458ter.")
    sign_in(client, personas.vera)
    for path in (
        "/helpdesk/queue/",
        "/helpdesk/canned/",
        "/helpdesk/canned/new/",
        f"/helpdesk/canned/{canned.pk}/",
        "/helpdesk/statistics/",
        f"/helpdesk/{question.pk}/",
        f"/helpdesk/{question.pk}/?canned={canned.pk}",
        f"/helpdesk/{question.pk}/faq/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_clean(response.content.decode(), path)


def test_the_outsider_page_is_clean(personas, client):
    sign_in(client, personas.olaf)
    response = client.get("/helpdesk/")
    assert_clean(response.content.decode(), "/helpdesk/")
