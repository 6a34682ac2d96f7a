"""`{% translate %}` with constant text remembered per language renders exactly as Django's."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.utils import translation

from vangnet.lib.i18n_tags import RememberedTranslateNode

SOURCES = [
    '{% translate "Edit" %}',
    "{% trans 'Remove' %}",
    '{% translate "Back to the cases" as label %}[{{ label }}]',
    '{% translate "Edit" noop %}',
    '{% translate "Edit"|upper %}',
    '{% translate "May" context "month name" %}',
    '{% translate "100%% <sure> & done" %}',
    '{% translate "50%" %}',
    "{% translate word %}",
    "{% translate word as again %}{{ again }}",
    "{% blocktranslate with n=word %}Hello {{ n }}{% endblocktranslate %}",
    "{% get_current_language as lang %}{{ lang }}",
]
CONTEXT = {"word": "Edit <b>"}


def _translate_nodes(template: Template) -> list[RememberedTranslateNode]:
    return [
        node
        for node in template.nodelist.get_nodes_by_type(RememberedTranslateNode)
        if isinstance(node, RememberedTranslateNode)
    ]


def _django_engine() -> Engine:
    """An engine with Django's own i18n library, to compare with."""
    return Engine(
        builtins=["vangnet.lib.templatefilters"],
        libraries={"i18n": "django.templatetags.i18n"},
    )


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_it_renders_like_djangos_translate(source: str, language: str, autoescape: bool) -> None:
    ours = Template("{% load i18n %}" + source)
    theirs = _django_engine().from_string("{% load i18n %}" + source)
    with translation.override(language):
        for _ in range(2):  # the second time from what was remembered
            expected = theirs.render(Context(CONTEXT, autoescape=autoescape))
            assert ours.render(Context(CONTEXT, autoescape=autoescape)) == expected


def test_it_replaces_djangos_translate_in_every_template() -> None:
    template = Template('{% load i18n %}{% translate "Edit" %}{% trans "Edit" %}')
    nodes = _translate_nodes(template)
    assert len(nodes) == 2
    assert all(node.constant for node in nodes)


def test_it_remembers_constant_text_per_language() -> None:
    template = Template('{% load i18n %}{% translate "Back to the cases" %}')
    with translation.override("nl"):
        assert template.render(Context()) == "Terug naar de casussen"
    with translation.override("en"):
        assert template.render(Context()) == "Back to the cases"
    with translation.override("nl"):
        assert template.render(Context()) == "Terug naar de casussen"


def test_it_translates_variables_every_time() -> None:
    template = Template("{% load i18n %}{% translate word %}")
    (node,) = _translate_nodes(template)
    assert not node.constant
    with translation.override("nl"):
        assert template.render(Context({"word": "Edit"})) == "Bewerken"
        assert template.render(Context({"word": "Remove"})) == "Verwijderen"
        assert template.render(Context({"word": "<i>"})) == "&lt;i&gt;"


def test_it_forgets_what_it_remembered_when_a_setting_changes() -> None:
    template = Template('{% load i18n %}{% translate "Edit" %}')
    (node,) = _translate_nodes(template)
    with translation.override("nl"):
        template.render(Context())
        assert node.rendered == {("nl", True): "Bewerken"}
        node.rendered[("nl", True)] = "stale"
        with override_settings(LANGUAGES=[("nl", "Nederlands"), ("en", "English")]):
            assert template.render(Context()) == "Bewerken"


def test_the_template_check_accepts_the_i18n_override_and_still_reports_other_clashes() -> None:
    from vangnet.lib.template_backend import DjangoTemplates

    def clashes(libraries: dict[str, str]) -> list[str]:
        backend = DjangoTemplates(
            {"NAME": "t", "DIRS": [], "APP_DIRS": False, "OPTIONS": {"libraries": libraries}}
        )
        return [w.msg for w in backend.check() if w.id == "templates.W003"]

    assert clashes({"i18n": "vangnet.lib.i18n_tags"}) == []
    (message,) = clashes({"i18n": "vangnet.lib.i18n_tags", "static": "vangnet.lib.i18n_tags"})
    assert message.startswith("'static'")
    assert clashes({"i18n": "vangnet.lib.templatefilters"})  # not the deliberate module
