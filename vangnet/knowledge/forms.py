from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Municipality
from vangnet.knowledge.models import (
    Audience,
    GoodPractice,
    Item,
    ItemKind,
    ItemStatus,
    Tag,
    Theme,
    theme_options,
)
from vangnet.lib.forms import PersonalDataCheckMixin
from vangnet.lib.richtext import ALLOWED_TAGS, richtext_validate
from vangnet.lib.widgets import FastSelect

MAX_TAGS = 20
BODY_MAX_LENGTH = 100_000

RICHTEXT_HELP = format_lazy(
    _(
        "Simple HTML is allowed: {tags}. Links may start with https://, http:// or mailto:. "
        "Scripts, styles, forms and event handlers are refused."
    ),
    tags=", ".join(f"<{tag}>" for tag in sorted(ALLOWED_TAGS)),
)


class SearchForm(forms.Form):
    """The public search box and filters. Invalid filters are reported and ignored."""

    # No maxlength: an over-long query gets a message rather than a silently shortened text.
    q = forms.CharField(
        label=_("Search the knowledge base"), required=False, widget=forms.SearchInput
    )
    # On every knowledge page: selects without a template per option.
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *ItemKind.choices],
        widget=FastSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("All themes"),
        widget=FastSelect,
    )
    tag = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The options without a query built per request (the field still checks a choice).
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.widget.choices = [("", theme.empty_label), *theme_options("slug")]


class RelatedItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.status == ItemStatus.ARCHIVED:
            return str(_("%(title)s (archived)") % {"title": obj.title})
        return str(obj.title)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ItemKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences, shown in lists and search results. Plain text."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=RICHTEXT_HELP,
        strip=False,
    )
    audience = forms.ChoiceField(label=_("Who may read it"), choices=Audience.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separate tags with commas, for example: draaiboek, privacy."),
    )
    related = RelatedItemsField(
        label=_("Related items"),
        queryset=Item.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )

    def __init__(self, *args: Any, item: Item | None = None, **kwargs: Any) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": item.kind,
                "title": item.title,
                "summary": item.summary,
                "body": item.body,
                "audience": item.audience,
                "status": item.status,
                "themes": list(item.themes.all()),
                "tags": ", ".join(tag.name for tag in item.tags.all()),
                "related": list(item.related.all()),
            }
        super().__init__(*args, **kwargs)
        # Archived items are not offered as new links, but links the item already has to
        # archived items stay choosable (and selected), so saving the form keeps them.
        choosable = ~Q(status=ItemStatus.ARCHIVED)
        if item is not None:
            choosable |= Q(pk__in=item.related.values("pk"))
        related = Item.objects.filter(choosable).order_by("title")
        if item is not None:
            related = related.exclude(pk=item.pk)
        field = self.fields["related"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = related

    def clean_body(self) -> str:
        body: str = self.cleaned_data.get("body", "")
        richtext_validate(body)
        return body

    def clean_tags(self) -> list[str]:
        names = [
            name.strip() for name in self.cleaned_data.get("tags", "").split(",") if name.strip()
        ]
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.casefold(), name)  # one tag per name in any case: the first
        names = list(unique.values())
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(max)d tags."), params={"max": MAX_TAGS}, code="too_many"
            )
        too_long = Tag._meta.get_field("name").max_length or 60
        if any(len(name) > too_long for name in names):
            raise forms.ValidationError(
                _("A tag can be at most %(max)d characters long."),
                params={"max": too_long},
                code="too_long",
            )
        return names


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx) or OpenDocument text (.odt), at most 20 MB."),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("For example: updated to the law of 2025."),
    )


class PracticeForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title", "context", "approach", "results", "contact_role")

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    context = forms.CharField(
        label=_("Context: what was the problem?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    approach = forms.CharField(
        label=_("Approach: what did you do?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    results = forms.CharField(
        label=_("Results: what did it bring?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_role = forms.CharField(
        label=_("Contact (a role, not a name)"),
        max_length=150,
        help_text=_("For example: the LIVC R coordinator of the municipality."),
    )

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk


class PublishPracticeForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who may read it"), choices=Audience.choices, initial=Audience.MEMBERS
    )


class ReturnPracticeForm(forms.Form):
    note = forms.CharField(
        label=_("What should the author change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def practice_initial(practice: GoodPractice) -> dict[str, Any]:
    """A returned practice as the starting point of a new submission."""
    return {
        "municipality": practice.municipality_id,
        "theme": practice.theme_id,
        "title": practice.title,
        "context": practice.context,
        "approach": practice.approach,
        "results": practice.results,
        "contact_role": practice.contact_role,
    }
