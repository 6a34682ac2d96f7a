"""Authenticated encryption primitives and the master key ring format.

Framework-free on purpose: the Django key ring (vangnet/keyring) builds on these helpers, and
keeping them free of settings and models makes them easy to reason about and to test.

AES-256-GCM with a random 96-bit nonce per message. With random nonces one key must not
encrypt more than about 2**32 messages; data keys are per cell and rotated, which keeps every
key far below that bound.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
# Key ids end up in the database (DataKey.master_key_id, max 64) and in logs: keep them tame.
_KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class DecryptionError(Exception):
    """A ciphertext could not be decrypted: wrong key, wrong context (AAD) or tampered data."""


@dataclass(frozen=True)
class MasterKeyRing:
    """Master keys by id, in configuration order; the first one is active."""

    keys: Mapping[str, bytes]

    @property
    def active_id(self) -> str:
        return next(iter(self.keys))

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]

    def __repr__(self) -> str:
        # Never print key material, not even in a traceback.
        return f"MasterKeyRing(ids={list(self.keys)!r})"


def parse_master_keys(raw: str) -> MasterKeyRing:
    """Parse ``"id:base64key,id:base64key"``; raise ValueError on anything doubtful.

    Whitespace around entries is ignored (so the value may be wrapped over lines in a secret
    file), but empty entries, unknown characters in ids, bad base64, keys that are not exactly
    32 bytes and duplicate ids are errors: a silently skipped key would mean unreadable data.
    Error messages name the entry by position and id, never the key material.
    """
    keys: dict[str, bytes] = {}
    if not raw.strip():
        raise ValueError("the master key ring is empty")
    for position, entry in enumerate(raw.strip().split(","), start=1):
        key_id, sep, encoded = entry.strip().partition(":")
        if not sep:
            raise ValueError(f"master key entry {position} is not of the form id:base64key")
        if not _KEY_ID.match(key_id):
            raise ValueError(
                f"master key entry {position}: the id must be 1-64 characters of "
                "letters, digits, '.', '_' or '-'"
            )
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"master key {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(
                f"master key {key_id!r} is {len(key)} bytes long, expected {KEY_BYTES}"
            )
        if key_id in keys:
            raise ValueError(f"master key id {key_id!r} occurs more than once")
        keys[key_id] = key
    return MasterKeyRing(keys=keys)


def generate_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"an AES-256 key is {KEY_BYTES} bytes, not {len(key)}")


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate; returns ``nonce (12) || ciphertext || tag (16)``.

    ``aad`` is authenticated but not stored: decryption needs the very same bytes, which is
    how a ciphertext is bound to its context (row, field, scope).
    """
    _check_key(key)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(key: bytes, data: bytes, aad: bytes) -> bytes:
    """Inverse of :func:`aead_encrypt`; raises DecryptionError if anything does not match."""
    _check_key(key)
    if len(data) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext is too short to be valid")
    try:
        return AESGCM(key).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            "ciphertext does not authenticate: wrong key, wrong context (AAD) or tampered data"
        ) from None
