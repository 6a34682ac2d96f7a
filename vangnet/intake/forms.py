from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Municipality, Phenomenon
from vangnet.intake.models import RADICALISATION, AgeBand, Category, Outcome, Urgency
from vangnet.lib.forms import DATE_WIDGET, professional_secret_field
from vangnet.network.models import Organisation

TEXT_LIMIT = 2000


def phenomenon_choices(active: list[str]) -> list[tuple[str, str]]:
    labels = dict(Phenomenon.choices)
    return [
        (value, str(_("Radicalisation")) if value == RADICALISATION else str(labels[value]))
        for value in active
    ]


class SignalForm(forms.Form):
    received_on = forms.DateField(label=_("Date of the signal"), widget=DATE_WIDGET)
    origin_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("From organisation"), queryset=Organisation.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    phenomenon = forms.ChoiceField(label=_("Phenomenon"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    description = forms.CharField(
        label=_("Short factual description"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Facts only: what was seen or heard, when. No opinions about religion or "
            "politics, no health data unless strictly needed."
        ),
    )
    professional_secret = professional_secret_field()
    person_name = forms.CharField(label=_("Name of the person"), max_length=150, required=False)
    person_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE_WIDGET
    )
    person_age_band = forms.ChoiceField(
        label=_("Or an age band"), choices=AgeBand.choices, required=False
    )
    person_municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    is_minor = forms.BooleanField(label=_("The person is a minor"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        municipalities: Any,
        phenomena: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["person_municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["phenomenon"].choices = phenomenon_choices(phenomena)  # type: ignore[attr-defined]


class TrendForm(forms.Form):
    received_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    origin_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("From organisation"), queryset=Organisation.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    area = forms.CharField(label=_("Area or district"), max_length=150, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A trend or tension without naming anyone."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_organisation"].queryset = organisations  # type: ignore[attr-defined]


class ScreeningForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    redirected_to = forms.CharField(
        label=_("Redirected to"),
        max_length=200,
        required=False,
        help_text=_("Only when redirected to regular care: which service."),
    )
    referrer_informed = forms.TypedChoiceField(
        label=_("Referrer informed"),
        choices=[("", _("Not yet")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        required=False,
        empty_value=None,
    )
    referrer_informed_on = forms.DateField(
        label=_("Informed on"), required=False, widget=DATE_WIDGET
    )


class PoliceStatusForm(forms.Form):
    known_to_police = forms.ChoiceField(
        label=_("Known to police or followed up by the LTF"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))],
        widget=forms.RadioSelect,
        help_text=_("Only yes, no or unknown. Never copy police information here."),
    )
