"""Template filters and tags loaded into every template (``TEMPLATES[...]["OPTIONS"]["builtins"]``).

``url``: Django's ``{% url %}`` tag, with ``lib.urls.reverse_remembered`` instead of
``reverse()``. A page's template asks for the same dozen URLs on every request; each reverse
walks the resolver again.

``date``: Django's ``date`` filter with its results remembered. Formatting a date costs about
25 µs (the format is parsed and every part translated again each time); a list of 50 rows with
two dates spends 2.5 ms of each request on it, and the same rows show the same dates request
after request. The result depends only on the value as the template shows it (already in local
time, with its time zone), the format and the active language, which together are the key.

``truncatechars``: Django's filter, which walks the text character by character (about 25 µs for
a subject), returns at once what is no longer than the limit: the staff queue cuts 25 subjects.

``csrf_token``: Django's ``{% csrf_token %}``, its markup made once per rendering. One rendering
has one token (the context holds it lazily, evaluated once), so every form of a page carries the
same hidden field; building it again through the lazy object and ``format_html`` cost about
40 µs per form, and a meeting agenda has two forms per item.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import stringfilter
from django.template.defaultfilters import truncatechars as django_truncatechars
from django.template.defaulttags import CsrfTokenNode, URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from vangnet.lib.urls import reverse_remembered

register = template.Library()


def _forget(**kwargs: Any) -> None:
    """Settings that shape the result (time zone, formats) changed: tests only."""
    _formatted.cache_clear()


@functools.lru_cache(maxsize=8192)
def _formatted(value: Any, zone: str, arg: str | None, language: str | None) -> str:
    return str(django_date(value, arg))


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Exactly what Django's ``date`` filter gives (see ``lib/tests/test_templatefilters.py``)."""
    if isinstance(value, datetime.datetime | datetime.date):
        zone = ""
        if isinstance(value, datetime.datetime):
            # Equal instants in different zones are equal datetimes, and so are the two
            # readings of a naive time in the hour that repeats in autumn: both are in the key.
            zone = f"{value.tzinfo}|{value.utcoffset()}|{value.fold}"
        return _formatted(value, zone, arg, get_language())
    return str(django_date(value, arg))


setting_changed.connect(_forget)


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value: str, arg: Any) -> str:
    """Exactly what Django's ``truncatechars`` gives (see ``lib/tests/test_templatefilters.py``)."""
    try:
        length = int(arg)
    except ValueError:
        return value
    # Django counts the characters of the NFC form (which may be longer than the text),
    # leaving out combining ones: an NFC form no longer than the limit is returned whole.
    normalised = unicodedata.normalize("NFC", value)
    if length > 0 and len(normalised) <= length:
        return normalised
    return str(django_truncatechars(value, arg))


class RememberedURLNode(URLNode):
    """Django's ``URLNode.render`` (Django 5.2), with ``reverse_remembered``."""

    def render(self, context: Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_remembered(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """``{% url %}``, parsed by Django's tag, rendered with remembered URLs."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


_CSRF_MARKUP = "vangnet.csrf_markup"  # in the render context: (token, its hidden field)


class RememberedCsrfTokenNode(CsrfTokenNode):
    """Django's ``CsrfTokenNode``, rendered once per rendering and token."""

    def render(self, context: Context) -> str:
        token = context.get("csrf_token")
        remembered = context.render_context.get(_CSRF_MARKUP)
        if remembered is not None and remembered[0] is token:
            return remembered[1]
        markup = super().render(context)
        context.render_context[_CSRF_MARKUP] = (token, markup)
        return markup


@register.tag
def csrf_token(parser: Parser, token: Token) -> RememberedCsrfTokenNode:
    """``{% csrf_token %}``: the same hidden field as Django's, made once per rendering."""
    return RememberedCsrfTokenNode()
