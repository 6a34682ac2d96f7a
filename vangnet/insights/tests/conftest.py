"""Small, fast factories for the insights tests: cells, meetings, signals, scans (services only)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import Cell, CellProfile, Municipality
from vangnet.cells.services import cell_create, profile_update
from vangnet.intake.services import signal_submit
from vangnet.meetings.services import meeting_create
from vangnet.network.models import Organisation, Participation, Sector
from vangnet.network.services import organisation_create
from vangnet.tests_support.personas import make_user

_numbers = itertools.count(1)


@pytest.fixture
def english(settings: Any) -> None:
    """English labels (the default language is Dutch). Not autouse: this folder is shared."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def staff(db: None) -> User:
    """A user who chairs the test meetings and submits the test signals."""
    return make_user(f"chair{next(_numbers)}@example.org", "Chair", enrolled=False)


def free_codes(count: int, province: str | None = None) -> list[str]:
    """NIS codes of municipalities that have no cell yet (optionally in one province)."""
    municipalities = Municipality.objects.filter(cells__isnull=True)
    if province is not None:
        municipalities = municipalities.filter(province_nis=province)
    codes = list(municipalities.order_by("nis_code").values_list("nis_code", flat=True)[:count])
    assert len(codes) == count
    return codes


def make_cells(
    count: int,
    *,
    province: str | None = None,
    share: tuple[str, ...] | None = None,
    joint: bool = False,
    created_at: datetime.datetime | None = None,
) -> list[Cell]:
    """``count`` real cells (one municipality each, or two when ``joint``), created now or
    (as if) at ``created_at``."""
    per_cell = 2 if joint else 1
    codes = free_codes(count * per_cell, province)
    cells = []
    with scopes_disabled():
        for index in range(count):
            cell = cell_create(
                name=f"Insights cel {next(_numbers)}",
                nis_codes=codes[index * per_cell : (index + 1) * per_cell],
            )
            if share is not None:
                set_sharing(cell, share)
            if created_at is not None:
                Cell.objects.filter(pk=cell.pk).update(created_at=created_at)
                cell.refresh_from_db()
            cells.append(cell)
    return cells


def set_sharing(cell: Cell, keys: tuple[str, ...] | list[str]) -> None:
    with scope(cell=cell.pk):
        profile = CellProfile.objects.get()
        profile_update(
            profile=profile, changes={"insights_sharing": list(keys)}, updated_by=_anyone()
        )


def _anyone() -> User:
    user = User.objects.filter(email="sharing@example.org").first()
    return user or make_user("sharing@example.org", "Sharer", enrolled=False)


_slots = itertools.count()


def add_meeting(
    cell: Cell,
    chair: User,
    *,
    kind: str = "case",
    starts_at: datetime.datetime | None = None,
    title: str = "Overleg",
) -> Any:
    # Ten days ago, but in this year (the tests count this year's meetings).
    start = starts_at or max(
        timezone.now() - datetime.timedelta(days=10),
        timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1, 0, 30)),
    )
    start += datetime.timedelta(minutes=3 * next(_slots))  # one chair: never overlapping
    with scope(cell=cell.pk):
        return meeting_create(
            cell=cell,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=2),
            chair=chair,
            created_by=chair,
        )


def add_organisation(cell: Cell, sector: str = Sector.CAW) -> Organisation:
    with scope(cell=cell.pk):
        return organisation_create(
            cell=cell,
            name=f"Partner {next(_numbers)}",
            sector=sector,
            participation=Participation.CORE,
        )


def add_signals(
    cell: Cell,
    user: User,
    count: int,
    *,
    organisation: Organisation | None = None,
    received_on: datetime.date | None = None,
    description: str = "",
) -> list[Any]:
    today = timezone.localdate()
    # Five days ago, but in this year (the tests count this year's signals).
    day = received_on or max(today - datetime.timedelta(days=5), today.replace(month=1, day=1))
    with scope(cell=cell.pk):
        return [
            signal_submit(
                cell=cell,
                submitted_by=user,
                received_on=day,
                category="ideology",
                origin_organisation=organisation,
                description=description,
            )
            for _ in range(count)
        ]
