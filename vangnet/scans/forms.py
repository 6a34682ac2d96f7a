from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.lib.forms import DATE_WIDGET
from vangnet.lib.widgets import FastSelect
from vangnet.scans.models import CoachingCategory

NA = "na"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    does_case_management = forms.BooleanField(
        label=_("The cell does case management (the case management module is answered)"),
        required=False,
        initial=True,
    )


class ImprovementForm(forms.Form):
    # Shown on every view of a round's results: selects without a template per option.
    module = forms.ChoiceField(label=_("Module"), required=False, widget=FastSelect)
    description = forms.CharField(label=_("Improvement action"), max_length=300)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        help_text=_("An organisation or a function, not a person's name."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)
    category = forms.ChoiceField(
        label=_("Coaching category"), choices=CoachingCategory.choices, widget=FastSelect
    )

    def __init__(self, *args: Any, modules: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *modules]  # type: ignore[attr-defined]


def answers_from_post(
    data: Any, modules: list[dict[str, Any]]
) -> tuple[dict[tuple[str, str, str], tuple[int | None, str]], list[str]]:
    """Read the scan form. Nothing is mandatory; impossible values are errors, not guesses."""
    answers: dict[tuple[str, str, str], tuple[int | None, str]] = {}
    errors: list[str] = []
    for module in modules:
        for situation in module["situations"] or [""]:
            for indicator in module["indicators"]:
                name = f"a__{module['key']}__{situation}__{indicator['key']}"
                raw = str(data.get(name, "")).strip()
                if not raw:
                    continue
                key = (module["key"], situation, indicator["key"])
                if indicator["kind"] == "text":
                    if len(raw) > 2000:
                        errors.append(str(_("An answer is longer than 2000 characters.")))
                    else:
                        answers[key] = (None, raw)
                    continue
                if raw == NA and indicator["allow_na"]:
                    answers[key] = (None, "")
                    continue
                allowed = {"1", "2", "3", "4", "5"} if indicator["kind"] == "likert" else {"0", "1"}
                if raw not in allowed:
                    errors.append(str(_("An answer has a value that is not allowed.")))
                    continue
                answers[key] = (int(raw), "")
    return answers, errors
