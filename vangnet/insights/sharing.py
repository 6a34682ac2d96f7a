"""Which categories of its figures a cell shares with VVSG's Flanders-wide insights (issue 9).

A cell chooses in its profile (``CellProfile.insights_sharing``, a list of category keys). The
non-personal categories are shared by default; the categories derived from personal data
(signals, cases) only when the cell switches them on. Whatever a cell shares, VVSG only ever
sees aggregates over at least ``MINIMUM_CELLS`` cells: never the cell's name, a case, a person
or a free text. Training (sandbox) cells never count, whatever their profile says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vangnet.cells.models import CellQuerySet

NETWORK = "network"
ACTIVITY = "activity"
SCANS = "scans"
SIGNALS = "signals"
CASES = "cases"


@dataclass(frozen=True)
class SharingCategory:
    key: str
    label: str | Promise
    help_text: str | Promise  # what VVSG sees (aggregates only)
    personal: bool  # derived from personal data: off by default


CATEGORIES: tuple[SharingCategory, ...] = (
    SharingCategory(
        NETWORK,
        _("Network"),
        _(
            "VVSG sees the share of cells with an active socio-preventive partner and which "
            "sectors cells cover, counted over at least 5 cells. Never a partner's name."
        ),
        personal=False,
    ),
    SharingCategory(
        ACTIVITY,
        _("Activity"),
        _(
            "VVSG sees the number of meetings per year and type and how many cells had no "
            "meeting for six months, counted over at least 5 cells. Never an agenda or minutes."
        ),
        personal=False,
    ),
    SharingCategory(
        SCANS,
        _("Self-evaluation"),
        _(
            "VVSG sees the average module scores of the latest closed self-evaluation, "
            "averaged over at least 5 cells. Never an answer or a comment."
        ),
        personal=False,
    ),
    SharingCategory(
        SIGNALS,
        _("Signals"),
        _(
            "VVSG sees from which sectors signals come (counts per sector over at least 5 cells "
            "and 10 signals). Derived from personal data, so off unless you switch it on. Never "
            "a signal, a person or a description."
        ),
        personal=True,
    ),
    SharingCategory(
        CASES,
        _("Cases"),
        _(
            "VVSG sees how many cases were opened per year (over at least 5 cells and 10 "
            "cases). Derived from personal data, so off unless you switch it on. Never a case "
            "or a person."
        ),
        personal=True,
    ),
)

CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)


def default_sharing() -> list[str]:
    """The default for a new cell profile: every non-personal category (a JSONField default)."""
    return [c.key for c in CATEGORIES if not c.personal]


def sharing_normalise(keys: object) -> list[str]:
    """Known category keys, each once, in the canonical order (unknown keys are dropped)."""
    if not isinstance(keys, list | tuple | set | frozenset):
        return []
    chosen = {k for k in keys if isinstance(k, str)}
    return [key for key in CATEGORY_KEYS if key in chosen]


def sharing_choices() -> list[tuple[str, str]]:
    """Choices for the profile form: the label with what VVSG sees."""
    return [(c.key, f"{c.label}: {c.help_text}") for c in CATEGORIES]


def sharing_cell_ids() -> dict[str, list[Any]]:
    """For every category, the ids of the real cells sharing it: one query over the profiles
    (a JSON list is not portably searchable in SQL: SQLite has no JSON "contains")."""
    from django_scopes import scopes_disabled

    from vangnet.cells.models import CellProfile

    out: dict[str, list[Any]] = {key: [] for key in CATEGORY_KEYS}
    with scopes_disabled():
        rows = CellProfile.objects.filter(cell__is_sandbox=False).values_list(
            "cell_id", "insights_sharing"
        )
        for cell_id, keys in rows:
            for key in sharing_normalise(keys):
                out[key].append(cell_id)
    return out


def cells_sharing(category: str) -> CellQuerySet:
    """Real cells (never sandboxes) whose profile shares ``category``: a lazy queryset over
    ``Cell.objects.real()``, usable as a subquery (``cell__in=``); reading the choices costs
    one query."""
    from vangnet.cells.models import Cell

    if category not in CATEGORY_KEYS:
        raise ValueError(f"unknown sharing category: {category!r}")
    return Cell.objects.real().filter(pk__in=sharing_cell_ids()[category])
