from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.lib.forms import DATE_WIDGET
from vangnet.network.models import ContactPerson, Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "participation", "status", "joined_on"]
        widgets = {"joined_on": DATE_WIDGET}


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]


class LinkForm(forms.Form):
    source: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    target: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Works together with"), queryset=Organisation.objects.none()
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["target"].queryset = organisations  # type: ignore[attr-defined]
