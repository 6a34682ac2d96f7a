"""Writing and verifying the audit chain.

Each event's ``hash`` is SHA-256 over a canonical JSON form of all its other fields,
including ``position`` and ``prev_hash`` (the previous event's hash; 64 zeros for the first
event). Changing, removing or reordering any event therefore breaks the chain from that
point on, which :func:`audit_verify` reports.

What the chain can't show on its own: removal of the *newest* events (the tail). Anchor the
head externally (e.g. log ``audit_verify``'s count and last hash to an outside system) if
that matters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.http import HttpRequest

from vangnet.audit.models import ACTION_PATTERN, GENESIS_HASH, AuditEvent

if TYPE_CHECKING:
    from vangnet.cells.models import Cell

# Key for pg_advisory_xact_lock: serialises appends to the chain across all processes.
# Arbitrary but fixed ("VANGAUDT" in ASCII); no other code may use this key.
AUDIT_CHAIN_LOCK_KEY = 0x56414E4741554454

VERIFY_CHUNK_SIZE = 2000

_ACTION_RE = re.compile(ACTION_PATTERN)
_REQUEST_ID_MAX = AuditEvent._meta.get_field("request_id").max_length or 64


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    # Events confirmed intact, in position order, before the first break (all events if ok).
    checked: int
    first_broken_position: int | None = None
    reason: str = ""


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any | None = None,
    role: str = "",
    cell: Cell | uuid.UUID | str | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit chain and return it.

    ``actor`` defaults to the request's authenticated user. ``target`` fills ``object_type``
    (``app_label.model``) and ``object_id`` unless they are given explicitly. ``data`` must be
    non-personal metadata (see :class:`AuditEvent`); floats are refused because PostgreSQL's
    jsonb may rewrite their text form, which would break the hash.

    Errors propagate on purpose: an action that can't be audited must not silently succeed.
    The event joins the caller's transaction; if that rolls back, the event disappears with it
    (the chain stays consistent because the lock is held until the commit). Events that must
    survive a failure (e.g. a refused login) have to be recorded outside the failing
    transaction.
    """
    if not _ACTION_RE.fullmatch(action):
        raise ValueError(f"invalid audit action code: {action!r}")

    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    request_id = getattr(request, "request_id", "") if request is not None else ""

    event = AuditEvent(
        actor_id=str(actor.pk) if actor is not None and actor.pk is not None else "",
        actor_role=role,
        cell_id=_cell_id(cell),
        action=action,
        object_type=object_type,
        object_id=object_id,
        # A request id comes from a header or a generator we don't control here: a long one
        # must not make the audited action fail.
        request_id=str(request_id or "")[:_REQUEST_ID_MAX],
        data=_normalise_data(data or {}),
        # Placeholders so clean_fields() checks the others; the real values are set below.
        occurred_at=dt.datetime.now(dt.UTC),
        prev_hash=GENESIS_HASH,
        hash=GENESIS_HASH,
    )
    try:
        event.clean_fields(exclude=["position"])
    except ValidationError as exc:
        raise ValueError(f"invalid audit event: {exc.message_dict}") from exc

    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-position").values("position", "hash").first()
        event.position = last["position"] + 1 if last else 1
        event.prev_hash = last["hash"] if last else GENESIS_HASH
        # Taken under the lock so occurred_at never goes backwards along the chain.
        event.occurred_at = dt.datetime.now(dt.UTC)
        event.hash = compute_hash(event)
        # force_insert: position is set explicitly, so save() would otherwise try an UPDATE.
        event.save(force_insert=True)
    return event


