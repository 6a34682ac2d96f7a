"""FastSelect renders what Django's Select renders, without a template per option."""

from __future__ import annotations

import re

import pytest
from django import forms

from vangnet.lib.widgets import FastSelect

CHOICES = [("", "All <x>"), ("a&b", "A & B"), ("c", 'C "q"')]
GROUPED = [("G <1>", [("1", "one"), ("2", "two")]), ("3", "three")]
# Django's edge cases: a top-level None is the empty value, None inside a group is "None", a
# group without a name has no <optgroup>, and only the first of equal values is selected.
ODD = [
    (None, "nothing"),
    ("", [("x", "ex"), (None, "none in a group")]),
    (None, [("y", "why")]),
    ("x", "ex again"),
]


def _attributes(html: str) -> list[tuple[str, list[str]]]:
    """Each tag with its attributes sorted: the order of attributes does not matter."""
    return [
        (tag, sorted(re.findall(r'[\w-]+(?:="[^"]*")?', attrs)))
        for tag, attrs in re.findall(r"<(/?\w+)([^>]*)>", html)
    ] + [("text", [t for t in re.findall(r">([^<]+)<", html) if t.strip()])]


def _forms(widget: type[forms.Select]) -> type[forms.Form]:
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=CHOICES, required=False, widget=widget, help_text="h")
        grouped = forms.ChoiceField(choices=GROUPED, widget=widget)
        odd = forms.ChoiceField(choices=ODD, required=False, widget=widget, disabled=True)

    return Form


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a&b", "grouped": "2"},
        {"plain": "zz"},
        {"odd": "x"},
        {"odd": "None"},
        {"odd": ""},
    ],
)
def test_it_renders_the_same_markup_as_djangos_select(data):
    django_form, fast_form = _forms(forms.Select)(data), _forms(FastSelect)(data)
    for name in ("plain", "grouped", "odd"):
        assert _attributes(str(fast_form[name])) == _attributes(str(django_form[name]))


def test_it_escapes_labels_and_values():
    html = str(_forms(FastSelect)({"plain": "a&b", "grouped": "2"})["plain"])
    assert "All &lt;x&gt;" in html and 'value="a&amp;b" selected' in html
    assert "<x>" not in html


def test_it_remembers_options_but_never_across_other_choices_or_selections():
    first = str(_forms(FastSelect)({"plain": "c"})["plain"])
    again = str(_forms(FastSelect)({"plain": "c"})["plain"])
    other = str(_forms(FastSelect)({"plain": "a&b"})["plain"])
    assert first == again
    assert 'value="c" selected' in first and 'value="c" selected' not in other

    class Renamed(forms.Form):
        plain = forms.ChoiceField(
            choices=[("", "All <x>"), ("a&b", "A and B"), ("c", 'C "q"')],
            required=False,
            widget=FastSelect,
        )

    assert "A and B" in str(Renamed({"plain": "c"})["plain"])


def test_it_tells_a_top_level_none_from_the_text_none():
    class Form(forms.Form):
        none = forms.ChoiceField(choices=[(None, "x")], required=False, widget=FastSelect)
        text = forms.ChoiceField(choices=[("None", "x")], required=False, widget=FastSelect)

    form = Form()
    assert 'value=""' in str(form["none"]) and 'value="None"' in str(form["text"])


def test_a_label_marked_safe_and_a_plain_label_that_reads_the_same_do_not_share_markup():
    from django.utils.safestring import mark_safe

    safe = FastSelect(choices=[("1", mark_safe("<b>x</b>"))]).render("f", "1")
    plain = FastSelect(choices=[("1", "<b>x</b>")]).render("f", "1")
    assert "<b>x</b></option>" in safe
    assert "&lt;b&gt;x&lt;/b&gt;</option>" in plain
    assert _attributes(plain) == _attributes(
        forms.Select(choices=[("1", "<b>x</b>")]).render("f", "1")
    )


def test_it_renders_an_empty_group_and_safe_values_as_django_does():
    from django.utils.safestring import mark_safe

    choices = [("E", []), (mark_safe("v&amp;w"), "vw"), ("q", mark_safe("<b>Q</b>"))]
    for data in (None, {"field": "v&amp;w"}):
        rendered = []
        for widget in (forms.Select, FastSelect):

            class Form(forms.Form):
                field = forms.ChoiceField(choices=choices, required=False, widget=widget)

            rendered.append(_attributes(str(Form(data)["field"])))
        assert rendered[0] == rendered[1]


def test_it_renders_translated_labels_in_the_reader_s_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    class Form(forms.Form):
        field = forms.ChoiceField(
            choices=[("", gettext_lazy("Edit")), ("r", gettext_lazy("Remove"))],
            widget=FastSelect,
        )

    with translation.override("nl"):
        assert ">Bewerken<" in str(Form()["field"])
    with translation.override("en"):
        assert ">Edit<" in str(Form()["field"]) and ">Remove<" in str(Form()["field"])
    with translation.override("nl"):
        assert ">Verwijderen<" in str(Form()["field"])


def test_it_keeps_the_choices_as_django_normalises_them():
    from django.db.models import TextChoices
    from django.utils.translation import gettext_lazy

    class Colour(TextChoices):
        RED = "r", "Red"

    def later():
        return [("c", "callable")]

    values = [
        [("a", "A"), ("b", "B")],
        [("", gettext_lazy("Edit")), ("x", "X")],
        [("Group", [("1", "one")]), ("2", "two")],
        [("k", {"1": "one"})],
        {"a": "A", "b": "B"},
        Colour,
        later,
        (("t", "tuple"),),
        [],
    ]
    for value in values:
        django_widget, fast = forms.Select(), FastSelect()
        django_widget.choices = value
        fast.choices = value
        assert list(fast.choices) == list(django_widget.choices), value


def test_pairs_of_plain_text_are_their_own_key_and_render_as_djangos():
    from vangnet.lib import widgets

    municipalities = [(f"{n:05}", f"Gemeente <{n}> & co") for n in range(300)]
    assert widgets._key(municipalities) == tuple(municipalities)  # no work per option
    for value in ("00007", "", "nope"):
        ours = FastSelect(choices=municipalities).render("m", value)
        assert _attributes(ours) == _attributes(
            forms.Select(choices=municipalities).render("m", value)
        )
