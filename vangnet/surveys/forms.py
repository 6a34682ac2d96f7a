from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.events.models import NetworkBody
from vangnet.lib.forms import DATE_WIDGET, PersonalDataCheckMixin
from vangnet.questionnaires.models import Template
from vangnet.surveys.models import CELL_AUDIENCES, VVSG_AUDIENCES, Audience


class SurveyForm(PersonalDataCheckMixin, forms.Form):
    """A new survey from the library. Title and introduction must not name anyone."""

    personal_data_fields = ("title", "intro")

    template = forms.ChoiceField(label=_("Survey from the library"))
    title = forms.CharField(label=_("Title"), max_length=150)
    intro = forms.CharField(
        label=_("Introduction (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text shown above the questions and in no e-mail. No personal data."),
    )
    audience = forms.ChoiceField(label=_("Who receives a personal link"), widget=forms.RadioSelect)
    body = forms.ModelChoiceField(
        label=_("Network body"),
        queryset=NetworkBody.objects.none(),
        required=False,
        help_text=_("Only for the audience 'the members of a network body'."),
    )
    anonymous_link = forms.BooleanField(
        label=_("Also allow answers through an open anonymous link"),
        required=False,
        help_text=_(
            "Anyone with the link can answer, as often as they like: it cannot prevent double "
            "answers. You can revoke it at any time."
        ),
    )
    closes_on = forms.DateField(
        label=_("Answers accepted until (optional)"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, templates: list[Template], vvsg: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [  # type: ignore[attr-defined]
            (str(t.pk), f"{t.title} (v{t.version})") for t in templates
        ]
        audiences = VVSG_AUDIENCES if vvsg else CELL_AUDIENCES
        self.fields["audience"].choices = [  # type: ignore[attr-defined]
            (a.value, a.label) for a in audiences
        ]
        self.fields["audience"].initial = audiences[0].value
        if vvsg:
            self.fields["body"].queryset = NetworkBody.objects.filter(  # type: ignore[attr-defined]
                active=True
            ).order_by("name")
        else:
            del self.fields["body"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("audience") == Audience.BODY and not cleaned.get("body"):
            self.add_error("body", _("Choose the network body."))
        return cleaned

    def clean_template(self) -> Template:
        template = self.templates.get(self.cleaned_data["template"])
        if template is None:
            raise forms.ValidationError(_("Choose a survey from the library."))
        return template
