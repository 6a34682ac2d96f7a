"""Hashes of random single-use tokens (links, sessions): only the hash is stored."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """SHA-256 is enough here: the tokens carry 256 random bits, so nothing can be guessed."""
    return hashlib.sha256(token.encode()).hexdigest()
