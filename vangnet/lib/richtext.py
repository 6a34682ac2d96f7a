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

_ACTIVE_CONTENT: Final = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|frameset|object|embed|applet|form|input|button|"
    r"textarea|select|link|meta|base|svg|math|template)\b"
    r"|\son[a-z]+\s*="
    r"|(?:java|vb)script\s*:"
    r"|data\s*:\s*text/html"
    r"|\sstyle\s*=",
    re.IGNORECASE,
)
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
    """Refuse active content with a message the editor understands."""
    if _ACTIVE_CONTENT.search(value or ""):
        raise ValidationError(
            _(
                "The text contains scripts, styles, forms or other active content, which are not "
                "allowed. Use only headings, paragraphs, lists, links, emphasis and tables."
            ),
            code="active_content",
        )


def richtext_render(value: str) -> SafeString:
    """Sanitised HTML, safe to insert in a template (cleaned again on the way out)."""
    return mark_safe(richtext_clean(value))  # noqa: S308 - nh3 output with a strict allowlist


def richtext_to_text(value: str) -> str:
    """Plain text for search and previews: tags removed, entities decoded, spaces collapsed."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
