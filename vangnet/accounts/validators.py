from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PASSWORD_LENGTH = 256


class MaximumLengthValidator:
    """Allow long passphrases, but not megabytes of input to the password hasher."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                _("This password is too long (at most %(max)d characters).")
                % {"max": MAX_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Long passphrases are welcome, up to %(max)d characters.") % {
            "max": MAX_PASSWORD_LENGTH
        }
