"""Django's ``i18n`` template library, with ``{% translate "constant text" %}`` remembered.

Registered under the name ``i18n`` (``TEMPLATES[...]["OPTIONS"]["libraries"]``), so every
``{% load i18n %}`` gets it. Every tag and filter is Django's; only ``translate`` (and its
older name ``trans``) differs: when the text is a constant without filters or message context,
its rendered translation is kept on the template node, per language and autoescape setting.
A page shows a hundred such labels; each one otherwise looks up the active language and the
catalogue and escapes the result again, request after request (about 5 % of a cell page).
Anything else (a variable, a filter, ``context "..."``, ``noop``) renders as Django renders it.
"""

from __future__ import annotations

import itertools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, Parser, Token, render_value_in_context
from django.template.context import Context
from django.templatetags.i18n import TranslateNode, do_translate
from django.templatetags.i18n import register as django_i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.tags)
register.filters.update(django_i18n.filters)

# Bumped when a setting changes (tests: other catalogues, languages), which forgets every
# remembered translation at once.
_generation = itertools.count()
_current = next(_generation)


def _forget(**kwargs: Any) -> None:
    global _current
    _current = next(_generation)


setting_changed.connect(_forget)


def _is_constant(expression: FilterExpression) -> bool:
    variable = expression.var
    return not expression.filters and getattr(variable, "literal", None) is not None


class RememberedTranslateNode(TranslateNode):
    """Django's ``TranslateNode`` (Django 5.2); constant text rendered once per language."""

    def __init__(
        self,
        filter_expression: FilterExpression,
        noop: bool,
        asvar: str | None = None,
        message_context: FilterExpression | None = None,
    ) -> None:
        super().__init__(filter_expression, noop, asvar, message_context)
        self.constant = not noop and message_context is None and _is_constant(filter_expression)
        self.rendered: dict[tuple[str | None, bool], str] = {}
        self.generation = _current

    def render(self, context: Context) -> str:
        if self.constant:
            if self.generation != _current:
                self.rendered, self.generation = {}, _current
            key = (get_language(), context.autoescape)
            value = self.rendered.get(key)
            if value is None:
                value = self.rendered[key] = self._value(context)
        else:
            value = self._value(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _value(self, context: Context) -> str:
        """The middle of Django's ``TranslateNode.render``."""
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        output = self.filter_expression.resolve(context)
        value = render_value_in_context(output, context)
        # Percent signs in template text are doubled so they are not read as format flags.
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value  # noqa: S308  # it was safe already


@register.tag("translate")
@register.tag("trans")
def translate(parser: Parser, token: Token) -> RememberedTranslateNode:
    """``{% translate %}``, parsed by Django's tag."""
    node = do_translate(parser, token)
    return RememberedTranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )
