"""The encrypted backup file: a tar stream cut into AES-256-GCM chunks.

Layout::

    MAGIC | key id length (1) | key id (ASCII) | nonce prefix (8)
    then per chunk: last flag (1) | ciphertext length (4, big-endian) | ciphertext + tag

Chunk ``i`` is encrypted with nonce ``prefix | i`` (4 bytes, big-endian) and associated data
``header | i | last flag``: chunks cannot be reordered, dropped, swapped between files or
moved past the end, and a file cut short lacks its last chunk and is refused. The nonce prefix
is random per file; a file holds at most 2**32 chunks of `CHUNK_BYTES`.
"""

from __future__ import annotations

import io
import secrets
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vangnet.lib.crypto import KEY_BYTES, MasterKeyRing

MAGIC = b"VANGNET-BACKUP\x01"
CHUNK_BYTES = 1024 * 1024
PREFIX_BYTES = 8


class BackupFileError(Exception):
    """The file is not a Vangnet backup, was altered or cut short, or its key is missing."""


def _header(key_id: str, prefix: bytes) -> bytes:
    encoded = key_id.encode("ascii")
    return MAGIC + bytes([len(encoded)]) + encoded + prefix


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">IB", index, int(last))


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what is written to it into `target`."""

    def __init__(self, target: BinaryIO, ring: MasterKeyRing) -> None:
        super().__init__()
        key = ring.active_key
        if len(key) != KEY_BYTES:
            raise BackupFileError("the backup key must be 32 bytes")
        self._target = target
        self._aead = AESGCM(key)
        self._prefix = secrets.token_bytes(PREFIX_BYTES)
        self._header = _header(ring.active_id, self._prefix)
        self._buffer = bytearray()
        self._index = 0
        target.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        if self._index >= 2**32:
            raise BackupFileError("backup too large for one file")
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._index), chunk, _aad(self._header, self._index, last)
        )
        self._target.write(struct.pack(">BI", int(last), len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext of an encrypted backup in `source`."""

    def __init__(self, source: BinaryIO, ring: MasterKeyRing) -> None:
        super().__init__()
        magic = source.read(len(MAGIC))
        if magic != MAGIC:
            raise BackupFileError("not a Vangnet backup file (or a version this one cannot read)")
        length = source.read(1)
        key_id = source.read(length[0]).decode("ascii", errors="replace") if length else ""
        prefix = source.read(PREFIX_BYTES)
        if len(prefix) != PREFIX_BYTES:
            raise BackupFileError("the backup file is cut short")
        key = ring.keys.get(key_id)
        if key is None:
            raise BackupFileError(
                f"the backup was encrypted with backup key {key_id!r}, which is not configured "
                f"in VANGNET_BACKUP_KEY (configured: {list(ring.keys)})"
            )
        self._source = source
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._header = _header(key_id, prefix)
        self._buffer = b""
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        frame = self._source.read(5)
        if len(frame) != 5:
            raise BackupFileError("the backup file is cut short (its last part is missing)")
        last, size = struct.unpack(">BI", frame)
        if size > CHUNK_BYTES + 16:  # one chunk and its tag: a larger frame was tampered with
            raise BackupFileError("the backup file is damaged (a part is too large)")
        sealed = self._source.read(size)
        if len(sealed) != size:
            raise BackupFileError("the backup file is cut short")
        try:
            chunk = self._aead.decrypt(
                _nonce(self._prefix, self._index), sealed, _aad(self._header, self._index, last)
            )
        except InvalidTag:
            raise BackupFileError(
                "the backup cannot be decrypted: wrong backup key, or the file was altered"
            ) from None
        self._index += 1
        if last:
            if self._source.read(1):
                raise BackupFileError("the backup file has data after its last part")
            self._done = True
        self._buffer += chunk

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer and not self._done:
            self._next()
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
