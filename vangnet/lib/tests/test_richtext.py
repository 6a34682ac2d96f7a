"""Rich text: a small allowlist, active content refused with a message, sanitised on the way out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vangnet.lib.richtext import (
    richtext_clean,
    richtext_render,
    richtext_to_text,
    richtext_validate,
)

ACTIVE = [
    "<p>Hallo</p><script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    "<iframe src='https://example.org'></iframe>",
    '<p style="background:url(x)">tekst</p>',
    "<svg><circle onload=alert(1)></svg>",
    '<form action="https://evil.example"><input name="x"></form>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "<STYLE>body{}</STYLE>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "<img/src=x/onerror=alert(1)>",
    '<p srcdoc="x">y</p>',
    '<a href="vbscript:x">y</a>',
]


@pytest.mark.parametrize("value", ACTIVE)
def test_it_refuses_active_content_with_a_message(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        richtext_validate(value)
    assert caught.value.code == "active_content"


@pytest.mark.parametrize("value", ACTIVE)
def test_cleaning_removes_active_content_anyway(value: str) -> None:
    cleaned = richtext_clean(value).lower()
    for needle in ("<script", "onerror", "javascript:", "<iframe", "style=", "<form", "<svg"):
        assert needle not in cleaned


@pytest.mark.parametrize(
    "value",
    [
        "<p>Zonder JavaScript: werkt het?</p>",
        "<p>kosten online = gratis, data: text/html is een type</p>",
        '<p>Zie <a href="/knowledge/">de kennisbank</a> of '
        '<a href="mailto:livc@vvsg.example">mail ons</a>.</p>',
        "Gewone tekst zonder tags, met 3 < 5 en onload=1 als woorden.",
    ],
)
def test_it_accepts_prose_that_only_mentions_active_words(value: str) -> None:
    richtext_validate(value)


def test_it_names_tags_outside_the_allowlist() -> None:
    with pytest.raises(ValidationError) as caught:
        richtext_validate("<div><span>tekst</span></div>")
    assert caught.value.code == "tag_not_allowed"
    assert "<div>" in caught.value.messages[0] and "<span>" in caught.value.messages[0]


def test_it_keeps_the_allowed_structure() -> None:
    value = (
        "<h2>Titel</h2><p>Een <strong>vette</strong> en <em>schuine</em> tekst met een "
        '<a href="https://www.vvsg.be">link</a>.</p><ul><li>een</li><li>twee</li></ul>'
        '<table><tr><th scope="col">a</th></tr><tr><td>b</td></tr></table>'
    )
    richtext_validate(value)
    cleaned = richtext_clean(value)
    for tag in ("<h2>", "<strong>", "<em>", "<ul>", "<li>", "<table>", '<th scope="col">'):
        assert tag in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_cleaning_is_idempotent() -> None:
    once = richtext_clean('<p>a <a href="https://x.example">b</a><b>c</b></p>')
    assert richtext_clean(once) == once


def test_render_is_safe_html() -> None:
    rendered = richtext_render("<p>x</p><script>y</script>")
    assert "<script" not in rendered
    assert hasattr(rendered, "__html__")


def test_plain_text_keeps_words_and_decodes_entities() -> None:
    text = richtext_to_text("<h2>Gedeeld&nbsp;beroepsgeheim</h2><p>Art. 458ter &amp; co</p>")
    assert text.split("\n") == ["Gedeeld\xa0beroepsgeheim", "Art. 458ter & co"]
