"""Template filters of the knowledge base."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from vangnet.lib.richtext import richtext_render

register = template.Library()


@register.filter(name="richtext")
def richtext(value: str | None) -> SafeString:
    """Sanitised rich text (nh3 allowlist, applied again on the way out)."""
    return richtext_render(value or "")
