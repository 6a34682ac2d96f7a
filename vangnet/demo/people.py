"""Demo accounts: the shared domain and password, and how a persona is created."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from vangnet.accounts.models import TOTPDevice, User
from vangnet.accounts.services import recovery_codes_generate, totp_device_create, user_create

DEMO_DOMAIN = "demo.vangnet.invalid"
DEMO_PASSWORD = "vangnet-demo-wachtwoord"


@dataclass(frozen=True)
class Persona:
    email: str
    name: str
    description: str


# One hash of the shared demo password per hasher: Argon2 is deliberately slow, and hashing the
# same public password again for each of some seventy accounts would only slow the demo down.
_password_hashes: dict[str, str] = {}


def _password_hash() -> str:
    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _password_hashes:
        _password_hashes[hasher] = make_password(DEMO_PASSWORD)
    return _password_hashes[hasher]


def demo_user_ensure(email: str, full_name: str, platform_role: str = "") -> User:
    """The demo account with this e-mail, created with the demo password and a confirmed TOTP."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name, platform_role=platform_role)
        user.password = _password_hash()
        user.save(update_fields=["password"])
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = totp_device_create(user=user)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery_codes_generate(user=user)
    return user
