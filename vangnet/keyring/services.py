"""The key ring: per-scope data keys wrapped by master keys, value encryption, rotation.

Master keys come from ``settings.VANGNET_MASTER_KEYS`` (read at call time, never stored);
data keys live wrapped in :class:`DataKey`, one active per scope (a cell, or the platform).

Value ciphertext format (version 1)::

    0x01 | data key id (16 bytes, UUID) | nonce (12) | AES-GCM ciphertext | tag (16)

The AES-GCM associated data is the 17-byte header followed by the caller's context (see
``EncryptedTextField.aad_for``), so neither the header nor the context can be swapped.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import IntegrityError, models, transaction
from django.dispatch import receiver
from django_scopes import scopes_disabled

from vangnet.keyring.fields import EncryptedTextField
from vangnet.keyring.models import DataKey
from vangnet.lib.crypto import (
    DecryptionError,
    MasterKeyRing,
    aead_decrypt,
    aead_encrypt,
    generate_key,
    parse_master_keys,
)

logger = logging.getLogger(__name__)

FORMAT_V1 = b"\x01"
_HEADER_BYTES = 1 + 16
ROTATION_BATCH_SIZE = 500

# Unwrapped data keys by DataKey id. Only ever filled from the database plus the configured
# master keys, so it is safe to share within a process; cleared when the master keys change.
_unwrapped: dict[UUID, bytes] = {}
_lock = threading.Lock()


class RotationError(Exception):
    """Rotation stopped: a data key or a value could not be decrypted."""


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class RotationReport:
    """Counts only: safe to print and log."""

    rewrapped_keys: int = 0
    new_keys: int = 0
    retired_keys: int = 0
    values_reencrypted: int = 0
    values_by_field: dict[str, int] = field(default_factory=dict)


# -- Master keys and the cache -----------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _parse(raw: str) -> MasterKeyRing:
    return parse_master_keys(raw)


def master_keys() -> MasterKeyRing:
    """The configured master key ring (settings are read on every call)."""
    try:
        return _parse(settings.VANGNET_MASTER_KEYS)
    except ValueError as error:
        raise ValueError(f"VANGNET_MASTER_KEYS: {error}") from None


def keyring_cache_clear() -> None:
    """Forget every unwrapped data key (they are unwrapped again on next use)."""
    with _lock:
        _unwrapped.clear()


@receiver(setting_changed)
def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    # override_settings in tests: unwrapped keys must not outlive the master keys they came from.
    if setting == "VANGNET_MASTER_KEYS":
        keyring_cache_clear()


# -- Data keys ---------------------------------------------------------------------------


def _wrap_aad(*, key_id: UUID, cell_id: UUID | None, version: int) -> bytes:
    return f"vangnet|datakey|v1|{cell_id or '-'}|{version}|{key_id}".encode()


def _scope(cell_id: UUID | None) -> models.Q:
    # Spelled out: "cell_id=None" would work at runtime but hides the platform scope.
    return models.Q(cell__isnull=True) if cell_id is None else models.Q(cell_id=cell_id)


def _datakey_wrap(datakey: DataKey, *, raw: bytes, ring: MasterKeyRing) -> None:
    aad = _wrap_aad(key_id=datakey.id, cell_id=datakey.cell_id, version=datakey.version)
    datakey.wrapped_key = aead_encrypt(ring.active_key, raw, aad)
    datakey.master_key_id = ring.active_id


def _datakey_create(*, cell_id: UUID | None, version: int) -> DataKey:
    raw = generate_key()
    datakey = DataKey(id=uuid.uuid4(), cell_id=cell_id, version=version, active=True)
    _datakey_wrap(datakey, raw=raw, ring=master_keys())
    datakey.save(force_insert=True)
    with _lock:
        _unwrapped[datakey.id] = raw
    return datakey


def _next_version(cell_id: UUID | None) -> int:
    latest = DataKey.objects.filter(_scope(cell_id)).aggregate(v=models.Max("version"))["v"]
    return (latest or 0) + 1


def datakey_for_scope(cell_id: UUID | None) -> DataKey:
    """The active data key of a cell (or of the platform for ``None``), created if missing."""
    datakey = DataKey.objects.filter(_scope(cell_id), active=True).first()
    if datakey is not None:
        return datakey
    try:
        with transaction.atomic():
            return _datakey_create(cell_id=cell_id, version=_next_version(cell_id))
    except IntegrityError:
        # Another process created the scope's key at the same moment: use that one.
        datakey = DataKey.objects.filter(_scope(cell_id), active=True).first()
        if datakey is None:
            raise
        return datakey


def _unwrap(datakey: DataKey, ring: MasterKeyRing | None = None) -> bytes:
    with _lock:
        raw = _unwrapped.get(datakey.id)
    if raw is not None:
        return raw
    ring = ring or master_keys()
    master = ring.keys.get(datakey.master_key_id)
    if master is None:
        raise DecryptionError(
            f"data key {datakey.id} is wrapped with master key {datakey.master_key_id!r}, "
            f"which is not configured in VANGNET_MASTER_KEYS (configured: {list(ring.keys)})"
        )
    aad = _wrap_aad(key_id=datakey.id, cell_id=datakey.cell_id, version=datakey.version)
    try:
        raw = aead_decrypt(master, bytes(datakey.wrapped_key), aad)
    except DecryptionError:
        raise DecryptionError(
            f"data key {datakey.id} cannot be unwrapped with master key "
            f"{datakey.master_key_id!r}: the configured key material for that id is wrong, "
            "or the wrapped key was altered"
        ) from None
    with _lock:
        _unwrapped[datakey.id] = raw
    return raw


def datakey_verify(datakey: DataKey) -> bool:
    """Does this data key unwrap with the master keys configured now? Bypasses the per-process
    cache, so it is evidence about the current configuration (the privacy register uses it)."""
    master = master_keys().keys.get(datakey.master_key_id)
    if master is None:
        return False
    aad = _wrap_aad(key_id=datakey.id, cell_id=datakey.cell_id, version=datakey.version)
    try:
        aead_decrypt(master, bytes(datakey.wrapped_key), aad)
    except DecryptionError:
        return False
    return True


def datakey_unwrap(key_id: UUID) -> bytes:
    """The raw 32-byte data key with this id (cached per process)."""
    with _lock:
        raw = _unwrapped.get(key_id)
    if raw is not None:
        return raw
    datakey = DataKey.objects.filter(id=key_id).first()
    if datakey is None:
        raise DecryptionError(f"data key {key_id} does not exist (deleted with its cell?)")
    return _unwrap(datakey)


# -- Values ------------------------------------------------------------------------------


def _encrypt_with(datakey: DataKey, key: bytes, *, plaintext: str, aad: bytes) -> bytes:
    header = FORMAT_V1 + datakey.id.bytes
    return header + aead_encrypt(key, plaintext.encode(), header + aad)


def value_encrypt(*, plaintext: str, cell_id: UUID | None, aad: bytes) -> bytes:
    """Encrypt with the active data key of the scope; ``aad`` is the caller's context."""
    datakey = datakey_for_scope(cell_id)
    return _encrypt_with(datakey, _unwrap(datakey), plaintext=plaintext, aad=aad)


def _key_id_of(ciphertext: bytes) -> UUID:
    if len(ciphertext) < _HEADER_BYTES or ciphertext[:1] != FORMAT_V1:
        raise DecryptionError("not a Vangnet ciphertext (unknown format version or truncated)")
    return UUID(bytes=ciphertext[1:_HEADER_BYTES])


def value_decrypt(*, ciphertext: bytes, aad: bytes) -> str:
    """Decrypt a value; DecryptionError if key, context (``aad``) or bytes do not match."""
    ciphertext = bytes(ciphertext)
    key = datakey_unwrap(_key_id_of(ciphertext))
    header = ciphertext[:_HEADER_BYTES]
    try:
        plaintext = aead_decrypt(key, ciphertext[_HEADER_BYTES:], header + aad)
    except DecryptionError:
        raise DecryptionError(
            "encrypted value does not authenticate: it belongs to another row, field or "
            "cell, or it was altered"
        ) from None
    return plaintext.decode()


# -- Rotation ----------------------------------------------------------------------------


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with its own (local) EncryptedTextFields."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        found = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if found:
            yield model, found


def _rewrap_all(ring: MasterKeyRing, report: RotationReport) -> None:
    with transaction.atomic():
        for datakey in DataKey.objects.select_for_update(no_key=True).order_by("created_at"):
            try:
                raw = _unwrap(datakey, ring)
            except DecryptionError as error:
                raise RotationError(f"cannot rotate: {error}") from None
            if datakey.master_key_id != ring.active_id:
                _datakey_wrap(datakey, raw=raw, ring=ring)
                datakey.save(update_fields=["wrapped_key", "master_key_id"])
                report.rewrapped_keys += 1


