"""Queries per page do not grow with the data: the key pages at the tiny and the small scale.

Small has one cell more and about half as much again in each cell (cases, signals, partners,
meetings), twice the helpdesk questions and knowledge items; each page is asked for the
biggest thing of its kind (the case with the most actions, the meeting with the most agenda
items, the scan round with the most responses). A page whose count differs between the two
sizes runs a query per row somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from vangnet.cases.models import Case
from vangnet.helpdesk.models import Question
from vangnet.intake.models import Signal
from vangnet.knowledge.models import Item
from vangnet.lib.aggregates import aggregates_forget
from vangnet.meetings.models import Meeting
from vangnet.network.models import Organisation
from vangnet.scale.services import SMALL, TINY
from vangnet.scale.tests.helpers import cell_one, generated_then_undone, persona
from vangnet.scans.models import Round
from vangnet.tests_support.personas import sign_in

M = TypeVar("M", bound=Model)


# Pages known to run more queries as the data grows, and why. At the Flanders scale the scan
# results page runs some 480 queries (3.6 s): scans.services.benchmark() computes the results
# of the latest closed round of every cell (two queries each) and the size band of each cell
# (one query each), and trend() two queries per closed round of the cell.
KNOWN_GROWTH: dict[str, str] = {}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    persona: str | None  # None: not signed in


@dataclass(frozen=True)
class Measured:
    queries: dict[str, int]
    rows: dict[str, int]  # how much each page shows, to prove the sizes differ


def _pages() -> tuple[list[Page], dict[str, int]]:
    """The key pages for the generated data, and how many rows each one has to show."""
    cell = cell_one()
    base = f"/cells/{cell.pk}"
    with scopes_disabled():
        case, case_rows = _biggest(
            Case.objects.filter(cell=cell),
            Count("actions", distinct=True) + Count("participants", distinct=True),
        )
        meeting, agenda = _biggest(
            Meeting.objects.filter(cell=cell, held_at__isnull=False),
            Count("items", filter=Q(items__case__isnull=False)),
        )
        scan_round, responses = _biggest(
            Round.objects.filter(cell=cell, closed_at__isnull=False), Count("responses")
        )
        rows = {
            "cases": Case.objects.filter(cell=cell).count(),
            "signals": Signal.objects.filter(cell=cell).count(),
            "case detail": case_rows,
            "agenda": agenda,
            "partners": Organisation.objects.filter(cell=cell).count(),
            "scan responses": responses,
            "questions": Question.objects.count(),
            "knowledge": Item.objects.count(),
        }
        assert Question.objects.open().exists()  # the default queue is not empty
    pages = [
        Page("login", "/login/", None),
        Page("home", "/", "coordinator"),
        Page("cell home", f"{base}/", "coordinator"),
        Page("case list", f"{base}/cases/", "coordinator"),
        Page("case detail", f"{base}/cases/{case.pk}/", "coordinator"),
        Page("signal list", f"{base}/signals/", "coordinator"),
        Page("meeting list", f"{base}/meetings/", "coordinator"),
        Page("meeting detail", f"{base}/meetings/{meeting.pk}/", "coordinator"),
        Page("partner map data", f"{base}/map/data/", "coordinator"),
        Page("scan results", f"{base}/scans/{scan_round.pk}/", "coordinator"),
        Page("partner home", f"{base}/", "partner"),
        Page("partner case list", f"{base}/cases/", "partner"),
        Page("helpdesk queue", "/helpdesk/queue/", "vvsg_staff"),
        Page("helpdesk queue, all", "/helpdesk/queue/?status=all", "vvsg_staff"),
        Page("knowledge search", "/knowledge/?q=radicalisering", "coordinator"),
        Page("vvsg dashboard", "/support/insights/", "vvsg_staff"),
    ]
    return pages, rows


def _biggest(queryset: QuerySet[M], size: Count | CombinedExpression) -> tuple[M, int]:
    """The row with the most related rows (ties: the first in the queryset's order)."""
    row = queryset.annotate(size=size).order_by("-size", "pk").first()
    assert row is not None
    return row, row.size


def _measure() -> Measured:
    pages, rows = _pages()
    queries = {}
    aggregates_forget()  # aggregates of the other data size are not this size's
    for page in pages:
        client = Client()
        if page.persona:
            sign_in(client, persona(page.persona))
        client.get(page.url)  # warm up: caches filled once per process are not the page's
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        assert response.status_code in (200, 302), (page.name, response.status_code)
        queries[page.name] = len(captured.captured_queries)
    return Measured(queries, rows)


def test_queries_per_page_do_not_grow_with_the_data(db, settings):
    # As deployed: figures across all cells come from the aggregate cache once computed.
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 600
    tiny = generated_then_undone(TINY, _measure)
    small = generated_then_undone(SMALL, _measure)
    # The comparison means something only if each page has more to show at the small scale.
    assert all(small.rows[k] > tiny.rows[k] for k in tiny.rows), (tiny.rows, small.rows)
    grown = {
        name: (count, small.queries[name])
        for name, count in tiny.queries.items()
        if small.queries[name] != count
    }
    # A page fixed since: take it off KNOWN_GROWTH, so that it stays fixed.
    assert set(grown) == set(KNOWN_GROWTH), f"queries per page (tiny, small): {grown}"
