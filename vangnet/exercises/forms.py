from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Role
from vangnet.exercises.scenarios import scenario_library
from vangnet.exercises.services import SANDBOX_ROLES


class OpenForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        self.fields["scenario"].choices = [  # type: ignore[attr-defined]
            (slug, scenario.title.for_language(language))
            for slug, scenario in scenario_library().items()
        ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the training cell"),
        choices=[(role.value, role.label) for role in (Role(r) for r in SANDBOX_ROLES)],
    )
