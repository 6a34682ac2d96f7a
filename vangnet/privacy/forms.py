from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.lib.forms import DATE_WIDGET
from vangnet.privacy.access_log import Filters
from vangnet.privacy.models import RequestDecision, RequestKind

MAX_PERIOD_DAYS = 2 * 366


def default_period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today


class AccessLogFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    user = forms.ChoiceField(label=_("User"), required=False)
    case_code = forms.CharField(label=_("Case code"), max_length=20, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(
        self, *args: Any, people: list[tuple[str, str]], actions: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Everyone")), *people]  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("Every action")),
            *[(a, a) for a in actions],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start of the period is after its end."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most two years."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            user_id=data.get("user") or "",
            case_code=(data.get("case_code") or "").strip(),
            action=data.get("action") or "",
        )


class AccessReviewForm(forms.Form):
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you checked and found; also when you found nothing unusual."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        if end and end > timezone.localdate():
            raise forms.ValidationError(_("A period can only be signed off once it has passed."))
        return data


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Right the person invokes"), choices=[("", "—"), *RequestKind.choices]
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    subject_name = forms.CharField(label=_("Name of the person"), max_length=150)
    subject_birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DATE_WIDGET,
        help_text=_("With the name, this finds the person's cases and signals."),
    )
    request_text = forms.CharField(
        label=_("What the person asks"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    identity_verified = forms.BooleanField(
        label=_("The person's identity is verified"),
        required=False,
        help_text=_("For instance with the identity card, in person. Do not store a copy."),
    )


class SubjectRequestExtendForm(forms.Form):
    until = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Art. 12(3) GDPR: complexity or number of requests. Tell the person."),
    )


class SubjectRequestDecideForm(forms.Form):
    identity_verified = forms.BooleanField(
        label=_("The person's identity is verified"),
        required=False,
        help_text=_("Needed before an export or an erasure."),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "—"), *RequestDecision.choices])
    grounds = forms.CharField(
        label=_("Grounds"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    restrictions = forms.CharField(
        label=_("Restrictions applied"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed for a refusal or a partial refusal: which right is restricted, how far, and "
            "on what legal basis (art. 23 GDPR)."
        ),
    )
