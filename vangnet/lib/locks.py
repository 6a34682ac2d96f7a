"""Row locks for services that decide on a record's current state."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def row_lock(instance: M) -> M:
    """Lock the instance's row until the transaction ends and reload it.

    Call inside ``transaction.atomic``: two clicks or two people acting on the same record then
    apply one after the other, each on the state the other left (no lost update, no double
    action). Returns the same instance, refreshed.
    """
    type(instance)._base_manager.select_for_update(no_key=True).filter(pk=instance.pk).values(
        "pk"
    ).get()
    instance.refresh_from_db()
    return instance
