from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.events.models import (
    BodyKind,
    BodyRole,
    EventAudience,
    EventKind,
    NetworkBody,
)
from vangnet.events.services import MAX_SERIES
from vangnet.knowledge.models import Item, ItemStatus
from vangnet.lib.forms import DATE_WIDGET

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _combine(
    form: forms.Form, day: datetime.date, start: datetime.time, end: datetime.time
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """Local date + times → aware datetimes, or None after adding an error."""
    if abs((day - timezone.localdate()).days) > 5 * 366:
        form.add_error(None, _("Choose dates within five years from today."))
        return None
    zone = timezone.get_current_timezone()
    starts = datetime.datetime.combine(day, start, zone)
    ends = datetime.datetime.combine(day, end, zone)
    for moment, name in ((starts, "start"), (ends, "end")):
        back = moment.astimezone(datetime.UTC).astimezone(zone)
        if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
            form.add_error(name, _("This time does not exist on that day."))
            return None
    if ends.astimezone(datetime.UTC) <= starts.astimezone(datetime.UTC):
        form.add_error("end", _("The event must end after it starts."))
        return None
    return starts, ends


class EventDetailsForm(forms.Form):
    """What a single event and a series share."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("No names of persons: the title appears in e-mails and calendars."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    body: forms.ModelChoiceField[NetworkBody] = forms.ModelChoiceField(
        label=_("Network body"), queryset=NetworkBody.objects.none(), required=False
    )
    start = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Must start with https://."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    audience = forms.ChoiceField(label=_("Who may register"), choices=EventAudience.choices)
    feedback = forms.BooleanField(
        label=_("Ask attendees for anonymous feedback afterwards"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = NetworkBody.objects.filter(active=True)  # type: ignore[attr-defined]

    def clean_online_url(self) -> str:
        url = str(self.cleaned_data.get("online_url") or "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Only https:// links are allowed."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("location")
            and not data.get("online_url")
            and "online_url" not in self.errors
        ):
            self.add_error("location", _("Give a location, an online link or both."))
        if data.get("audience") == EventAudience.BODY_MEMBERS and not data.get("body"):
            self.add_error("body", _("Choose the network body whose members may register."))
        return data

    def event_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "description": data["description"],
            "body": data["body"],
            "location": data["location"].strip(),
            "online_url": data["online_url"],
            "capacity": data["capacity"],
            "audience": data["audience"],
        }


class EventForm(EventDetailsForm):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    materials: forms.ModelMultipleChoiceField[Item] = forms.ModelMultipleChoiceField(
        label=_("Materials (knowledge items)"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown to participants; each reader only sees items they may open."),
    )

    field_order = ["kind", "title", "description", "body", "date", "start", "end"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].queryset = Item.objects.filter(  # type: ignore[attr-defined]
            status=ItemStatus.PUBLISHED
        ).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            moments = _combine(self, day, start, end)
            if moments:
                data["starts_at"], data["ends_at"] = moments
        return data

    def event_data(self) -> dict[str, Any]:
        return {
            **super().event_data(),
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
        }


class SeriesForm(EventDetailsForm):
    name = forms.CharField(label=_("Name of the series"), max_length=150)
    dates = forms.CharField(
        label=_("Dates"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One date per line, as YYYY-MM-DD (at most %(max)s).") % {"max": MAX_SERIES},
    )

    field_order = ["name", "dates", "kind", "title", "description", "body", "start", "end"]

    def clean_dates(self) -> list[datetime.date]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["dates"]) if p]
        if not parts:
            raise forms.ValidationError(_("Give at least one date."))
        if len(parts) > MAX_SERIES:
            raise forms.ValidationError(_("At most %(max)s dates.") % {"max": MAX_SERIES})
        dates: list[datetime.date] = []
        for part in parts:
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date like 2025-03-14.") % {"value": part[:20]}
                ) from None
        return dates

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and data.get("dates"):
            for day in data["dates"]:
                if _combine(self, day, start, end) is None:
                    break
        return data


class AttendanceForm(forms.Form):
    """One radio group per registered person: attended, absent, unknown."""

    CHOICES = [("yes", _("Attended")), ("no", _("Absent")), ("", _("Unknown"))]

    def __init__(self, *args: Any, registrations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            initial = {True: "yes", False: "no", None: ""}[registration.attended]
            self.fields[f"r_{registration.pk}"] = forms.ChoiceField(
                label=str(registration.user),
                choices=self.CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def attended(self) -> dict[Any, bool | None]:
        mapping = {"yes": True, "no": False, "": None}
        return {r.pk: mapping[self.cleaned_data.get(f"r_{r.pk}") or ""] for r in self.registrations}


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    province = forms.ChoiceField(
        label=_("Province"),
        choices=[("", "—"), *NetworkBody._meta.get_field("province").choices],  # type: ignore[misc]
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, instance: NetworkBody | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = NetworkBody.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A network body with this name exists already."))
        return name


class BodyMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of an existing account"),
        max_length=254,
        help_text=_("The person must already use Vangnet in a local government."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=BodyRole.choices)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        return user


class BodyDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A document with the same title becomes a new version."),
    )
    file = forms.FileField(label=_("File (PDF, DOCX or ODT)"))
