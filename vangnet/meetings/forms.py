from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.lib.forms import DATE_WIDGET, professional_secret_field
from vangnet.meetings.models import CarryOverReason, MeetingKind
from vangnet.network.models import Organisation

TEXT_LIMIT = 4000


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("No names of persons: the title appears in invitations."),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    chair: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Chair"), queryset=User.objects.none()
    )
    invited_organisations: forms.ModelMultipleChoiceField[Organisation] = (
        forms.ModelMultipleChoiceField(
            label=_("Invited organisations"),
            queryset=Organisation.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    )

    def __init__(self, *args: Any, people: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["invited_organisations"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            today = timezone.localdate()
            if abs((day - today).days) > 5 * 366:
                self.add_error("date", _("Choose a date within five years from today."))
                return data
            zone = timezone.get_current_timezone()
            starts = datetime.datetime.combine(day, start, zone)
            ends = datetime.datetime.combine(day, end, zone)
            for moment, field in ((starts, "start"), (ends, "end")):
                # A time that does not exist locally (the clock jumps forward) changes on a
                # round trip through UTC.
                back = moment.astimezone(datetime.UTC).astimezone(zone)
                if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
                    self.add_error(field, _("This time does not exist on that day."))
                    return data
            if ends.astimezone(datetime.UTC) <= starts.astimezone(datetime.UTC):
                self.add_error("end", _("The meeting must end after it starts."))
                return data
            data["starts_at"], data["ends_at"] = starts, ends
        return data


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("A theme, a partner presentation, a local trend."),
    )


class RecordForm(forms.Form):
    summary = forms.CharField(
        label=_("Agreed headline summary"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only what the meeting agreed on, at headline level. The discussion itself "
            "is not recorded."
        ),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    professional_secret = professional_secret_field()
    next_review = forms.DateField(label=_("Next review"), required=False, widget=DATE_WIDGET)
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Needed when the minutes are already approved."),
    )


class CarryOverForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CarryOverReason.choices)


class SheetForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the feedback sheet"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the police may know, as agreed. Never information shared under "
            "professional secrecy."
        ),
    )


class SubmitSheetForm(forms.Form):
    no_secrets = forms.BooleanField(
        label=_(
            "This sheet contains no information covered by professional secrecy that was "
            "shared during the meeting."
        ),
    )
