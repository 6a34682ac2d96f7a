"""Who sees which trajectory.

- VVSG staff see and edit every trajectory (the coach and colleagues alike; who changed what is
  recorded on the trajectory and in the audit log).
- A linked cell's coordinator, deputy and mayor (`CellAccess.can_oversee`) read their cell's
  trajectories under /cells/<cell_id>/coaching/, with only what VVSG shared with the cell.
- Everyone else: 404 for a trajectory (missing and forbidden look the same), and 404 for the
  staff pages.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from vangnet.cells.models import Cell
from vangnet.coaching.models import CoachingDocument, Trajectory


def is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_vvsg_staff)


def require_staff(user: Any) -> None:
    if not is_staff(user):
        raise Http404


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def trajectory_for_staff(user: Any, trajectory_id: uuid.UUID | str) -> Trajectory:
    require_staff(user)
    trajectory = (
        Trajectory.objects.select_related("coach", "created_by", "updated_by")
        .filter(pk=_uuid(trajectory_id))
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory


def trajectory_for_cell(cell: Cell, trajectory_id: uuid.UUID | str) -> Trajectory:
    """A trajectory linked to this cell (the caller checked the cell role); 404 otherwise."""
    trajectory = (
        Trajectory.objects.select_related("coach")
        .filter(pk=_uuid(trajectory_id), cells=cell)
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory


def document_for(
    trajectory: Trajectory, document_id: uuid.UUID | str, *, shared_only: bool
) -> CoachingDocument:
    documents = CoachingDocument.objects.filter(pk=_uuid(document_id), trajectory=trajectory)
    if shared_only:
        documents = documents.filter(shared_with_cell=True)
    document = documents.first()
    if document is None:
        raise Http404
    return document