def audit_verify() -> VerifyResult:
    """Walk the whole chain in position order and report the first inconsistency."""
    checked = 0
    expected_position = 1
    expected_prev = GENESIS_HASH
    # Plain rows, not model instances: a million events verify in seconds, not minutes.
    rows = (
        AuditEvent.objects.order_by("position")
        .values_list(*_HASHED_FIELDS, "hash")
        .iterator(chunk_size=VERIFY_CHUNK_SIZE)
    )
    for row in rows:
        event = _Row(*row)
        if event.position != expected_position:
            if event.position < expected_position:  # pragma: no cover - pk is unique
                reason = f"position {event.position} out of order"
            elif event.position == expected_position + 1:
                reason = f"event {expected_position} is missing"
            else:
                reason = f"events {expected_position} to {event.position - 1} are missing"
            return VerifyResult(False, checked, expected_position, reason)
        if event.prev_hash != expected_prev:
            reason = (
                "prev_hash does not match the genesis value"
                if expected_position == 1
                else f"prev_hash does not match the hash of event {expected_position - 1}"
            )
            return VerifyResult(False, checked, event.position, reason)
        if _row_hash(event) != event.hash:
            return VerifyResult(
                False, checked, event.position, "hash does not match the event's content"
            )
        checked += 1
        expected_position += 1
        expected_prev = event.hash
    return VerifyResult(True, checked)


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 (hex) of the canonical form of every field except ``hash`` itself."""
    return hashlib.sha256(canonical_bytes(event)).hexdigest()


# The fields hashed, in the order of ``_Row``; ``hash`` itself is not.
_HASHED_FIELDS = (
    "position",
    "occurred_at",
    "actor_id",
    "actor_role",
    "cell_id",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "data",
    "prev_hash",
)


@dataclass(frozen=True, slots=True)
class _Row:
    """One event as read for verification: the hashed fields and the stored hash."""

    position: int
    occurred_at: dt.datetime
    actor_id: Any
    actor_role: str
    cell_id: uuid.UUID | None
    action: str
    object_type: str
    object_id: str
    request_id: str
    data: Any
    prev_hash: str
    hash: str


def _row_hash(row: _Row) -> str:
    return hashlib.sha256(canonical_bytes(row)).hexdigest()  # type: ignore[arg-type]


def canonical_bytes(event: AuditEvent) -> bytes:
    """The exact bytes that are hashed. Changing this invalidates every existing chain."""
    occurred_at = event.occurred_at
    if occurred_at.tzinfo is None:
        raise ValueError("audit event occurred_at must be timezone-aware")
    payload = {
        "position": event.position,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "cell_id": str(event.cell_id) if event.cell_id is not None else None,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return _dumps(payload).encode("utf-8")


# json.dumps() with these options builds a new encoder on every call; audit_verify encodes a
# million events. The same encoder, kept: exactly the same text.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
)


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def _lock_chain() -> None:
    # SQLite needs nothing here: settings open transactions with BEGIN IMMEDIATE, so the write
    # lock is held from the read of the last event to the commit. Elsewhere the unique
    # position (primary key) still makes a concurrent append fail instead of forking the chain.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK_KEY])


def _cell_id(cell: Cell | uuid.UUID | str | None) -> uuid.UUID | None:
    if cell is None:
        return None
    if isinstance(cell, uuid.UUID):
        return cell
    if isinstance(cell, str):
        return uuid.UUID(cell)
    pk = cell.pk
    return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))


def _normalise_data(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` exactly as it will come back from the database, or raise ValueError.

    The hash is computed before the insert and re-computed from the stored row later, so the
    value must survive a JSON round trip unchanged (tuples become lists, keys must be strings).
    """
    if not isinstance(data, dict):
        raise ValueError("audit data must be a dict")
    _check_json_value(data)
    try:
        result: dict[str, Any] = json.loads(_dumps(data))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"audit data is not JSON-serialisable: {exc}") from exc
    return result


def _check_json_value(value: Any) -> None:
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("audit data strings can't contain NUL characters")
        return
    if isinstance(value, float):
        raise ValueError("audit data can't contain floats; use an int or a str")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("audit data keys must be strings")
            _check_json_value(key)
            _check_json_value(item)
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_json_value(item)
        return
    raise ValueError(f"audit data can't contain {type(value).__name__} values")
