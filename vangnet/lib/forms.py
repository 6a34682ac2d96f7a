"""Form pieces shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.lib import personaldata
from vangnet.lib.personaldata import Finding, personal_data_find

# The browser's own date picker; ISO dates in and out.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def professional_secret_field() -> forms.BooleanField:
    """The marking on a contribution that holds another professional's secret (R-22): such a
    text is left out when the person asks for their data."""
    return forms.BooleanField(
        label=_("Contains another professional's secret"),
        required=False,
        help_text=_(
            "Tick when this text holds what a professional bound by secrecy shared: it is then "
            "left out of the export when the person asks for their data (GDPR art. 15)."
        ),
    )


class PersonalDataCheckMixin(forms.Form):
    """Ask the author to anonymise text that looks like it identifies someone.

    List the checked fields in ``personal_data_fields``. When the check finds something, the
    form is invalid, ``personal_data_findings`` holds what was found (shown back to the author
    only) and a confirmation checkbox appears; ticking it accepts the text as anonymous (for
    instance the phone number of the municipal office). The view stores
    ``cleaned_data["personal_data_confirmed"]`` with the text.
    """

    personal_data_fields: tuple[str, ...] = ()

    personal_data_confirmed = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label=_("I checked the text: it does not identify any person"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal_data_findings: list[Finding] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        findings: list[Finding] = []
        for name in self.personal_data_fields:
            value = cleaned.get(name)
            if isinstance(value, str) and value:
                findings += personal_data_find(value)
        self.personal_data_findings = findings
        if findings:
            field = self.fields["personal_data_confirmed"]
            field.widget = forms.CheckboxInput()
            if not cleaned.get("personal_data_confirmed"):
                kinds = ", ".join(
                    dict.fromkeys(str(PERSONAL_DATA_LABELS[f.kind]) for f in findings)
                )
                self.add_error(
                    None,
                    forms.ValidationError(
                        _(
                            "The text seems to contain personal data (%(kinds)s). Remove or "
                            "anonymise it: write 'a young man (17)' instead of a name and a date "
                            "of birth, and leave out numbers and addresses. If the text does not "
                            "identify anyone, tick the confirmation box."
                        ),
                        code="personal_data",
                        params={"kinds": kinds},
                    ),
                )
        else:
            cleaned["personal_data_confirmed"] = False
        return cleaned


PERSONAL_DATA_LABELS = {
    personaldata.NATIONAL_NUMBER: _("a national register number"),
    personaldata.PHONE: _("a phone number"),
    personaldata.EMAIL: _("an e-mail address"),
    personaldata.ADDRESS: _("a street address"),
    personaldata.NAME_WITH_BIRTH_DATE: _("a name with a date of birth"),
}