def _new_versions(report: RotationReport) -> dict[UUID | None, tuple[DataKey, bytes]]:
    """Retire every scope's active key and create its successor."""
    scopes = set(DataKey.objects.values_list("cell_id", flat=True).distinct())
    new: dict[UUID | None, tuple[DataKey, bytes]] = {}
    for cell_id in sorted(scopes, key=str):
        with transaction.atomic():
            report.retired_keys += DataKey.objects.filter(_scope(cell_id), active=True).update(
                active=False
            )
            datakey = _datakey_create(cell_id=cell_id, version=_next_version(cell_id))
        new[cell_id] = (datakey, _unwrap(datakey))
        report.new_keys += 1
    return new


def _reencrypt_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    new: dict[UUID | None, tuple[DataKey, bytes]],
    report: RotationReport,
) -> None:
    manager = model._base_manager
    cell_fields = {f.cell_field for f in fields if f.cell_field}
    row_fields = {f.row_field for f in fields if f.row_field}
    columns = ["pk", *sorted(cell_fields | row_fields), *(f.attname for f in fields)]
    last_pk: Any = None
    while True:
        with transaction.atomic():
            queryset = manager.select_for_update(no_key=True).order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            rows = list(queryset.values(*columns)[:ROTATION_BATCH_SIZE])
            for row in rows:
                changes = {}
                for f in fields:
                    stored = row[f.attname]
                    if stored is None:
                        continue
                    cell_id = row[f.cell_field] if f.cell_field else None
                    aad = f.aad_from(pk=row[f.row_field or "pk"], cell_id=cell_id)
                    label = f"{model._meta.label}.{f.name}"
                    try:
                        plaintext = value_decrypt(ciphertext=bytes(stored), aad=aad)
                    except DecryptionError as error:
                        raise RotationError(
                            f"cannot rotate: {label} of row {row['pk']} does not decrypt "
                            f"({error}); rows before it are already re-encrypted, "
                            "fix or clear this value and run the rotation again"
                        ) from None
                    if cell_id not in new:  # a scope without keys so far: give it one
                        datakey = datakey_for_scope(cell_id)
                        new[cell_id] = (datakey, _unwrap(datakey))
                    datakey, key = new[cell_id]
                    changes[f.attname] = _encrypt_with(datakey, key, plaintext=plaintext, aad=aad)
                    report.values_by_field[label] = report.values_by_field.get(label, 0) + 1
                    report.values_reencrypted += 1
                if changes:
                    manager.filter(pk=row["pk"]).update(**changes)
        if len(rows) < ROTATION_BATCH_SIZE:
            return
        last_pk = rows[-1]["pk"]


def keyring_rotate(*, stdout: Writer | None = None) -> RotationReport:
    """Rotate master and data keys; safe to re-run after a failure.

    1. Re-wrap every data key with the active (first) master key, so older master keys can
       be removed from VANGNET_MASTER_KEYS afterwards.
    2. Give every scope a new active data key version and re-encrypt every EncryptedTextField
       value of every model with it, in batches, each batch in its own transaction.
    3. Old data keys stay, inactive (re-wrapped in step 1): they are not deleted, because
       backups from before the rotation, and values written by another process while the
       rotation ran, may still need them. Deleting a cell deletes its keys.

    Run it in a quiet moment; it prints counts only, never values.
    """
    ring = master_keys()
    report = RotationReport()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with scopes_disabled():
        _rewrap_all(ring, report)
        say(f"Re-wrapped {report.rewrapped_keys} data key(s) with master key {ring.active_id!r}.")
        new = _new_versions(report)
        say(f"Created {report.new_keys} new data key version(s).")
        for model, fields in encrypted_fields():
            _reencrypt_model(model, fields, new, report)
            for f in fields:
                label = f"{model._meta.label}.{f.name}"
                say(f"  {label}: {report.values_by_field.get(label, 0)} value(s) re-encrypted")
    logger.info(
        "key rotation done: %s keys re-wrapped, %s new, %s retired, %s values re-encrypted",
        report.rewrapped_keys,
        report.new_keys,
        report.retired_keys,
        report.values_reencrypted,
    )
    return report
