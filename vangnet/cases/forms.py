from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.cases.models import Action, ActionStatus, ClosureReason, PersonInformed
from vangnet.lib.forms import DATE_WIDGET, professional_secret_field
from vangnet.network.models import Organisation

TEXT_LIMIT = 4000


class CaseForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=150)
    person_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE_WIDGET
    )
    person_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    is_minor = forms.BooleanField(label=_("Minor"), required=False)
    summary = forms.CharField(
        label=_("Agreed headline summary"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The agreed headline only: no verbatim statements and no secrets."),
    )
    person_informed = forms.ChoiceField(
        label=_("Person informed"), choices=PersonInformed.choices, required=False
    )
    person_informed_reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    person_informed_deferred_until = forms.DateField(
        label=_("Deferred until"), required=False, widget=DATE_WIDGET
    )
    review_due = forms.DateField(label=_("Next review"), widget=DATE_WIDGET)


class FindForm(forms.Form):
    code = forms.CharField(label=_("Case code"), max_length=20, required=False)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("code") and not (data.get("name") and data.get("birth_date")):
            raise forms.ValidationError(
                _("Enter a case code, or a name together with a date of birth.")
            )
        return data


class ParticipantForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Or a named person"), queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason (need to know)"), max_length=500)
    is_case_manager = forms.BooleanField(label=_("Case manager"), required=False)
    until_action: forms.ModelChoiceField[Action] = forms.ModelChoiceField(
        label=_("Access ends when this action is done"),
        queryset=Action.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, organisations: Any, people: Any, actions: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["until_action"].queryset = actions  # type: ignore[attr-defined]
        self.fields["until_action"].label_from_instance = (  # type: ignore[attr-defined]
            lambda action: f"{date_format(action.due_date)} · {action.owner.name}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("organisation")) == bool(data.get("person")):
            raise forms.ValidationError(_("Choose an organisation or a person, not both."))
        return data


class ActionForm(forms.Form):
    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    description = forms.CharField(
        label=_("Description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    professional_secret = professional_secret_field()
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class LegalHoldForm(forms.Form):
    hold = forms.BooleanField(label=_("Keep this case despite its deletion date"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    review_on = forms.DateField(label=_("Review the hold on"), required=False, widget=DATE_WIDGET)
