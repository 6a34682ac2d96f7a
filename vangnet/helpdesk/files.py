"""Attachments encrypted at rest with the platform data key.

Askers are asked to anonymise their text, but an attached report may still name people, so the
file on disk holds only ciphertext, in the key ring's value format (version 1)::

    0x01 | data key id (16 bytes, UUID) | nonce (12) | AES-GCM ciphertext | tag (16)

The AES-GCM associated data is that 17-byte header plus the attachment's context (model, field,
no cell, attachment id, built like ``EncryptedTextField.aad_from``): a file copied over another
attachment's file does not decrypt. Attachments are at most ``VANGNET_MAX_UPLOAD_BYTES``, so they
are encrypted and decrypted in memory. The ``sha256`` and ``size`` on the model are those of the
plaintext (what the asker uploaded).

The key ring has no bytes API (``value_encrypt`` takes text), so this module builds on its public
parts: ``datakey_for_scope`` / ``datakey_unwrap`` and the AEAD of ``lib/crypto.py``. Data keys of
the platform scope are never deleted (rotation only retires them), so older files keep
decrypting after a key rotation; rotation does not re-encrypt these files.
"""

from __future__ import annotations

import uuid

from vangnet.keyring.fields import AAD_PREFIX
from vangnet.keyring.services import FORMAT_V1, datakey_for_scope, datakey_unwrap
from vangnet.lib.crypto import DecryptionError, aead_decrypt, aead_encrypt

__all__ = ["DecryptionError", "attachment_decrypt", "attachment_encrypt"]

_HEADER_BYTES = 1 + 16


def _aad(attachment_id: uuid.UUID) -> bytes:
    return AAD_PREFIX + f"helpdesk.attachment|file|-|{attachment_id}".encode()


def attachment_encrypt(*, attachment_id: uuid.UUID, data: bytes) -> bytes:
    """The file's bytes encrypted with the platform's active data key, bound to the id."""
    datakey = datakey_for_scope(None)
    header = FORMAT_V1 + datakey.id.bytes
    key = datakey_unwrap(datakey.id)
    return header + aead_encrypt(key, data, header + _aad(attachment_id))


def attachment_decrypt(*, attachment_id: uuid.UUID, ciphertext: bytes) -> bytes:
    """Inverse of :func:`attachment_encrypt`; DecryptionError if anything does not match."""
    if len(ciphertext) < _HEADER_BYTES or ciphertext[:1] != FORMAT_V1:
        raise DecryptionError("not an encrypted attachment (unknown format or truncated)")
    header = ciphertext[:_HEADER_BYTES]
    key = datakey_unwrap(uuid.UUID(bytes=header[1:]))
    return aead_decrypt(key, ciphertext[_HEADER_BYTES:], header + _aad(attachment_id))
