"""Rich text (knowledge items, canned answers): a small HTML allowlist enforced with nh3.

Editors write simple HTML (headings, paragraphs, lists, links, emphasis, tables). Input that
contains anything active (script, style, event handlers, ``javascript:`` links, frames, forms,
embedded objects) is *refused* with a clear message rather than silently cleaned, so the editor
knows what happened and nothing changes. What is accepted is still passed through nh3 before it is
stored, and again when it is rendered (``richtext_clean`` is idempotent), so the database never
holds HTML that the allowlist would not produce.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Final

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS: Final = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
    }
)
ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}
URL_SCHEMES: Final = frozenset({"https", "http", "mailto"})

# Tags refused as *active* (the message says so); any other tag outside the allowlist is refused
# by name, so the editor knows what to change.
_ACTIVE_TAGS: Final = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "option",
        "link",
        "meta",
        "base",
        "svg",
        "math",
        "template",
        "noscript",
        "portal",
        "video",
        "audio",
        "source",
        "track",
        "img",
        "picture",
        "canvas",
        "dialog",
        "slot",
    }
)
_ACTIVE_ATTRIBUTES: Final = frozenset(
    {"style", "srcdoc", "formaction", "action", "src", "srcset", "background", "xlink:href"}
)
_CONTROL_AND_SPACE: Final = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME: Final = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_TAG: Final = re.compile(r"<[^>]*>")
_BLOCK_END: Final = re.compile(r"</(p|h[1-6]|li|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_SPACES: Final = re.compile(r"[ \t\r\f\v]+")


def richtext_clean(value: str) -> str:
    """The value reduced to the allowlist (links get rel="noopener noreferrer")."""
    return nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def richtext_validate(value: str) -> None:
    """Refuse active content and tags outside the allowlist, with a message the editor understands.

    The markup is parsed (``html.parser``, which decodes entities in attribute values), so
    ``&#106;avascript:`` or a tab inside ``javascript:`` is recognised, and ordinary prose that
    merely *mentions* "JavaScript:" is not refused: only tags and attributes are checked.
    """
    checker = _Checker()
    checker.feed(value or "")
    checker.close()
    if checker.active:
        raise ValidationError(
            _(
                "The text contains active content (scripts, styles, images, forms, event "
                "handlers or links that are not web or e-mail addresses), which is not allowed. "
                "Use only headings, paragraphs, lists, links, emphasis and tables."
            ),
            code="active_content",
        )
    if checker.unknown_tags:
        raise ValidationError(
            _("These tags are not allowed: %(tags)s. Allowed are: %(allowed)s."),
            code="tag_not_allowed",
            params={
                "tags": ", ".join(f"<{tag}>" for tag in sorted(checker.unknown_tags)),
                "allowed": ", ".join(f"<{tag}>" for tag in sorted(ALLOWED_TAGS)),
            },
        )


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active = False
        self.unknown_tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)
        for name, raw in attrs:
            name = name.lower()
            event_or_embed = name.startswith("on") or name in _ACTIVE_ATTRIBUTES
            if event_or_embed or (name == "href" and not _safe_href(raw or "")):
                self.active = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag)

    def _tag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _ACTIVE_TAGS:
            self.active = True
        elif tag not in ALLOWED_TAGS:
            self.unknown_tags.add(tag)


def _safe_href(value: str) -> bool:
    """A relative link, or an absolute one with an allowed scheme (after decoding)."""
    compact = _CONTROL_AND_SPACE.sub("", value)
    match = _SCHEME.match(compact)
    return match is None or match.group(1).lower() in URL_SCHEMES


def richtext_render(value: str) -> SafeString:
    """Sanitised HTML, safe to insert in a template (cleaned again on the way out)."""
    return mark_safe(richtext_clean(value))  # noqa: S308 - nh3 output with a strict allowlist


def richtext_to_text(value: str) -> str:
    """Plain text for search and previews: tags removed, entities decoded, spaces collapsed."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
