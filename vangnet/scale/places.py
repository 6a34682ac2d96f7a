"""Cells on the real municipalities: single cells, and joint cells of two or three."""

from __future__ import annotations

import datetime
import random
import statistics
from collections import Counter
from typing import TYPE_CHECKING

from vangnet.cells.models import Cell, Municipality, Province
from vangnet.scale.world import CellPlan, World, new_id

if TYPE_CHECKING:
    from vangnet.scale.services import Scale

MAX_JOINT = 3


def cells_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("cells")
    municipalities = list(Municipality.objects.order_by("nis_code"))
    groups = _municipality_groups(
        rng, municipalities, cells=scale.cells, covered=scale.municipalities
    )
    weights = _activity_weights(rng, scale.cells)
    names: Counter[str] = Counter()
    links = []
    for number, group in enumerate(groups, start=1):
        name = "LIVC R " + "-".join(m.name_nl for m in group)
        names[name] += 1
        if names[name] > 1:  # more cells than municipalities (10x): the same place again
            name = f"{name} ({names[name]})"
        founded = world.start_day - datetime.timedelta(days=rng.randint(60, 1500))
        cell = Cell(id=new_id(rng), name=name, created_at=world.at(founded, rng.uniform(9, 16)))
        world.cells.append(CellPlan(number, cell, group, weights[number - 1]))
        links += [Cell.municipalities.through(cell_id=cell.pk, municipality=m) for m in group]
        world.event(
            cell.created_at,
            "cells.cell.created",
            cell=cell.pk,
            target=cell,
            data={"municipalities": sorted(m.nis_code for m in group)},
        )
    return {
        "cells": world.insert(Cell, [plan.cell for plan in world.cells]),
        "cell municipalities": world.insert(Cell.municipalities.through, links),
    }


def _municipality_groups(
    rng: random.Random, municipalities: list[Municipality], *, cells: int, covered: int
) -> list[list[Municipality]]:
    """The municipalities of each cell: ``covered`` of them over ``cells`` cells.

    The first cells lie in different provinces (so that even a small platform has figures per
    province); a joint cell covers up to three neighbours (same arrondissement where possible);
    cell 1 covers one municipality. With more cells than municipalities (10x) every cell has
    one and municipalities repeat.
    """
    pool = _provinces_first(rng, municipalities)
    if cells >= min(covered, len(pool)):
        return [[pool[i % len(pool)]] for i in range(cells)]
    groups = [[seat] for seat in pool[:cells]]
    wanted = min(covered, len(pool)) - cells
    rest = pool[cells:]
    # First only municipalities with a cell of their own province to join (a cell counts in
    # the province of most of its municipalities), then any, until enough are covered.
    for same_province in (True, False):
        for municipality in list(rest):
            if wanted == 0:
                break
            joinable = [g for g in groups[1:] if len(g) < MAX_JOINT]
            province = [g for g in joinable if g[0].province_nis == municipality.province_nis]
            area = municipality.arrondissement_nis
            near = [g for g in province if g[0].arrondissement_nis == area]
            choices = near or province or ([] if same_province else joinable)
            if choices:
                rng.choice(choices).append(municipality)
                rest.remove(municipality)
                wanted -= 1
    return [sorted(g, key=lambda m: m.nis_code) if len(g) > 1 else g for g in groups]


def _provinces_first(rng: random.Random, municipalities: list[Municipality]) -> list[Municipality]:
    """The municipalities in random order, but one of each province first."""
    pool = municipalities[:]
    rng.shuffle(pool)
    firsts = [next(m for m in pool if m.province_nis == p) for p in Province.values]
    return [*firsts, *(m for m in pool if m not in firsts)]


def _activity_weights(rng: random.Random, cells: int) -> list[float]:
    """How busy each cell is relative to the others; cell 1 is exactly average."""
    weights = [rng.lognormvariate(0, 0.5) for _ in range(cells)]
    if cells > 1:
        weights[0] = statistics.fmean(weights[1:])
    return weights
