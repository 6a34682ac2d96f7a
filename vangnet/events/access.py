"""Who may see and register for which event, and who may open a network body.

Missing and forbidden objects give the same answer (404); staff pages without an object give 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django_scopes import scopes_disabled

from vangnet.events.models import (
    ACTIVE_STATUSES,
    BodyDocument,
    BodyMembership,
    Event,
    EventAudience,
    EventStatus,
    NetworkBody,
    Registration,
)
from vangnet.knowledge.access import is_local_government_user


def is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_vvsg_staff)


def require_staff(user: Any) -> None:
    """Pages of VVSG staff without an object of their own: 403 for anyone else."""
    if not is_staff(user):
        raise PermissionDenied


@dataclass(frozen=True)
class Viewer:
    """What decides the audiences of one user, read once per request (two queries)."""

    is_staff: bool = False
    is_local: bool = False
    is_coordinator: bool = False
    body_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    def in_audience(self, event: Event) -> bool:
        if event.audience == EventAudience.LOCAL_GOVERNMENT:
            return self.is_local
        if event.audience == EventAudience.COORDINATORS:
            return self.is_coordinator
        return event.body_id is not None and event.body_id in self.body_ids


def viewer_for(user: Any) -> Viewer:
    if user is None or not user.is_authenticated:
        return Viewer()
    from vangnet.cells.models import MANAGING_ROLES, Membership

    with scopes_disabled():
        roles = set(
            # A role in an exercise sandbox admits to nothing outside it.
            Membership.objects.real()
            .filter(user=user, ended_at__isnull=True)
            .values_list("role", flat=True)
        )
    body_ids = frozenset(
        BodyMembership.objects.filter(
            user=user, ended_at__isnull=True, body__active=True
        ).values_list("body_id", flat=True)
    )
    is_staff_user = bool(user.is_vvsg_staff)
    return Viewer(
        is_staff=is_staff_user,
        is_local=bool(roles),
        is_coordinator=bool(roles & set(MANAGING_ROLES)),
        # Network bodies are for local-government users (and staff) only: a member whose cell
        # membership ended loses access to the body too.
        body_ids=body_ids if (roles or is_staff_user) else frozenset(),
    )


def audience_filter(viewer: Viewer) -> Q:
    """Published or cancelled events whose audience includes the viewer."""
    rule = Q(pk__in=[])
    if viewer.is_local:
        rule |= Q(audience=EventAudience.LOCAL_GOVERNMENT)
    if viewer.is_coordinator:
        rule |= Q(audience=EventAudience.COORDINATORS)
    if viewer.body_ids:
        rule |= Q(audience=EventAudience.BODY_MEMBERS, body_id__in=viewer.body_ids)
    return rule & Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])


def event_for_viewer(user: Any, event_id: uuid.UUID, viewer: Viewer | None = None) -> Event:
    """An event this user may see (staff: every event), or 404.

    Someone with an active registration keeps seeing the event after leaving its audience, so
    that they can still read it, download the .ics and cancel."""
    viewer = viewer or viewer_for(user)
    queryset = Event.objects.select_related("body", "series")
    if not viewer.is_staff:
        registered = Q(
            pk__in=Registration.objects.filter(user=user, status__in=ACTIVE_STATUSES).values(
                "event_id"
            )
        ) & Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        queryset = queryset.filter(audience_filter(viewer) | registered)
    event = queryset.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def event_for_staff(user: Any, event_id: uuid.UUID) -> Event:
    if not is_staff(user):
        raise Http404
    event = Event.objects.select_related("body", "series").filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def body_for_user(user: Any, body_id: uuid.UUID) -> NetworkBody:
    """A body for VVSG staff or one of its active members; 404 for everybody else."""
    queryset = NetworkBody.objects.all()
    if not is_staff(user):
        if not is_local_government_user(user):
            raise Http404
        queryset = queryset.filter(
            active=True, memberships__user=user, memberships__ended_at__isnull=True
        )
    body = queryset.filter(pk=body_id).first()
    if body is None:
        raise Http404
    return body


def body_for_staff(user: Any, body_id: uuid.UUID) -> NetworkBody:
    if not is_staff(user):
        raise Http404
    body = NetworkBody.objects.filter(pk=body_id).first()
    if body is None:
        raise Http404
    return body


def body_document_for_user(user: Any, document_id: uuid.UUID) -> BodyDocument:
    document = BodyDocument.objects.select_related("body").filter(pk=document_id).first()
    if document is None:
        raise Http404
    body_for_user(user, document.body_id)
    return document
