"""The theme filters list what a ModelChoiceField over the themes lists, and still check it."""

from __future__ import annotations

import re

import pytest
from django import forms

from vangnet.helpdesk.forms import QueueFilterForm
from vangnet.knowledge.forms import SearchForm
from vangnet.knowledge.models import Theme, theme_options

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


@pytest.mark.parametrize(("form_class", "key"), [(SearchForm, "slug"), (QueueFilterForm, "pk")])
def test_the_theme_select_lists_what_djangos_field_lists(form_class, key):
    Theme.objects.create(slug="zz-laatste", name="Zz laatste", position=99)
    Theme.objects.create(slug="aa-eerste", name="Aa eerste", position=0)

    class Reference(forms.Form):
        theme = forms.ModelChoiceField(
            queryset=Theme.objects.all(),
            required=False,
            empty_label=form_class.base_fields["theme"].empty_label,
            to_field_name="slug" if key == "slug" else None,
        )

    expected = _options(str(Reference()["theme"]))
    assert len(expected) == Theme.objects.count() + 1
    assert _options(str(form_class()["theme"])) == expected
    chosen = expected[-1][0]
    bound = form_class({"theme": chosen})
    assert f'<option value="{chosen}" selected>' in str(bound["theme"])
    assert bound.is_valid() or "theme" not in bound.errors
    assert form_class({"theme": "no-such-theme"}).errors.get("theme")


def test_theme_options_follow_the_models_order():
    assert [name for _key, name in theme_options()] == [theme.name for theme in Theme.objects.all()]


def test_theme_options_are_kept_for_the_aggregate_period(settings, django_assert_num_queries):
    from vangnet.lib.aggregates import aggregates_forget

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 60
    aggregates_forget()
    first = theme_options("slug")
    with django_assert_num_queries(0):
        assert theme_options("slug") == first
    Theme.objects.create(slug="nieuw", name="Nieuw", position=99)
    assert ("nieuw", "Nieuw") not in theme_options("slug")  # until the period ends
    aggregates_forget()
    assert ("nieuw", "Nieuw") in theme_options("slug")
