from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.forum.models import POST_MAX_LENGTH, TITLE_MAX_LENGTH
from vangnet.forum.services import REASON_MAX_LENGTH
from vangnet.lib.forms import PersonalDataCheckMixin

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ANONYMOUS_HELP = _(
    "Colleagues of other cells and VVSG read this. Never name or describe a person so that "
    "they can be recognised."
)


def _body_field(label: str | _StrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=ANONYMOUS_HELP,
    )


POST_REASON_HELP = _("Required. It is kept and shown with the post.")
THREAD_REASON_HELP = _("Required. It is kept and shown on the thread.")


def _reason_field(help_text: str | _StrPromise = POST_REASON_HELP) -> forms.CharField:
    return forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, help_text=help_text)


class ThreadForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title", "body")
    field_order = ("title", "body")  # the confirmation box (when shown) comes last

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = _body_field(_("Message"))


class ReplyForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("body",)
    field_order = ("body",)

    body = _body_field(_("Your reply"))


class ReasonForm(forms.Form):
    reason = _reason_field()


class PostEditForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("body",)
    field_order = ("body", "reason")

    body = _body_field(_("Message"))
    reason = _reason_field()


class ThreadTitleForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title",)
    field_order = ("title", "reason")

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, help_text=ANONYMOUS_HELP)
    reason = _reason_field(THREAD_REASON_HELP)
