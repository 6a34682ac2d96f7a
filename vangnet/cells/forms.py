from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.validators import MAX_PASSWORD_LENGTH
from vangnet.cells.models import (
    CellProfile,
    DocumentKind,
    Framework,
    Phenomenon,
    Role,
)
from vangnet.insights.sharing import sharing_choices
from vangnet.lib.forms import DATE_WIDGET
from vangnet.network.models import Organisation


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "legal_basis",
            "legal_reference",
            "participant_categories",
            "working_arrangements",
            "start_date",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "participant_categories": forms.Textarea(attrs={"rows": 3}),
            "working_arrangements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "legal_reference": _("For example the decision of the mayor or the house rules."),
        }


class ProfileForm(forms.ModelForm):
    insights_sharing = forms.MultipleChoiceField(
        label=_("Figures shared with VVSG"),
        choices=sharing_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "VVSG only sees aggregates over at least 5 cells (and 10 signals or cases): never "
            "your cell's name, a case, a person or a free text."
        ),
    )

    class Meta:
        model = CellProfile
        fields = [
            "meeting_rhythm",
            "coordinator_fte",
            "privacy_notice",
            "retention_closed_case_months",
            "retention_signal_months",
            "insights_sharing",
        ]
        widgets = {"privacy_notice": forms.Textarea(attrs={"rows": 6})}

    def clean_coordinator_fte(self) -> Any:
        value = self.cleaned_data["coordinator_fte"]
        if value is not None and not 0 <= value <= 5:
            raise forms.ValidationError(_("Enter a capacity between 0 and 5 FTE."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("retention_closed_case_months", "retention_signal_months"):
            value = data.get(field)
            if value is not None and not 1 <= value <= 240:
                self.add_error(field, _("Enter a number of months between 1 and 240."))
        return data


class PhenomenonForm(forms.Form):
    phenomenon = forms.ChoiceField(label=_("Phenomenon"), choices=Phenomenon.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_(
            "The law, decree, ordinance or reasoned authorisation of the public prosecutor "
            "that allows this consultation (art. 458ter Sw.)."
        ),
    )
    legal_basis_date = forms.DateField(label=_("Date of the legal basis"), widget=DATE_WIDGET)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )
    approved_on = forms.DateField(label=_("Approval date"), required=False, widget=DATE_WIDGET)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, organisations: Any, roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class RegisterForm(forms.Form):
    """Create an account from an invitation: name and password; MFA enrolment follows."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH + 1,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A long passphrase of several words is best."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH + 1,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            from vangnet.accounts.models import User

            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AcknowledgeForm(forms.Form):
    acknowledge = forms.BooleanField(
        label=_("I have read this and will keep what is shared in the cell secret."),
        error_messages={"required": _("You can only join after acknowledging the secrecy duty.")},
    )
