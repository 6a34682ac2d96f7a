"""Blind indexes: keyed hashes that allow exact lookups on encrypted identity data."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import uuid

from django.conf import settings


def normalise_name(value: str) -> str:
    """The form of a name that blind indexes compare: no case, accents or extra spaces."""
    return _normalise(value)


def _normalise(value: str) -> str:
    # Case, accents and spacing must not make the same person look different.
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.split())


def identity_index(*, cell_id: uuid.UUID, name: str, birth_date: str) -> str:
    """HMAC-SHA256 of name + date of birth, keyed per cell; "" when either is missing.

    The per-cell key means equal identities in two cells give different indexes, so the
    index cannot be used to link persons across cells.
    """
    if not name.strip() or not birth_date:
        return ""
    key = hmac.new(
        settings.VANGNET_BLIND_INDEX_KEY.encode(), f"cell|{cell_id}".encode(), hashlib.sha256
    ).digest()
    message = f"{_normalise(name)}|{birth_date}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
