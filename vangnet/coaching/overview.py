"""Figures for VVSG's overview: trajectories by category and status, reach per province, and the
scan rounds that linked cells shared with VVSG. Each is a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django_scopes import scopes_disabled

from vangnet.cells.models import Cell, Municipality, Province
from vangnet.coaching.models import CoachingCategory, Trajectory, TrajectoryStatus
from vangnet.scans.models import Round


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    counts: list[int]  # in TrajectoryStatus order
    total: int


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    trajectories: int
    cells: int
    municipalities: int


def category_status_counts(trajectories: QuerySet[Trajectory]) -> list[CategoryRow]:
    counts: dict[tuple[str, str], int] = {
        (row["category"], row["status"]): row["n"]
        for row in trajectories.order_by()
        .values("category", "status")
        .annotate(n=Count("id", distinct=True))
    }
    rows = []
    for category in CoachingCategory:
        numbers = [counts.get((category.value, status.value), 0) for status in TrajectoryStatus]
        rows.append(CategoryRow(category.value, str(category.label), numbers, sum(numbers)))
    return rows


def status_totals(rows: list[CategoryRow]) -> list[int]:
    return [sum(row.counts[i] for row in rows) for i in range(len(TrajectoryStatus.choices))]


def municipalities_reached(trajectories: QuerySet[Trajectory]) -> int:
    """Distinct municipalities of the cells of these trajectories."""
    return (
        Municipality.objects.filter(cells__coaching_trajectories__in=trajectories.order_by())
        .distinct()
        .count()
    )


def reach_per_province(trajectories: QuerySet[Trajectory]) -> list[ProvinceRow]:
    """Per province: trajectories, cells and municipalities reached (each counted once)."""
    rows = (
        Municipality.objects.filter(cells__coaching_trajectories__in=trajectories.order_by())
        .values("province_nis")
        .annotate(
            municipality_count=Count("nis_code", distinct=True),
            cell_count=Count("cells", distinct=True),
            trajectory_count=Count("cells__coaching_trajectories", distinct=True),
        )
        .order_by()
    )
    by_code = {row["province_nis"]: row for row in rows}
    result = []
    for province in Province:
        row: dict[str, Any] = by_code.get(province.value, {})
        result.append(
            ProvinceRow(
                code=province.value,
                name=str(province.label),
                trajectories=row.get("trajectory_count", 0),
                cells=row.get("cell_count", 0),
                municipalities=row.get("municipality_count", 0),
            )
        )
    return result


def shared_rounds(cells: Iterable[Cell]) -> dict[Any, list[Round]]:
    """Per cell id: the scan rounds the cell shared with VVSG (never the others), newest first,
    with ``improvement_count`` and ``improvement_done`` annotated."""
    cell_ids = [cell.pk for cell in cells]
    result: dict[Any, list[Round]] = {cell_id: [] for cell_id in cell_ids}
    # Reading across cells, narrowed to what the cells chose to share with VVSG.
    with scopes_disabled():
        rounds = (
            Round.objects.filter(
                cell_id__in=cell_ids, shared_with_vvsg=True, cell__is_sandbox=False
            )
            .annotate(
                improvement_count=Count("improvements", distinct=True),
                improvement_done=Count(
                    "improvements", filter=Q(improvements__done=True), distinct=True
                ),
            )
            .order_by("-opened_at")
        )
        for scan_round in rounds:
            result[scan_round.cell_id].append(scan_round)
    return result
