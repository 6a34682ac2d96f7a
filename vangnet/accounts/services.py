"""Account workflows: users, MFA enrolment, sign-in and sessions.

Every function that changes security state writes an audit event.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp import login as otp_login
from django_otp.models import Device

from vangnet.accounts.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    TOTPDevice,
    User,
    UserSession,
    normalize_email,
    recovery_code_hash,
)
from vangnet.audit.services import audit_record
from vangnet.lib.tokens import token_hash

SESSION_TOKEN_KEY = "vn_session_token"
ENROLMENT_DEVICE_KEY = "vn_enrolment_device"
ENROLMENT_MAX_AGE = timedelta(minutes=10)
MFA_PENDING_USER_KEY = "vn_mfa_pending_user"
MFA_PENDING_SINCE_KEY = "vn_mfa_pending_since"
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    platform_role: str = "",
    created_by: User | None = None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, platform_role=platform_role
    )
    audit_record(action="accounts.user.created", actor=created_by, target=user)
    return user


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email(email), is_active=True).first()


# --- MFA devices -----------------------------------------------------------------------------


def totp_device_create(*, user: User, name: str = "Authenticator") -> TOTPDevice:
    """Start an enrolment: a new, unconfirmed device with a fresh random seed.

    Earlier unconfirmed devices are deleted, so a seed someone else saw (for example by
    opening the enrolment page with a stolen password) can never be the one confirmed.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user, name=name, key=secrets.token_bytes(20).hex(), confirmed=False
    )


def totp_enrolment_device(*, request: HttpRequest, user: User) -> TOTPDevice:
    """The unconfirmed device this session is enrolling; a fresh one if there is none.

    Only the session that created an unconfirmed device may continue with it.
    """
    device_id = request.session.get(ENROLMENT_DEVICE_KEY)
    device = None
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None or timezone.now() - device.created_at > ENROLMENT_MAX_AGE:
        device = totp_device_create(user=user)
        request.session[ENROLMENT_DEVICE_KEY] = device.pk
    return device


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_provisioning_uri(device: TOTPDevice) -> str:
    from base64 import b32encode
    from urllib.parse import quote, urlencode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{device.user.email}")
    query = urlencode(
        {"secret": secret, "issuer": settings.OTP_TOTP_ISSUER, "digits": device.digits}
    )
    return f"otpauth://totp/{label}?{query}"


@transaction.atomic
def totp_device_confirm(
    *, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> bool:
    """Confirm an enrolment with a code from the app; replaces any earlier device."""
    if not device.verify_token(token):
        audit_record(action="accounts.mfa.enrolment_failed", actor=device.user, request=request)
        return False
    user = device.user
    replaced = list(TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk))
    for old in replaced:
        old.delete()
        audit_record(
            action="accounts.mfa.removed",
            actor=user,
            object_type="accounts.totpdevice",
            object_id=str(old.pk),
            request=request,
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action="accounts.mfa.enrolled", actor=user, target=device, request=request)
    if request is not None:
        request.session.pop(ENROLMENT_DEVICE_KEY, None)
        if request.user.is_authenticated:
            # The session was verified with the old device: move it to the new one.
            otp_login(request, device)
    if replaced:
        user_sessions_end(user=user, keep_request=request, reason="mfa_changed")
        security_notice_send(user=user, kind="mfa_changed")
    return True


