"""Scale data: a realistic, reproducible platform at the size of Flanders (or ten times it).

``scale_generate`` fills an empty database with cells on the real municipalities, their
partners, people and every role, signals, cases, meetings, the support desk, events, scans and
an audit log whose hash chain verifies, all in one transaction. Rows are written in bulk (COPY
on PostgreSQL) and encrypted in this process with each cell's data key (looked up once), so the
Flanders scale takes minutes, not hours.

Reproducible: everything random comes from generators seeded with ``seed`` (per stage), and
every date is relative to ``today``. The same seed and anchor date give the same ids, names,
codes and dates; only key material (data keys, TOTP seeds), ciphertexts and password salts
differ between runs.

Known personas (``scale_personas``) share the password given to ``scale_generate``:

* ``<role>.c001@scale.vangnet.invalid`` for the leading roles of cell 1 (mayor, coordinator,
  deputy, information, prevention, dpo), ``partner.c001@…`` (a member for the CAW, a case
  participant) and ``municipal.c001@…`` (municipal staff: support desk only). Every other cell
  has the same addresses with its own number (``c002``, …; ``c1500`` at 10x).
* ``staff.01@scale.vangnet.invalid`` … VVSG staff.

Every account has a confirmed authenticator app (its code: ``TOTPDevice.current_code()``).
Cell 1 is an average cell: its share of signals, cases, meetings and audit events is the mean.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django_scopes import scopes_disabled

from vangnet.cells.models import Cell
from vangnet.lib.rls import bulk_load, owner_mode
from vangnet.scale.activities import events_generate, scans_generate
from vangnet.scale.casework import actions_generate, casework_generate
from vangnet.scale.chain import audit_generate
from vangnet.scale.meetings import meetings_generate
from vangnet.scale.people import (
    lead_email,
    municipal_email,
    network_generate,
    partner_email,
    people_generate,
    staff_email,
)
from vangnet.scale.places import cells_generate
from vangnet.scale.support import helpdesk_generate, knowledge_generate
from vangnet.scale.world import World

DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "scale-bench-wachtwoord"  # public, like the demo's


@dataclass(frozen=True)
class Scale:
    """How many of each kind. ``users`` are cell members; VVSG ``staff`` come on top."""

    municipalities: int  # covered by a cell (of the 285 real ones)
    cells: int
    organisations: int
    users: int
    staff: int
    signals: int
    cases: int
    actions: int
    meetings: int
    audit_events: int
    questions: int
    knowledge_items: int
    events: int
    registrations: int
    scan_rounds: int

    def times(self, factor: int) -> Scale:
        """Every count multiplied, except the municipalities (there are only 285)."""
        counts = {
            f.name: getattr(self, f.name) * factor
            for f in dataclasses.fields(self)
            if f.name != "municipalities"
        }
        return Scale(municipalities=self.municipalities, **counts)


TINY = Scale(
    municipalities=7,
    cells=5,  # one per province
    organisations=40,
    users=100,
    staff=4,
    signals=100,
    cases=40,
    actions=120,
    meetings=20,
    audit_events=1_500,
    questions=12,
    knowledge_items=20,
    events=6,
    registrations=30,
    scan_rounds=5,
)
# Twice tiny, about: a cell holds half as much again (a case a third more actions), so the
# tests of queries per page see both more cells and more records per cell.
SMALL = Scale(
    municipalities=10,
    cells=7,
    organisations=84,
    users=210,
    staff=8,
    signals=210,
    cases=84,
    actions=336,
    meetings=42,
    audit_events=3_000,
    questions=24,
    knowledge_items=40,
    events=12,
    registrations=60,
    scan_rounds=14,
)
FLANDERS = Scale(
    municipalities=285,
    cells=150,
    organisations=4_500,
    users=15_000,
    staff=30,
    signals=60_000,
    cases=25_000,
    actions=150_000,
    meetings=12_000,
    audit_events=1_000_000,
    questions=5_000,
    knowledge_items=2_000,
    events=1_000,
    registrations=20_000,
    scan_rounds=600,
)
SCALES: dict[str, Scale] = {
    "tiny": TINY,
    "small": SMALL,
    "flanders": FLANDERS,
    "10x": FLANDERS.times(10),
}

Stage = Callable[[World, Scale], dict[str, int]]

STAGES: tuple[tuple[str, Stage], ...] = (
    ("cells", cells_generate),
    ("network", network_generate),
    ("people", people_generate),
    ("casework", casework_generate),
    ("actions", actions_generate),
    ("meetings", meetings_generate),
    ("knowledge", knowledge_generate),
    ("helpdesk", helpdesk_generate),
    ("events", events_generate),
    ("scans", scans_generate),
    ("audit", audit_generate),  # last: it also chains the events of every stage before it
)


class ScaleRefused(Exception):
    """The database is not one to fill with scale data."""


@dataclass(frozen=True)
class StageReport:
    stage: str
    counts: dict[str, int]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0.0
        detail = ", ".join(f"{kind} {count:,}" for kind, count in self.counts.items())
        return (
            f"{self.stage:<10} {self.rows:>10,} rows {self.seconds:>8.1f} s "
            f"{rate:>10,.0f} rows/s  ({detail})"
        )


def scale_personas(cell: int = 1) -> dict[str, str]:
    """Role → e-mail address of the known personas of cell ``cell``, and of VVSG staff."""
    return {
        "mayor": lead_email("mayor", cell),
        "coordinator": lead_email("coordinator", cell),
        "deputy_coordinator": lead_email("deputy", cell),
        "information_officer": lead_email("information", cell),
        "prevention_official": lead_email("prevention", cell),
        "dpo": lead_email("dpo", cell),
        "partner": partner_email(cell, 1),
        "municipal_staff": municipal_email(cell, 1),
        "vvsg_staff": staff_email(1),
    }


@owner_mode()
@bulk_load()
def scale_generate(
    *,
    scale: Scale,
    today: datetime.date,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_PASSWORD,
    report: Callable[[str], None] | None = None,
) -> list[StageReport]:
    """Fill an empty database with scale data; all or nothing (one transaction).

    Refused in production and when any cell exists. ``report`` receives a line per stage
    (and progress within long stages). A bulk load with COPY: it runs as the tables' owner
    across all cells, with row-level security's FORCE lifted meanwhile (``rls.bulk_load``).
    """
    if settings.PRODUCTION:
        raise ScaleRefused("scale data is never generated in production")
    with scopes_disabled():
        if Cell.objects.exists():
            raise ScaleRefused(
                "the database already holds cells: generate scale data into a fresh, "
                "migrated database"
            )
    say = report or (lambda line: None)
    # One hash for every account: Argon2 is slow on purpose, and this password is public.
    world = World(seed=seed, today=today, password_hash=make_password(password), say=say)
    reports = []
    with transaction.atomic():
        for name, stage in STAGES:
            started = time.monotonic()
            counts = stage(world, scale)
            reports.append(StageReport(name, counts, time.monotonic() - started))
            say(reports[-1].line())
    _analyze()
    return reports


def _analyze() -> None:
    """What autovacuum would do after a bulk load, as after a restore: planner statistics
    (without them PostgreSQL plans on default estimates) and, outside a transaction, a vacuum
    that merges the GIN indexes' pending entries (the knowledge search scans them one by one
    until then). On a server with autovacuum off neither happens by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
