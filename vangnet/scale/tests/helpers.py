from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import Cell, Membership
from vangnet.scale.services import Scale, scale_generate, scale_personas

TODAY = datetime.date(2026, 3, 2)
T = TypeVar("T")


class _Undo(Exception):
    pass


def generated_then_undone(scale: Scale, look: Callable[[], T], *, seed: int = 2026) -> T:
    """Generate ``scale`` inside a savepoint, return what ``look()`` finds, roll it all back.

    Lets one test compare two runs (or two sizes) on an empty database each time: a rollback
    is not a DELETE, so the audit log's append-only triggers do not object.
    """
    result: list[T] = []
    try:
        with transaction.atomic():
            scale_generate(scale=scale, today=TODAY, seed=seed)
            result.append(look())
            raise _Undo
    except _Undo:
        pass
    return result[0]


def persona(role: str) -> User:
    return User.objects.get(email=scale_personas()[role])


def cell_one() -> Cell:
    with scopes_disabled():
        membership = Membership.objects.select_related("cell").get(user=persona("coordinator"))
    return membership.cell
