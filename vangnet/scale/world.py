"""The generator's state and its bulk tools: seeded ids and times, encryption, inserts.

Everything random comes from ``World.rng(stage)``: one ``random.Random`` per stage, seeded with
the run's seed and the stage's name, so that a change to one stage does not shift the data of
the others. Ids are drawn from those generators too; only key material (data keys, TOTP seeds)
comes from the operating system, as it must.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, models, router
from django.db.models.fields import AutoFieldMixin
from django_scopes import scopes_disabled

from vangnet.keyring.fields import EncryptedTextField
from vangnet.keyring.models import DataKey

# The key ring's own encryption step: value_encrypt() looks the scope's data key up in the
# database for every value, which would be one query per encrypted field of every row here.
from vangnet.keyring.services import _encrypt_with, datakey_for_scope, datakey_unwrap

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.models import Cell, Municipality
    from vangnet.network.models import Organisation

BATCH_SIZE = 2000  # bulk_create, on databases without COPY
M = TypeVar("M", bound=models.Model)


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from the stage's generator (reproducible)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` over ``weights`` exactly (largest remainder, ties to the first)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Event(NamedTuple):
    """An audit event of something the generator made, written to the chain at the end."""

    at: datetime.datetime
    action: str
    actor: str
    cell: uuid.UUID | None
    object_type: str
    object_id: str
    data: dict[str, Any] | None


@dataclass
class CasePlan:
    """What later stages need to know of a case, without holding the model instance."""

    id: uuid.UUID
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    organisation_ids: list[uuid.UUID]


@dataclass
class CellPlan:
    """One generated cell and the people, partners and records later stages refer to."""

    number: int
    cell: Cell
    municipalities: list[Municipality]
    weight: float
    organisations: list[Organisation] = field(default_factory=list)
    leads: dict[str, User] = field(default_factory=dict)  # role → user
    members: list[tuple[User, Organisation]] = field(default_factory=list)
    municipal_staff: list[User] = field(default_factory=list)
    cases: list[CasePlan] = field(default_factory=list)
    # (id, created): what exists when, for the audit log's views of it.
    signals: list[tuple[uuid.UUID, datetime.datetime]] = field(default_factory=list)
    meetings: list[tuple[uuid.UUID, datetime.datetime]] = field(default_factory=list)

    @property
    def coordinator(self) -> User:
        return self.leads["coordinator"]

    @property
    def cell_users(self) -> list[User]:
        """Everyone who may open the cell's pages (municipal staff may not)."""
        return [*self.leads.values(), *(user for user, _org in self.members)]


