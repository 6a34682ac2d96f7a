from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.breaches.models import BreachNature, BreachRisk

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_LIMIT = 5000

# The browser's own date-and-time picker; ISO values in and out, in the cell's time zone.
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# Counts are estimates; the bound keeps them inside the database's integer.
MAX_COUNT = 2_147_483_647
EARLIEST_YEAR = 2000


class RegisterDateTimeField(forms.DateTimeField):
    """A moment in the register: not before 2000 (typos like 0001 would overflow the
    database's range and mean nothing)."""

    def clean(self, value: object) -> datetime.datetime | None:
        result = super().clean(value)
        if result is not None and result.year < EARLIEST_YEAR:
            raise forms.ValidationError(_("Enter a date from 2000 on."), code="too_early")
        return result


def _text(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class BreachForm(forms.Form):
    """The register entry (art. 33(3) and 33(5)). Input only: the legal rules are checked by
    the services, whose errors the view puts on these fields."""

    aware_at = RegisterDateTimeField(
        label=_("The cell became aware of it on"),
        widget=DATETIME_WIDGET,
        help_text=_("The 72 hours for notifying the authority start here."),
    )
    occurred_at = RegisterDateTimeField(
        label=_("The breach occurred on"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("Leave empty when it is not known."),
    )
    occurred_approximate = forms.BooleanField(label=_("This time is approximate"), required=False)
    nature = forms.MultipleChoiceField(
        label=_("What did the breach affect?"),
        choices=BreachNature.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = _text(
        _("What happened"),
        required=True,
        help_text=_("The facts, without names of the people concerned where you can."),
    )
    subject_categories = _text(
        _("Categories of data subjects concerned"),
        help_text=_("For instance: persons discussed in case consultations, staff of partners."),
    )
    subject_count = forms.IntegerField(
        label=_("Approximate number of data subjects"),
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
    )
    record_categories = _text(
        _("Categories of personal data records concerned"),
        help_text=_("For instance: case summaries, identity data, minutes of meetings."),
    )
    record_count = forms.IntegerField(
        label=_("Approximate number of records"), required=False, min_value=0, max_value=MAX_COUNT
    )
    consequences = _text(_("Likely consequences for the data subjects"))
    measures = _text(
        _("Measures taken or proposed"),
        help_text=_("Including the measures to mitigate possible adverse effects."),
    )
    contact = forms.CharField(
        label=_("Contact point"),
        required=False,
        max_length=500,
        help_text=_("The data-protection officer or another contact point: name and contact."),
    )
    risk = forms.ChoiceField(
        label=_("Risk to the rights and freedoms of the data subjects"),
        choices=BreachRisk.choices,
        required=False,
    )
    risk_grounds = _text(
        _("Grounds of the assessment"),
        help_text=_("Required when you decide that the authority is not notified."),
    )
    late_reason = _text(
        _("Reasons for a notification after 72 hours"),
        help_text=_("Required when the authority is notified more than 72 hours after."),
    )
    subjects_informed_at = RegisterDateTimeField(
        label=_("Data subjects informed on"), required=False, widget=DATETIME_WIDGET
    )
    subjects_informed_how = _text(
        _("How the data subjects were informed, or why not"),
        help_text=_("Art. 34(3) GDPR lists when informing them is not required."),
    )


class NotifyForm(forms.Form):
    notified_at = RegisterDateTimeField(
        label=_("Notified to the authority on"), widget=DATETIME_WIDGET
    )
    reference = forms.CharField(
        label=_("Reference given by the authority"), required=False, max_length=100
    )
    late_reason = _text(
        _("Reasons for the delay"),
        help_text=_("Required when the notification comes more than 72 hours after."),
    )
