"""Sign-in (password, then a second factor), sign-out, password reset and the profile page."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts import services
from vangnet.accounts.forms import (
    CodeForm,
    CurrentPasswordForm,
    LoginForm,
    PasswordChangeForm,
    RecoveryCodeForm,
    ReplaceAuthenticatorForm,
)
from vangnet.accounts.models import TOTPDevice, User, UserSession
from vangnet.audit.services import audit_record
from vangnet.lib.typealias import AuthenticatedHttpRequest

NEXT_KEY = "vn_next"


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _after_login(request: HttpRequest) -> HttpResponse:
    target = _safe_next(request, request.session.pop(NEXT_KEY, None))
    return redirect(target or "home")


def lockout(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when a username + IP pair is locked out."""
    audit_record(action="accounts.login.locked_out", request=request)
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None,
        _("Too many failed attempts. Wait %(minutes)d minutes before you try again.")
        % {"minutes": int(settings.AXES_COOLOFF_TIME * 60)},
    )
    return render(request, "accounts/login.html", {"form": form}, status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "GET" and (target := _safe_next(request, request.GET.get("next"))):
        request.session[NEXT_KEY] = target
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if isinstance(user, User):
            services.mfa_pending_start(request=request, user=user)
            if services.totp_device_confirmed(user) is None:
                return redirect("accounts:login_setup")
            return redirect("accounts:login_verify")
        audit_record(action="accounts.login.failed", request=request)
        # The same words whether the account exists or not. When this failure locks the
        # pair out, AxesMiddleware replaces the response with `lockout` below.
        form.add_error(None, _("The e-mail address or the password is not correct."))
    return render(request, "accounts/login.html", {"form": form})


def _pending_or_restart(request: HttpRequest) -> User | None:
    user = services.mfa_pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in with your e-mail address and password first."))
    return user


def _throttled_message(device: TOTPDevice | Any) -> str | None:
    allowed, _info = device.verify_is_allowed()
    if allowed:
        return None
    return _("Too many wrong codes. Wait a moment and try again.")


def _second_factor_passed(
    request: HttpRequest, user: User, device: Any, form: forms.Form, wrong: str
) -> bool:
    """Check the code of a valid form against the device; on failure add the error and audit."""
    if device is not None and (throttled := _throttled_message(device)):
        form.add_error(None, throttled)
        return False
    if device is not None and device.verify_token(form.cleaned_data["code"]):
        return True
    audit_record(action="accounts.mfa.failed", actor=user, request=request)
    form.add_error("code", wrong)
    return False


@login_not_required
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    device = services.totp_device_confirmed(user)
    if device is None:
        return redirect("accounts:login_setup")
    form = CodeForm(request.POST or None)
    wrong = _("This code is not valid, was already used or has expired.")
    if (
        request.method == "POST"
        and form.is_valid()
        and _second_factor_passed(request, user, device, form, wrong)
    ):
        services.session_start(request=request, user=user, device=device)
        return _after_login(request)
    return render(request, "accounts/login_verify.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def login_recovery(request: HttpRequest) -> HttpResponse:
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    device = services.recovery_device_for(user)
    form = RecoveryCodeForm(request.POST or None)
    wrong = _("This recovery code is not valid or was already used.")
    if (
        request.method == "POST"
        and form.is_valid()
        and _second_factor_passed(request, user, device, form, wrong)
    ):
        assert device is not None  # a missing device never passes
        services.session_start(request=request, user=user, device=device)
        audit_record(action="accounts.mfa.recovery_code_used", actor=user, request=request)
        messages.warning(
            request,
            _("You signed in with a recovery code. %(count)d codes are left.")
            % {"count": device.remaining()},
        )
        return _after_login(request)
    return render(request, "accounts/login_recovery.html", {"form": form})


def _enrolment_context(device: TOTPDevice, form: CodeForm) -> dict[str, Any]:
    uri = services.totp_provisioning_uri(device)
    # segno writes only path data into the SVG: no user input reaches the markup.
    qr_svg = mark_safe(segno.make(uri, error="m").svg_inline(scale=5, title=_("QR code")))  # noqa: S308
    secret = uri.split("secret=")[1].split("&")[0]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"form": form, "qr_svg": qr_svg, "secret": grouped}


@login_not_required
@require_http_methods(["GET", "POST"])
def login_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: enrol an authenticator app before anything else."""
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    if services.totp_device_confirmed(user) is not None:
        return redirect("accounts:login_verify")
    device = services.totp_enrolment_device(request=request, user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled := _throttled_message(device):
            form.add_error(None, throttled)
        elif services.totp_device_confirm(
            device=device, token=form.cleaned_data["code"], request=request
        ):
            codes = services.recovery_codes_generate(user=user, request=request)
            services.session_start(request=request, user=user, device=device)
            # Shown in this response only: plain codes are never stored, not even in the session.
            continue_url = _safe_next(request, request.session.pop(NEXT_KEY, None))
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "continue_url": continue_url or reverse("home")},
            )
        else:
            form.add_error("code", _("This code is not valid. Check the time on your phone."))
    return render(request, "accounts/login_setup.html", _enrolment_context(device, form))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.session_end(request=request, reason="logout")
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@require_http_methods(["GET"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    current = services.session_current(request)
    sessions = list(UserSession.objects.filter(user=user))
    recovery = services.recovery_device_for(user)
    context = {
        "totp_device": services.totp_device_confirmed(user),
        "recovery_remaining": recovery.remaining() if recovery else 0,
        "sessions": sessions,
        "current_session_id": current.pk if current else None,
    }
    return render(request, "accounts/profile.html", context)


@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            request=request, user=request.user, new_password=form.cleaned_data["new_password"]
        )
        messages.success(
            request, _("Your password is changed. Your other sessions have been ended.")
        )
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def mfa_replace(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol a new authenticator app; the old one stops working once the new one is confirmed."""
    device = services.totp_enrolment_device(request=request, user=request.user)
    form = ReplaceAuthenticatorForm(request, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled := _throttled_message(device):
            form.add_error(None, throttled)
        elif services.totp_device_confirm(
            device=device, token=form.cleaned_data["code"], request=request
        ):
            messages.success(
                request,
                _("Your new authenticator app is active. Your other sessions have been ended."),
            )
            return redirect("accounts:profile")
        else:
            form.add_error("code", _("This code is not valid. Check the time on your phone."))
    return render(request, "accounts/mfa_replace.html", _enrolment_context(device, form))


@require_POST
def recovery_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make new codes and show them in this response only (they are never stored in plain).

    The current password is asked again: a stolen session alone cannot replace the codes.
    """
    form = CurrentPasswordForm(request, request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("Your current password is not correct."))
        return redirect("accounts:profile")
    codes = services.recovery_codes_generate(user=request.user, request=request)
    context = {"codes": codes, "continue_url": reverse("accounts:profile")}
    return render(request, "accounts/recovery_codes.html", context)


@require_POST
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.user_sessions_end(user=request.user, keep_request=request)
    messages.success(request, _("%(count)d other sessions were ended.") % {"count": count})
    return redirect("accounts:profile")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:
        # The link uses the configured address, never the request's Host header.
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form: Any) -> HttpResponse:
        from vangnet.lib.http import client_ip

        allowed = services.password_reset_allowed(
            email=form.cleaned_data["email"], ip=client_ip(self.request)
        )
        if not allowed:
            # Too many requests: the same answer, but no mail (no mail-bombing, no probing).
            audit_record(action="accounts.password.reset_throttled", request=self.request)
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from a reset link; the user still has to pass the second factor."""

    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            user = form.save()
            services.password_reset_complete(request=self.request, user=user)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request, _("Your password is set. Enter the code from your authenticator app.")
        )
        return redirect(reverse("accounts:login_verify"))
