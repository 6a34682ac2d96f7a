from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import PlatformRole, User
from vangnet.cells.models import Cell, Province
from vangnet.coaching.models import (
    DOCUMENT_TITLE_MAX_LENGTH,
    MILESTONE_NOTE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CoachingCategory,
    MilestoneKind,
    TrajectoryStatus,
)
from vangnet.coaching.services import EARLIEST_YEAR, LATEST_YEAR
from vangnet.lib.forms import DATE_WIDGET, PersonalDataCheckMixin
from vangnet.lib.uploads import UploadRejected, document_check

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def date_in_range(value: datetime.date | None) -> bool:
    return value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR


def staff_users() -> Any:
    return User.objects.filter(
        is_active=True, platform_role__in=[PlatformRole.VVSG_STAFF, PlatformRole.PLATFORM_ADMIN]
    ).order_by("full_name")


class TrajectoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    category = forms.ChoiceField(label=_("Category"), choices=CoachingCategory.choices)
    coach: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Coach"), queryset=User.objects.none(), empty_label=_("Choose a coach")
    )
    cells: forms.ModelMultipleChoiceField[Cell] = forms.ModelMultipleChoiceField(
        label=_("Cells"),
        queryset=Cell.objects.none(),
        help_text=_("One or more cells; the municipalities reached are those of the cells."),
    )
    started_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    ended_on = forms.DateField(label=_("End date"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = staff_users()  # type: ignore[attr-defined]
        self.fields["cells"].queryset = Cell.objects.real().order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        for name, value in (("started_on", started), ("ended_on", ended)):
            if not date_in_range(value):
                self.add_error(
                    name,
                    _("Give a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                )
                started = ended = None
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TrajectoryStatus.choices)


class MilestoneForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("note",)

    planned_on = forms.DateField(label=_("Planned date"), required=False, widget=DATE_WIDGET)
    done_on = forms.DateField(label=_("Date done"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"),
        max_length=MILESTONE_NOTE_MAX_LENGTH,
        required=False,
        help_text=_(
            "A short note without personal data. Internal to VVSG: the cell does not see it."
        ),
    )


class MilestoneAddForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("note",)

    kind = forms.ChoiceField(label=_("Kind"), choices=MilestoneKind.choices)
    planned_on = forms.DateField(label=_("Planned date"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"),
        max_length=MILESTONE_NOTE_MAX_LENGTH,
        required=False,
        help_text=_(
            "A short note without personal data, e.g. what the milestone is. "
            "Internal to VVSG: the cell does not see it."
        ),
    )


class NoteForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("body",)

    body = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("No personal data: write about the cell's way of working, not about people."),
    )
    shared_with_cell = forms.BooleanField(
        label=_(
            "Share this note: it becomes visible to the coordinators, deputies and mayors "
            "of all cells of the trajectory"
        ),
        required=False,
    )


class DocumentForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title",)

    title = forms.CharField(
        label=_("Title"),
        max_length=DOCUMENT_TITLE_MAX_LENGTH,
        help_text=_("The same title again becomes a new version of that document."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )
    shared_with_cell = forms.BooleanField(
        label=_(
            "Share this document: it becomes visible to the coordinators, deputies and mayors "
            "of all cells of the trajectory"
        ),
        required=False,
    )
    no_personal_data = forms.BooleanField(
        label=_("I checked the document: it holds no personal data"),
    )

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"])
        if CONTROL_CHARACTERS.search(title):
            raise forms.ValidationError(
                _("The title cannot contain control characters such as tabs or line breaks."),
                code="control_characters",
            )
        return title

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            document_check(upload)
        except UploadRejected as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        upload.seek(0)
        return upload


class OverviewFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *CoachingCategory.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *TrajectoryStatus.choices],
    )
    coach: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Coach"), required=False, queryset=User.objects.none(), empty_label=_("All coaches")
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=[("", _("All provinces")), *Province.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = staff_users()  # type: ignore[attr-defined]
