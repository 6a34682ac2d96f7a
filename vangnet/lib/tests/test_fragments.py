"""A remembered fragment is the template rendered with only its values, kept per values and
language, with each request's own text in its holes."""

from __future__ import annotations

import uuid

import pytest
from django.template import engines
from django.utils import translation

from vangnet.lib import fragments
from vangnet.lib.fragments import forget_remembered, render_remembered


@pytest.fixture
def template(monkeypatch):
    """A template from a string, counting its renderings."""
    rendered = []
    engine = engines["django"]

    class Counting:
        def __init__(self, source):
            self.template = engine.from_string(source)

        def render(self, context):
            rendered.append(dict(context))
            return self.template.render(context)

    sources: dict[str, str] = {}
    monkeypatch.setattr(fragments, "get_template", lambda name: Counting(sources[name]))
    forget_remembered()
    yield sources, rendered
    forget_remembered()


def test_it_renders_once_per_set_of_values(template):
    sources, rendered = template
    sources["t"] = "<b>{{ name }}</b>{% for c in cells %} {{ c.name }}{% endfor %}"
    values = {"name": "Mechelen", "cells": [{"name": "A"}, {"name": "B"}]}
    assert render_remembered("t", values) == "<b>Mechelen</b> A B"
    assert render_remembered("t", dict(values)) == "<b>Mechelen</b> A B"
    assert len(rendered) == 1
    assert render_remembered("t", {**values, "name": "Wingene"}) == "<b>Wingene</b> A B"
    assert render_remembered("t", {**values, "cells": [{"name": "A"}]}) == "<b>Mechelen</b> A"
    assert len(rendered) == 3


def test_it_gives_the_template_nothing_but_the_values(template):
    sources, _rendered = template
    sources["t"] = "[{{ user }}][{{ request }}][{{ name }}]"
    assert render_remembered("t", {"name": "x"}) == "[][][x]"


def test_it_keeps_a_rendering_per_language(template):
    sources, _rendered = template
    sources["t"] = "{% load i18n %}{% translate 'Cases' %}"
    with translation.override("nl"):
        dutch = render_remembered("t", {})
    with translation.override("en"):
        english = render_remembered("t", {})
    assert (dutch, english) == ("Casussen", "Cases")


def test_it_fills_each_hole_with_this_request_s_text_escaped(template):
    sources, rendered = template
    sources["t"] = '<form>{% csrf_token %}<input name="next" value="{{ next }}"></form>{{ next }}'
    first = render_remembered("t", {}, {"csrf_token": "tokenA", "next": "/a/?q=<x>&y=1"})
    second = render_remembered("t", {}, {"csrf_token": "tokenB", "next": "/b/"})
    assert len(rendered) == 1
    assert first == (
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="tokenA">'
        '<input name="next" value="/a/?q=&lt;x&gt;&amp;y=1"></form>/a/?q=&lt;x&gt;&amp;y=1'
    )
    assert "tokenB" in second and "/b/" in second and "tokenA" not in second
    assert "\ue000" not in first + second


def test_a_value_cannot_open_a_hole(template):
    sources, _rendered = template
    sources["t"] = "[{{ name }}][{{ items.0 }}]{% csrf_token %}"
    forged = "a\ue000csrf_token\ue001b"
    out = render_remembered("t", {"name": forged, "items": (forged,)}, {"csrf_token": "tokenA"})
    assert out == (
        "[a\ufffdcsrf_token\ufffdb][a\ufffdcsrf_token\ufffdb]"
        '<input type="hidden" name="csrfmiddlewaretoken" value="tokenA">'
    )


def test_it_escapes_the_values_as_the_template_does(template):
    sources, _rendered = template
    sources["t"] = "{{ name }}"
    assert render_remembered("t", {"name": "<script>"}) == "&lt;script&gt;"


def test_it_refuses_values_that_are_not_plain(template, personas):
    sources, _rendered = template
    sources["t"] = "{{ cell.name }}"
    with pytest.raises(TypeError):
        render_remembered("t", {"cell": personas.mechelen})
    assert render_remembered("t", {"cell": {"name": "Mechelen", "pk": uuid.uuid4()}}) == "Mechelen"


def test_true_and_one_are_different_values(template):
    sources, _rendered = template
    sources["t"] = "{% if flag is True %}yes{% else %}no{% endif %}"
    assert render_remembered("t", {"flag": True}) == "yes"
    assert render_remembered("t", {"flag": 1}) == "no"


def test_it_starts_over_when_full(template, monkeypatch):
    sources, _rendered = template
    sources["t"] = "{{ n }}"
    monkeypatch.setattr(fragments, "MAX_REMEMBERED", 3)
    for n in range(5):
        assert render_remembered("t", {"n": n}) == str(n)
    assert len(fragments._remembered) <= 3
