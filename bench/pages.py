"""Which pages are measured, as whom, and the signed-in sessions to measure them with.

Runs inside Django (bench settings) before gunicorn starts. Concrete ids (the coordinator's
cell, a case, a meeting, a scan round) are read from the database, so the same list works on
every scale of generated data and on the demo data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Model, QuerySet
from django_scopes import scope, scopes_disabled

from bench import PAGE_KEYS
from vangnet.accounts.models import TOTPDevice, User
from vangnet.cases.models import Case, CaseStatus
from vangnet.cells.models import Cell, Membership, Role
from vangnet.knowledge.models import Audience, Item, ItemStatus
from vangnet.meetings.models import Meeting
from vangnet.scans.models import Round
from vangnet.tests_support.personas import signed_in_session_key

COORDINATOR = "coordinator"
STAFF = "staff"
ANONYMOUS = "anonymous"

M = TypeVar("M", bound=Model)

# The demo data (`manage.py demo`) as a fallback when the scale generator is not installed.
DEMO_PERSONAS = {
    COORDINATOR: "coordinator.mechelen@demo.vangnet.invalid",
    STAFF: "ondersteuning@demo.vangnet.invalid",
}


class BenchDataError(Exception):
    """The database lacks something a page needs: the run cannot measure it."""


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    path: str
    persona: str
    # Dashboards aggregate over a whole cell or all of Flanders: their target is looser.
    dashboard: bool = False


def personas() -> dict[str, str]:
    """E-mail addresses of the coordinator of cell 1 (an average cell) and of VVSG staff.

    The scale generator's personas when their coordinator exists, else the demo's.
    """
    try:
        from vangnet.scale.services import scale_personas
    except ImportError:
        return dict(DEMO_PERSONAS)
    scale = scale_personas()
    emails = {COORDINATOR: scale["coordinator"], STAFF: scale["vvsg_staff"]}
    if not data_present(emails) and data_present(DEMO_PERSONAS):
        return dict(DEMO_PERSONAS)
    return emails


def data_present(emails: dict[str, str]) -> bool:
    return User.objects.filter(email=emails[COORDINATOR]).exists()


def resolve_pages(emails: dict[str, str]) -> tuple[Cell, list[Page]]:
    """The coordinator's cell and the key pages of issue 11, with ids taken from that cell."""
    coordinator = _user(emails[COORDINATOR])
    _user(emails[STAFF])
    cell = _coordinator_cell(coordinator)
    base = f"/cells/{cell.pk}/"
    with scope(cell=cell):
        case = _busiest(Case.objects.filter(status=CaseStatus.OPEN), "actions", "participants")
        meeting = _busiest(Meeting.objects.all(), "items")
        scan = _busiest(Round.objects.filter(closed_at__isnull=False), "responses")
    if case is None or meeting is None or scan is None:
        missing = [n for n, o in (("case", case), ("meeting", meeting), ("scan", scan)) if not o]
        raise BenchDataError(f"cell {cell.name} has no {', '.join(missing)} to measure")
    term = _search_term()
    pages = [
        Page("floor", "Floor (signed in, audited)", "/bench/floor/", COORDINATOR),
        Page("coordinator_home", "Coordinator home", base, COORDINATOR, dashboard=True),
        Page("case_list", "Case list", f"{base}cases/", COORDINATOR),
        Page("case_detail", "Case detail", f"{base}cases/{case.pk}/", COORDINATOR),
        Page("meeting_agenda", "Meeting agenda", f"{base}meetings/{meeting.pk}/", COORDINATOR),
        Page("partner_map_data", "Partner map data", f"{base}map/data/", COORDINATOR),
        Page("scan_results", "Scan results", f"{base}scans/{scan.pk}/", COORDINATOR),
        Page("helpdesk_queue", "Helpdesk queue", "/helpdesk/queue/", STAFF),
        Page("knowledge_search", "Knowledge search", f"/knowledge/?q={term}", COORDINATOR),
        Page("vvsg_dashboard", "VVSG dashboard", "/support/insights/", STAFF, dashboard=True),
        Page("login", "Login page", "/login/", ANONYMOUS),
    ]
    assert tuple(page.key for page in pages) == PAGE_KEYS  # bench/__init__.py
    return cell, pages


def open_sessions(email: str, count: int) -> list[str]:
    """`count` fully signed-in sessions for one user, as `Cookie` header values: made like the
    tests' sign-in (`signed_in_session_key`), so without the login form and its TOTP step."""
    user = _user(email)
    try:
        keys = [signed_in_session_key(user, user_agent="vangnet-bench") for _ in range(count)]
    except TOTPDevice.DoesNotExist:
        raise BenchDataError(f"{email} has no confirmed authenticator") from None
    return [f"{settings.SESSION_COOKIE_NAME}={key}" for key in keys]


def _user(email: str) -> User:
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        raise BenchDataError(f"no active user {email}: generate the data first")
    return user


def _coordinator_cell(user: User) -> Cell:
    with scopes_disabled():
        membership = (
            Membership.objects.real()
            .filter(user=user, role=Role.COORDINATOR, ended_at__isnull=True)
            .select_related("cell")
            .order_by("cell__name")
            .first()
        )
    if membership is None:
        raise BenchDataError(f"{user.email} coordinates no cell")
    return membership.cell


def _busiest(queryset: QuerySet[M], *relations: str) -> M | None:
    """The object with the most related rows: the heaviest realistic page, not an empty one."""
    counts = {f"bench_{name}": Count(name, distinct=True) for name in relations}
    ordering = [f"-bench_{name}" for name in relations]
    return queryset.annotate(**counts).order_by(*ordering, "pk").first()


def _search_term() -> str:
    """A word from the newest published item that members may read, so the search finds it."""
    item = (
        Item.objects.filter(status=ItemStatus.PUBLISHED)
        .exclude(audience=Audience.STAFF)
        .order_by("-published_at")
        .first()
    )
    words = re.findall(r"[^\W\d_]{6,}", item.title) if item else []
    return quote(words[0].lower() if words else "radicalisering")