class KeyCache:
    """Each scope's active data key, looked up once per run."""

    def __init__(self) -> None:
        self._keys: dict[uuid.UUID | None, tuple[DataKey, bytes]] = {}
        self._fields: dict[type[models.Model], list[EncryptedTextField]] = {}

    def encrypted_fields(self, model: type[models.Model]) -> list[EncryptedTextField]:
        if model not in self._fields:
            self._fields[model] = [
                f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
        return self._fields[model]

    def seal(self, instance: models.Model) -> None:
        """Encrypt every plaintext value of the instance as ``EncryptedTextField.pre_save``
        would, leaving the field's cache set so that ``pre_save`` keeps the ciphertext."""
        for f in self.encrypted_fields(type(instance)):
            value = instance.__dict__.get(f.attname)
            if not isinstance(value, str):
                continue
            # The generator sets ids and cells as UUIDs, the canonical form aad_for() makes.
            cell_id = getattr(instance, f.cell_field) if f.cell_field else None
            datakey, key = self._key(cell_id)
            aad = f.aad_from(pk=getattr(instance, f.row_field or "pk"), cell_id=cell_id)
            ciphertext = _encrypt_with(datakey, key, plaintext=str(value), aad=aad)
            instance.__dict__[f.attname] = ciphertext
            instance.__dict__[f.cache_name] = (ciphertext, str(value), aad)

    def _key(self, cell_id: uuid.UUID | None) -> tuple[DataKey, bytes]:
        if cell_id not in self._keys:
            datakey = datakey_for_scope(cell_id)
            self._keys[cell_id] = (datakey, datakey_unwrap(datakey.id))
        return self._keys[cell_id]


@contextmanager
def _timestamps_as_given(model: type[models.Model]) -> Iterator[None]:
    """Keep the times the generator chose: auto_now(_add) would make every row "now"."""
    switched = [
        (f, f.auto_now, f.auto_now_add)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    for f, _now, _add in switched:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in switched:
            f.auto_now, f.auto_now_add = now, add


class World:
    """Settings of one run, the cells and people made so far, and the audit events owed."""

    def __init__(
        self,
        *,
        seed: int,
        today: datetime.date,
        password_hash: str,
        say: Callable[[str], None] = print,
        years: int = 3,
    ) -> None:
        self.seed = seed
        self.say = say
        self.today = today
        self.password_hash = password_hash
        self.zone = ZoneInfo(settings.TIME_ZONE)
        # History runs up to the last moment before the anchor day; nothing lies after it
        # except planned meetings and events.
        self.end = datetime.datetime.combine(today, datetime.time(0, 0), tzinfo=self.zone)
        self.start_day = today - datetime.timedelta(days=365 * years + 1)
        self.keys = KeyCache()
        self.cells: list[CellPlan] = []
        self.staff: list[User] = []
        self.events: list[Event] = []
        self.questions: list[tuple[uuid.UUID, datetime.datetime]] = []

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"{self.seed}:{stage}")  # noqa: S311 - reproducible test data

    def at(self, day: datetime.date, hour: float) -> datetime.datetime:
        """A local moment on ``day`` (``hour`` may have a fraction: 14.5 is 14:30)."""
        minutes = round(hour * 60)
        return datetime.datetime.combine(
            day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.zone
        )

    def past(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment``, or the last minute before the anchor day if it lies later."""
        return min(moment, self.end - datetime.timedelta(minutes=1))

    def day_between(
        self, rng: random.Random, first: datetime.date, last: datetime.date
    ) -> datetime.date:
        span = max(0, (last - first).days)
        return first + datetime.timedelta(days=rng.randint(0, span))

    def office_moment(self, rng: random.Random, day: datetime.date) -> datetime.datetime:
        return self.past(self.at(day, rng.uniform(8.5, 17.5)))

    def event(
        self,
        at: datetime.datetime,
        action: str,
        *,
        actor: User | None = None,
        cell: uuid.UUID | None = None,
        target: models.Model | None = None,
        object_type: str = "",
        object_id: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        if target is not None:
            object_type = target._meta.label_lower
            object_id = str(target.pk)
        self.events.append(
            Event(at, action, str(actor.pk) if actor else "", cell, object_type, object_id, data)
        )

    def insert(self, model: type[M], objects: Iterable[M]) -> int:
        """Insert ``objects``: encrypted in this process, times as given, no scope."""
        rows = list(objects)
        for instance in rows:
            self.keys.seal(instance)
        with _timestamps_as_given(model):
            rows_insert(model, rows)
        return len(rows)


def rows_insert(model: type[M], rows: Sequence[M]) -> None:
    """Insert new rows in bulk, on PostgreSQL with COPY (several times faster than INSERT).

    Each value is prepared by its field exactly as an INSERT would (``pre_save`` and
    ``get_db_prep_save``); database defaults and signals play no part, as with ``bulk_create``.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]  # the wrapper itself, not the proxy
    if connection.vendor != "postgresql":
        with scopes_disabled():
            model._default_manager.using(connection.alias).bulk_create(rows, batch_size=BATCH_SIZE)
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        # An automatic integer key not set by us comes from the table's sequence.
        if not (isinstance(f, AutoFieldMixin) and getattr(rows[0], f.attname) is None)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(row, True), connection=connection) for f in fields]
            )