@transaction.atomic
def recovery_codes_generate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's recovery codes; the plain codes are shown once and never stored.

    The device row is kept (only its codes change): a session verified with a recovery code
    stays verified.
    """
    device = RecoveryCodeDevice.objects.filter(user=user).first()
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    device.codes.all().delete()
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(4))
        for _ in range(settings.VANGNET_RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=recovery_code_hash(code)) for code in codes
    )
    audit_record(action="accounts.recovery_codes.generated", actor=user, request=request)
    return codes


def recovery_device_for(user: User) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()


# --- Sign-in ---------------------------------------------------------------------------------


def mfa_pending_start(*, request: HttpRequest, user: User) -> None:
    """The password was right: remember the user for the OTP step, not as logged in."""
    request.session.cycle_key()
    request.session[MFA_PENDING_USER_KEY] = str(user.pk)
    request.session[MFA_PENDING_SINCE_KEY] = timezone.now().timestamp()


def mfa_pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(MFA_PENDING_USER_KEY)
    since = request.session.get(MFA_PENDING_SINCE_KEY)
    if not user_id or since is None:
        return None
    if timezone.now().timestamp() - float(since) > settings.MFA_PENDING_SECONDS:
        mfa_pending_clear(request)
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def mfa_pending_clear(request: HttpRequest) -> None:
    request.session.pop(MFA_PENDING_USER_KEY, None)
    request.session.pop(MFA_PENDING_SINCE_KEY, None)


def session_start(*, request: HttpRequest, user: User, device: Device) -> UserSession:
    """Complete the sign-in after the second factor and register the server-side session."""
    mfa_pending_clear(request)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    token = secrets.token_urlsafe(32)
    request.session[SESSION_TOKEN_KEY] = token
    request.session.save()
    user_session = UserSession.objects.create(
        user=user,
        token_hash=token_hash(token),
        session_key=request.session.session_key or "",
        user_agent=request.headers.get("User-Agent", "")[:200],
    )
    audit_record(
        action="accounts.login.succeeded",
        actor=user,
        request=request,
        data={"factor": "recovery_code" if isinstance(device, RecoveryCodeDevice) else "totp"},
    )
    return user_session


def session_current(request: HttpRequest) -> UserSession | None:
    token = request.session.get(SESSION_TOKEN_KEY)
    if not token:
        return None
    return UserSession.objects.filter(token_hash=token_hash(token)).first()


def session_end(*, request: HttpRequest, reason: str = "logout") -> None:
    """End the current session on the server (logout, timeouts)."""
    user = request.user if request.user.is_authenticated else None
    current = session_current(request)
    if current is not None:
        current.delete()
    if user is not None:
        audit_record(
            action="accounts.session.ended", actor=user, request=request, data={"reason": reason}
        )
    auth_logout(request)


def user_sessions_end(
    *, user: User, keep_request: HttpRequest | None = None, reason: str = "ended_by_user"
) -> int:
    """End every session of the user except the one making the request."""
    keep = session_current(keep_request) if keep_request is not None else None
    others = UserSession.objects.filter(user=user)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    keys = [key for key in others.values_list("session_key", flat=True) if key]
    count, _detail = others.delete()
    Session.objects.filter(session_key__in=keys).delete()
    if count:
        audit_record(
            action="accounts.session.others_ended",
            actor=user,
            request=keep_request,
            data={"count": count, "reason": reason},
        )
    return count


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, new_password: str) -> None:
    from django.contrib.auth import update_session_auth_hash

    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    current = session_current(request)
    if current is not None:
        current.session_key = request.session.session_key or ""
        current.save(update_fields=["session_key"])
    audit_record(action="accounts.password.changed", actor=user, request=request)
    user_sessions_end(user=user, keep_request=request, reason="password_changed")
    security_notice_send(user=user, kind="password_changed")


@transaction.atomic
def password_reset_complete(*, request: HttpRequest, user: User) -> None:
    """A reset link set a new password: end all sessions, then ask for the second factor."""
    audit_record(action="accounts.password.reset", actor=user, request=request)
    user_sessions_end(user=user, reason="password_reset")
    security_notice_send(user=user, kind="password_changed")
    mfa_pending_start(request=request, user=user)


def security_notice_send(*, user: User, kind: str) -> None:
    """Tell the user by e-mail that a security setting changed. No other content.

    Sent after the transaction commits (never while the audit chain is locked); a mail
    server failure is logged by Django and does not undo the change.
    """
    context: dict[str, Any] = {"kind": kind, "site_url": settings.SITE_URL}
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: a security setting of your account changed")
        body = render_to_string("accounts/emails/security_notice.txt", context)
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]), robust=True)


RESET_LIMIT_PER_ADDRESS = 3  # per hour
RESET_LIMIT_PER_IP = 10  # per hour
KEEP_LOGIN_RECORDS = timedelta(days=1)


def _keyed(value: str) -> str:
    import hashlib
    import hmac

    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Record a reset request and say whether a mail may go out (the page looks the same)."""
    from vangnet.accounts.models import PasswordResetRequest

    since = timezone.now() - timedelta(hours=1)
    address, address_ip = _keyed("address|" + normalize_email(email)), _keyed("ip|" + ip)
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    allowed = (
        recent.filter(address_hash=address).count() < RESET_LIMIT_PER_ADDRESS
        and recent.filter(ip_hash=address_ip).count() < RESET_LIMIT_PER_IP
    )
    PasswordResetRequest.objects.create(address_hash=address, ip_hash=address_ip)
    return allowed


def login_records_purge(*, now: Any = None) -> int:
    """Delete lockout attempts and reset requests older than a day (personal data: IP, e-mail)."""
    from axes.models import AccessAttempt

    from vangnet.accounts.models import PasswordResetRequest

    cutoff = (now or timezone.now()) - KEEP_LOGIN_RECORDS
    attempts, _detail = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    requests, _detail = PasswordResetRequest.objects.filter(created_at__lt=cutoff).delete()
    return int(attempts) + int(requests)
