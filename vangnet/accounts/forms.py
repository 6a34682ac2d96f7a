from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User, normalize_email
from vangnet.accounts.validators import MAX_PASSWORD_LENGTH


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RecoveryCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Recovery code"),
        regex=r"^[A-Za-z0-9\s-]{16,30}$",
        max_length=30,
        error_messages={"invalid": _("A recovery code looks like ABCD-EFGH-JKLM-NPQR.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH + 1,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A long passphrase of several words is best."),
    )

    def __init__(self, request: HttpRequest, user: User, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_old_password(self) -> str:
        old = str(self.cleaned_data["old_password"])
        # Through authenticate() so that django-axes counts and locks out wrong guesses,
        # as on the sign-in page: a stolen session cannot try passwords endlessly.
        if authenticate(self.request, email=self.user.email, password=old) != self.user:
            raise forms.ValidationError(_("Your current password is not correct."))
        return old

    def clean_new_password(self) -> str:
        new = self.cleaned_data["new_password"]
        password_validation.validate_password(new, self.user)
        return str(new)


class CurrentPasswordForm(forms.Form):
    """Asks the current password again before a security change (step-up)."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, user: User, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        # Through authenticate(): django-axes counts wrong guesses here too.
        if authenticate(self.request, email=self.user.email, password=password) != self.user:
            raise forms.ValidationError(_("Your current password is not correct."))
        return password


class ReplaceAuthenticatorForm(CurrentPasswordForm, CodeForm):
    """The new app's code, and the current password (works when the old phone is lost)."""

    field_order = ["password", "code"]
