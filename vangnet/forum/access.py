"""Who may enter which forum space: decided by rule from the user's cell memberships.

A space has no member list. `ForumAccess` reads the user's active memberships once (role,
organisation and the provinces of the cells' municipalities, one query) and, only when it
matters, whether the user is an active case manager on an open case of those cells, in person or
through an organisation they represent (one existence query). Views build it once per
request through `space_for_user`, `thread_for_user`, `post_for_user` or `spaces_for_user`.

Missing, archived and forbidden spaces, threads and posts all give the same 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django_scopes import scopes_disabled

from vangnet.cells.models import MANAGING_ROLES, Membership, Role
from vangnet.forum.models import Post, Space, SpaceKind, Thread

if TYPE_CHECKING:
    from vangnet.accounts.models import User


@dataclass(frozen=True)
class ForumAccess:
    """What one user may see in the forum (built once per request)."""

    is_staff: bool
    is_member: bool
    is_coordinator: bool
    is_case_manager: bool
    provinces: frozenset[str]

    def allows(self, space: Space) -> bool:
        if space.archived:
            return False
        if self.is_staff:
            return True
        if not self.is_member:
            return False
        match space.kind:
            case SpaceKind.COORDINATORS:
                return self.is_coordinator
            case SpaceKind.CASE_MANAGERS:
                return self.is_coordinator or self.is_case_manager
            case SpaceKind.PROVINCE:
                return space.province in self.provinces
            case SpaceKind.MEMBERS:
                return True
        return False

    @property
    def can_moderate(self) -> bool:
        return self.is_staff


NO_ACCESS = ForumAccess(
    is_staff=False,
    is_member=False,
    is_coordinator=False,
    is_case_manager=False,
    provinces=frozenset(),
)


def forum_access(user: User) -> ForumAccess:
    """Read the user's standing once: at most two queries, none for VVSG staff."""
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_vvsg_staff:
        return ForumAccess(
            is_staff=True,
            is_member=False,
            is_coordinator=False,
            is_case_manager=False,
            provinces=frozenset(),
        )
    # Reading one's own memberships crosses cells by design (as cells.access does).
    with scopes_disabled():
        rows = list(
            # A role in an exercise sandbox admits to no space (Membership.objects.real()).
            Membership.objects.real()
            .filter(user=user, ended_at__isnull=True)
            .values_list("role", "cell_id", "organisation_id", "cell__municipalities__province_nis")
        )
    if not rows:
        return NO_ACCESS
    is_coordinator = any(role in MANAGING_ROLES for role, _cell, _org, _province in rows)
    # As in cases.access.organisation_ids: a DPO membership represents no organisation.
    organisations = {org for role, _cell, org, _province in rows if org and role != Role.DPO}
    return ForumAccess(
        is_staff=False,
        is_member=True,
        is_coordinator=is_coordinator,
        is_case_manager=not is_coordinator
        and _is_case_manager(user, {cell for _role, cell, _org, _province in rows}, organisations),
        provinces=frozenset(province for _role, _cell, _org, province in rows if province),
    )


def _is_case_manager(
    user: User, cell_ids: set[uuid.UUID], organisation_ids: set[uuid.UUID]
) -> bool:
    """Whether the user is an active case manager on an open case of a cell they belong to.

    Case manager in person or through an organisation they represent there (as
    ``cases.access.active_participations`` grants case access), on a case that is still open,
    and not past a time box (``until_action`` done or cancelled). An existence check across
    cells and nothing more: no case, code or cell is revealed.
    """
    from vangnet.cases.models import ActionStatus, CaseStatus, Participant

    with scopes_disabled():
        return (
            Participant.objects.filter(
                is_case_manager=True,
                removed_at__isnull=True,
                cell_id__in=cell_ids,
                case__status=CaseStatus.OPEN,
            )
            .filter(Q(user=user) | Q(organisation_id__in=organisation_ids))
            .filter(Q(until_action__isnull=True) | Q(until_action__status=ActionStatus.OPEN))
            .exists()
        )


def can_moderate(user: User) -> bool:
    """VVSG staff moderate every space."""
    return bool(user.is_authenticated and user.is_active and user.is_vvsg_staff)


def space_allows(space: Space, user: User) -> bool:
    return forum_access(user).allows(space)


def spaces_for_user(user: User, access: ForumAccess | None = None) -> list[Space]:
    """The non-archived spaces the user may enter, in their display order."""
    access = access or forum_access(user)
    if not (access.is_staff or access.is_member):
        return []
    return [space for space in Space.objects.filter(archived=False) if access.allows(space)]


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def space_for_user(
    user: User, space_id: uuid.UUID | str, access: ForumAccess | None = None
) -> Space:
    """The space if the user may enter it; Http404 for missing, archived and forbidden."""
    space = Space.objects.filter(pk=_uuid(space_id)).first()
    if space is None or not (access or forum_access(user)).allows(space):
        raise Http404
    return space


def thread_for_user(
    user: User, thread_id: uuid.UUID | str, access: ForumAccess | None = None
) -> Thread:
    """The thread (with its space) if the user may enter its space; Http404 otherwise."""
    thread = Thread.objects.select_related("space").filter(pk=_uuid(thread_id)).first()
    if thread is None or not (access or forum_access(user)).allows(thread.space):
        raise Http404
    return thread


def post_for_user(user: User, post_id: uuid.UUID | str, access: ForumAccess | None = None) -> Post:
    """The post (with thread and space) if the user may enter its space; Http404 otherwise."""
    post = Post.objects.select_related("thread__space").filter(pk=_uuid(post_id)).first()
    if post is None or not (access or forum_access(user)).allows(post.thread.space):
        raise Http404
    return post
