"""Users, their MFA devices (TOTP and recovery codes) and their server-side sessions."""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP

from vangnet.keyring.fields import EncryptedTextField


class PlatformRole(models.TextChoices):
    NONE = "", _("None")
    VVSG_STAFF = "vvsg_staff", _("VVSG staff (support)")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively everywhere (login, lockout, reset)."""
    return email.strip().lower()


class User(AbstractBaseUser):
    """A person with an account. Log in by e-mail; every account uses MFA."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    platform_role = models.CharField(
        _("platform role"), max_length=20, choices=PlatformRole.choices, blank=True, default=""
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_vvsg_staff(self) -> bool:
        return self.platform_role in (PlatformRole.VVSG_STAFF, PlatformRole.PLATFORM_ADMIN)

    @property
    def is_platform_admin(self) -> bool:
        return self.platform_role == PlatformRole.PLATFORM_ADMIN

    # Django's auth machinery (password reset, templates) asks for these.
    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class TOTPDevice(ThrottlingMixin, Device):
    """An authenticator app. The secret is encrypted at rest (platform-scope data key).

    django-otp's own TOTPDevice keeps the seed in plain text and accepts one step either
    side; ours encrypts the seed and accepts only the current 30-second step by default
    (VANGNET_TOTP_TOLERANCE), refusing any code at or before the last accepted step.
    """

    # django-otp needs integer primary keys (persistent ids); the AAD binds to `uid` instead.
    uid: models.UUIDField[uuid.UUID, uuid.UUID] = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False
    )
    key = EncryptedTextField(cell_field=None, row_field="uid")  # hex-encoded 20-byte seed
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=6)
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        default=timezone.now
    )

    class Meta:
        verbose_name = _("authenticator app")

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def get_throttle_factor(self) -> int:
        return int(settings.VANGNET_OTP_THROTTLE_FACTOR)

    def current_code(self) -> str:
        """The code an authenticator app shows right now (demo_otp and tests)."""
        totp = TOTP(self.bin_key, self.step, 0, self.digits)
        totp.time = time.time()
        return f"{totp.token():0{self.digits}d}"

    def verify_token(self, token: Any) -> bool:
        # The row is locked for the whole check, so parallel guesses cannot share one
        # throttle step and one code cannot be accepted twice (replay).
        with transaction.atomic():
            locked = type(self).objects.select_for_update(no_key=True).get(pk=self.pk)
            verified = locked._verify_locked(token)
        self.last_t = locked.last_t
        self.throttling_failure_count = locked.throttling_failure_count
        self.throttling_failure_timestamp = locked.throttling_failure_timestamp
        return verified

    def _verify_locked(self, token: Any) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            code = int(str(token).strip())
        except ValueError:
            code = -1
        totp = TOTP(self.bin_key, self.step, 0, self.digits)
        totp.time = time.time()
        verified = code >= 0 and totp.verify(
            code, tolerance=settings.VANGNET_TOTP_TOLERANCE, min_t=self.last_t + 1
        )
        if verified:
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
        else:
            self.throttle_increment(commit=False)
        self.save(
            update_fields=["last_t", "throttling_failure_timestamp", "throttling_failure_count"]
        )
        return bool(verified)


def recovery_code_hash(code: str) -> str:
    """Hash a recovery code. Codes carry 80 random bits, so a fast hash is enough."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A user's set of single-use recovery codes, stored hashed."""

    class Meta:
        verbose_name = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return int(settings.VANGNET_OTP_THROTTLE_FACTOR)

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()

    def verify_token(self, token: Any) -> bool:
        # Locked like TOTPDevice.verify_token: one throttle step per guess, even in parallel.
        with transaction.atomic():
            locked = type(self).objects.select_for_update(no_key=True).get(pk=self.pk)
            allowed, _info = locked.verify_is_allowed()
            if not allowed:
                return False
            used = locked.codes.filter(
                code_hash=recovery_code_hash(str(token)), used_at__isnull=True
            ).update(used_at=timezone.now())
            if used:
                locked.throttle_reset(commit=False)
            else:
                locked.throttle_increment(commit=False)
            locked.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
        self.throttling_failure_count = locked.throttling_failure_count
        self.throttling_failure_timestamp = locked.throttling_failure_timestamp
        return bool(used)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="accounts_recovery_unique")
        ]

    def __str__(self) -> str:
        return f"Recovery code {self.pk}"


class UserSession(models.Model):
    """A signed-in session as the server knows it.

    The Django session holds a random token; this row holds its hash. Deleting the row ends
    the session on the next request, which is how "end other sessions", password and MFA
    changes and the absolute timeout work.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    token_hash = models.CharField(max_length=64, unique=True)
    session_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class PasswordResetRequest(models.Model):
    """A reset request, kept a day to limit requests per address and per IP (keyed hashes only)."""

    address_hash = models.CharField(max_length=64, db_index=True)
    ip_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Reset request {self.pk}"
