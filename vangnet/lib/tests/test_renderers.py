"""FastRenderer writes the <input> markup of Django's templates and leaves the rest to them."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from vangnet.lib.renderers import FastRenderer


class Odd:
    """An attribute whose formatting fails: the filter renders nothing for it."""

    def __str__(self) -> str:
        raise ValueError("no text")


WIDGETS = [
    (forms.TextInput(), "a&b \"quoted\" <script>alert('x')</script>"),
    (forms.TextInput(attrs={"maxlength": 80, "required": True, "disabled": False}), "x"),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Search")}), None),
    (forms.TextInput(attrs={"data-x": mark_safe("<b>safe</b>")}), mark_safe("&amp;")),
    (forms.TextInput(), ""),
    (forms.TextInput(), 0),
    (forms.TextInput(), (1, 2)),
    (forms.TextInput(attrs={"data-odd": Odd()}), "x"),
    (forms.NumberInput(attrs={"min": 0, "step": 0.5}), 3),
    (forms.EmailInput(), "iemand@example.org"),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), "hidden \u202e value"),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 12, 1)),
    (forms.DateTimeInput(), datetime.datetime(2026, 12, 1, 9, 30)),
    (forms.TimeInput(), datetime.time(9, 30)),
    (forms.SearchInput(), "zoek"),
    (forms.TelInput(), "+32 15 00 00 00"),
    (forms.ColorInput(), "#ff0000"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.CheckboxInput(), None),
    (forms.CheckboxInput(attrs={"class": "switch"}), "on"),
    (forms.FileInput(), None),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: repr(item)[:40])
def test_it_writes_what_djangos_templates_write(widget, value):
    attrs = {"id": "id_field", "aria-describedby": "id_field_helptext"}
    expected = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs=attrs, renderer=FastRenderer()) == expected


@pytest.mark.parametrize(
    "widget",
    [
        forms.Textarea(),
        forms.Select(choices=[("a", "A")]),
        forms.ClearableFileInput(),
        forms.RadioSelect(choices=[("a", "A")]),
        forms.CheckboxSelectMultiple(choices=[("a", "A")]),
        forms.SelectDateWidget(),
        forms.SplitDateTimeWidget(),
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_other_widgets_render_through_djangos_templates(widget):
    expected = widget.render("field", None, renderer=DjangoTemplates())
    assert widget.render("field", None, renderer=FastRenderer()) == expected


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    class Form(forms.Form):
        q = forms.CharField(max_length=200, help_text="Woorden")
        only_mine = forms.BooleanField(required=False)

    form = Form({"q": "<zoek>", "only_mine": "on"})
    assert settings.FORM_RENDERER == "vangnet.lib.renderers.FastRenderer"
    assert isinstance(get_default_renderer(), FastRenderer)
    slow = Form({"q": "<zoek>", "only_mine": "on"}, renderer=DjangoTemplates())
    assert str(form["q"]) == str(slow["q"]) and 'value="&lt;zoek&gt;"' in str(form["q"])
    assert str(form["only_mine"]) == str(slow["only_mine"]) and "checked" in str(form["only_mine"])
