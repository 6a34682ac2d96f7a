from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import PlatformRole, User
from vangnet.cells.models import Municipality
from vangnet.helpdesk.access import MunicipalityChoice
from vangnet.helpdesk.models import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    CannedAnswer,
    Question,
    QuestionStatus,
)
from vangnet.helpdesk.services import MAX_ATTACHMENTS, linkable_items, statuses_allowed
from vangnet.knowledge.models import Audience, Item, ItemStatus, Theme, theme_options
from vangnet.lib.aggregates import aggregate_cached
from vangnet.lib.forms import PersonalDataCheckMixin
from vangnet.lib.richtext import richtext_validate
from vangnet.lib.uploads import UploadRejected, document_check
from vangnet.lib.widgets import FastSelect

ATTACHMENTS_HELP = _("Up to 5 files: PDF, Word (.docx) or OpenDocument text (.odt), 20 MB each.")


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the browser send several files (Django's documented recipe)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more documents, each checked by content (PDF, DOCX, ODT), at most ``max_files``."""

    def __init__(self, *args: Any, max_files: int = MAX_ATTACHMENTS, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.odt"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", ATTACHMENTS_HELP)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single_clean = super().clean
        if isinstance(data, list | tuple):
            files = [single_clean(item, initial) for item in data]
        else:
            files = [single_clean(data, initial)]
        uploads = [f for f in files if f]
        if len(uploads) > self.max_files:
            raise forms.ValidationError(
                _("You can add at most %(max)d files."),
                code="too_many_files",
                params={"max": self.max_files},
            )
        for upload in uploads:
            try:
                document_check(upload)
            except UploadRejected as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return uploads


def _body_field(label: Any, rows: int = 8, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class QuestionForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("subject", "body")
    field_order = ["theme", "municipality", "subject", "body", "attachments"]

    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("Choose a theme")
    )
    municipality = forms.ChoiceField(label=_("Local government"))
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = _body_field(
        _("Your question"),
        rows=10,
        help_text=_(
            "Do not write names, dates of birth, addresses or other details that identify a "
            "person: describe the situation anonymously."
        ),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, municipalities: list[MunicipalityChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._municipalities = {c.municipality.nis_code: c.municipality for c in municipalities}
        field = self.fields["municipality"]
        field.choices = [  # type: ignore[attr-defined]
            (code, municipality.name_nl) for code, municipality in self._municipalities.items()
        ]
        if len(self._municipalities) == 1:
            field.initial = next(iter(self._municipalities))
        else:
            field.choices = [("", _("Choose a local government")), *field.choices]  # type: ignore[attr-defined]

    def clean_municipality(self) -> Municipality:
        code = self.cleaned_data["municipality"]
        if code not in self._municipalities:
            raise forms.ValidationError(_("Choose a municipality of your own cell."))
        return self._municipalities[code]


class FollowUpForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("body",)
    field_order = ["body", "attachments"]

    body = _body_field(_("Your message"), rows=5)
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the question page: distinct ids, the same field names.
        kwargs.setdefault("auto_id", "follow-up-%s")
        super().__init__(*args, **kwargs)


class ReplyForm(forms.Form):
    body = _body_field(_("Reply to the asker"), rows=10)
    status = forms.ChoiceField(
        label=_("After sending, the question is"),
        choices=[
            (QuestionStatus.ANSWERED, QuestionStatus.ANSWERED.label),
            (QuestionStatus.WAITING, QuestionStatus.WAITING.label),
        ],
        initial=QuestionStatus.ANSWERED,
    )
    linked_items = forms.ModelMultipleChoiceField(
        label=_("Link knowledge items"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Published items the asker can read. Hold Ctrl (or Cmd) to choose several."),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reply-%s")
        super().__init__(*args, **kwargs)
        self.fields["linked_items"].queryset = linkable_items()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    body = _body_field(_("Internal note (only VVSG staff see it)"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)


def staff_users() -> Any:
    return User.objects.filter(
        is_active=True, platform_role__in=[PlatformRole.VVSG_STAFF, PlatformRole.PLATFORM_ADMIN]
    ).order_by("full_name")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users()  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status-%s")
        super().__init__(*args, **kwargs)
        allowed = statuses_allowed(question)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in QuestionStatus.choices if value in allowed
        ]


class FaqForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title", "body")
    field_order = ["title", "body", "theme", "audience", "status"]

    title = forms.CharField(label=_("Title (the question, in general terms)"), max_length=200)
    body = forms.CharField(
        label=_("Answer"),
        max_length=BODY_MAX_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Rewrite the question and the answer so that nobody can be recognised: no names, "
            "municipalities, dates or details of the situation. Simple HTML is allowed "
            "(paragraphs, headings, lists, links)."
        ),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    audience = forms.ChoiceField(
        label=_("Who may read it"), choices=Audience.choices, initial=Audience.MEMBERS
    )
    status = forms.ChoiceField(
        label=_("Publish"),
        choices=[
            (ItemStatus.DRAFT, _("Save as a draft (review it in the knowledge base)")),
            (ItemStatus.PUBLISHED, _("Publish now")),
        ],
        initial=ItemStatus.DRAFT,
        widget=forms.RadioSelect,
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        richtext_validate(body)
        return body


class CannedAnswerForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = _body_field(_("Text"), rows=10)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def initial_for(cls, canned: CannedAnswer) -> dict[str, Any]:
        return {
            "title": canned.title,
            "body": canned.body,
            "theme": canned.theme_id,
            "active": canned.active,
        }


OPEN = "open"
ALL = "all"
ASSIGNED_ME = "me"
ASSIGNED_NOBODY = "nobody"


class QueueFilterForm(forms.Form):
    # Rendered on every queue page: the selects are built without a template per option.
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (OPEN, _("Open (new, in progress, waiting)")),
            (ALL, _("All")),
            *QuestionStatus.choices,
        ],
        widget=FastSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        widget=FastSelect,
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), (ASSIGNED_ME, _("Me")), (ASSIGNED_NOBODY, _("Nobody"))],
        widget=FastSelect,
    )
    # Codes and names only: up to 285 options, without a model instance each. The options are
    # those that asked (cached); any municipality's code is accepted (see clean_municipality).
    municipality = forms.CharField(label=_("Local government"), required=False, widget=FastSelect)
    breached = forms.BooleanField(
        label=_("Only overdue questions (no first reply after the deadline)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Which municipalities have asked: a figure across all of them that changes slowly,
        # kept like the other aggregates (a newcomer shows up within the cache period).
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        themes = theme_options("pk")
        theme.widget.choices = [("", theme.empty_label), *themes]
        asked = aggregate_cached("helpdesk.queue.municipalities", _asking_municipalities)
        self.fields["municipality"].widget.choices = [
            ("", _("All local governments")),
            *asked,
        ]
        # The cached lists the options come from: the same objects until the cache renews
        # them, so the rendered fields are remembered per these (`queue_filter_fields`).
        self.option_sources: tuple[object, ...] = (themes, asked)

    def clean_municipality(self) -> str:
        """Any municipality's code: the cached options may not list one that asked just now."""
        code: str = self.cleaned_data.get("municipality") or ""
        if code and not Municipality.objects.filter(nis_code=code).exists():
            raise forms.ValidationError(_("Choose a local government from the list."))
        return code


def _asking_municipalities() -> list[tuple[str, str]]:
    return list(
        Municipality.objects.filter(nis_code__in=Question.objects.values("municipality_id"))
        .order_by("name_nl")
        .values_list("nis_code", "name_nl")
    )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
