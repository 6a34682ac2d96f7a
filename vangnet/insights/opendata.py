"""Open data: the public figures (CSV and JSON) and their data dictionary.

Only figures and series marked `public=True` by `metrics.insights_compute` are published, for
Flanders and each province. A suppressed value is empty (CSV) or null (JSON) with
`suppressed` set. A year is published from 1 March of the next year and then frozen
(`models.Publication`, `services.publication_for_year`).

The dictionary is a fixed mapping key -> definition in Dutch and English; a test fails when a
public key has no entry, so a new public figure cannot be published without a definition.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone, translation

from vangnet.cells.models import Province
from vangnet.insights.figures import MINIMUM_CASES, MINIMUM_CELLS, Figure, Insights
from vangnet.lib.spreadsheet import spreadsheet_safe

FIRST_YEAR = 2018

LICENCE = {
    "name": "Creative Commons Naamsvermelding 4.0 Internationaal (CC BY 4.0)",
    "name_en": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "VVSG - Vangnet",
}

SUPPRESSION_NL = (
    f"Een cijfer dat steunt op minder dan {MINIMUM_CELLS} cellen (of minder dan "
    f"{MINIMUM_CASES} casussen) wordt onderdrukt: de waarde is leeg en 'suppressed' is waar. "
    "Ook een provincie kan onderdrukt zijn terwijl ze boven de drempel zit: anders zou een "
    "onderdrukt cijfer te berekenen zijn als Vlaanderen min de andere provincies."
)
SUPPRESSION_EN = (
    f"A figure that rests on fewer than {MINIMUM_CELLS} cells (or fewer than {MINIMUM_CASES} "
    "cases) is suppressed: the value is empty and 'suppressed' is true. A province above the "
    "threshold can be suppressed too: otherwise a suppressed figure could be worked out as "
    "Flanders minus the other provinces."
)

FLANDERS = "flanders"
FLANDERS_NAME = "Vlaanderen"

CSV_COLUMNS = [
    "year",
    "area",
    "area_name",
    "key",
    "breakdown",
    "breakdown_label",
    "value",
    "unit",
    "suppressed",
]


@dataclass(frozen=True)
class Definition:
    label_nl: str
    label_en: str
    definition_nl: str
    definition_en: str
    unit: str = ""  # "", "%", "months", ...


# Every public key that metrics.insights_compute reports (figures and series).
DICTIONARY: dict[str, Definition] = {
    "cells_total": Definition(
        "Cellen op het platform",
        "Cells on the platform",
        "Aantal echte LIVC R's (geen oefencellen) op het platform op het einde van het jaar.",
        "Number of real LIVC R cells (no training cells) on the platform at the end of the year.",
    ),
    "cells_joint": Definition(
        "Gezamenlijke cellen",
        "Joint cells",
        "Cellen die meerdere gemeenten samen vormen.",
        "Cells formed by several municipalities together.",
    ),
    "cells_active": Definition(
        "Actieve cellen",
        "Active cells",
        "Cellen met een overleg of een signaal in de laatste 12 maanden "
        "(telt enkel cellen die hun activiteit delen).",
        "Cells with a meeting or a signal in the last 12 months "
        "(counts only cells that share their activity).",
    ),
    "municipalities_covered": Definition(
        "Gemeenten met een cel",
        "Municipalities with a cell",
        "Gemeenten die deel uitmaken van minstens een cel.",
        "Municipalities that are part of at least one cell.",
    ),
    "municipalities_total": Definition(
        "Gemeenten",
        "Municipalities",
        "Aantal Vlaamse gemeenten in het gebied.",
        "Number of Flemish municipalities in the area.",
    ),
    "municipalities_covered_share": Definition(
        "Aandeel gemeenten met een cel",
        "Share of municipalities with a cell",
        "Gemeenten met een cel als percentage van alle gemeenten in het gebied.",
        "Municipalities with a cell as a percentage of all municipalities in the area.",
        unit="%",
    ),
    "meetings_total": Definition(
        "Gehouden overleggen",
        "Meetings held",
        "Overleggen van cellen in het jaar (cellen die hun activiteit delen).",
        "Meetings of cells in the year (cells that share their activity).",
    ),
    "trajectories_total": Definition(
        "Coachingstrajecten",
        "Coaching trajectories",
        "Coachingstrajecten van VVSG voor cellen in het jaar.",
        "VVSG coaching trajectories for cells in the year.",
    ),
    "trajectories_municipalities_reached": Definition(
        "Gemeenten bereikt door coaching",
        "Municipalities reached by coaching",
        "Gemeenten met een cel die een coachingstraject volgde.",
        "Municipalities with a cell that followed a coaching trajectory.",
    ),
    "helpdesk_questions": Definition(
        "Helpdeskvragen",
        "Helpdesk questions",
        "Vragen aan de VVSG-helpdesk in het jaar.",
        "Questions to the VVSG helpdesk in the year.",
    ),
    "helpdesk_local_governments": Definition(
        "Lokale besturen met een vraag",
        "Local governments that asked a question",
        "Gemeenten waarvoor minstens een helpdeskvraag werd gesteld.",
        "Municipalities for which at least one helpdesk question was asked.",
    ),
    "helpdesk_within_sla_share": Definition(
        "Aandeel vragen tijdig beantwoord",
        "Share of questions answered in time",
        "Helpdeskvragen met een eerste antwoord binnen de afgesproken termijn (enkel Vlaanderen).",
        "Helpdesk questions with a first reply within the agreed time (Flanders only).",
        unit="%",
    ),
    "events_total": Definition(
        "Evenementen",
        "Events",
        "Evenementen van VVSG (werkgroepen, intervisies, platformen, opleidingen) in het jaar.",
        "VVSG events (working groups, intervisions, platforms, trainings) in the year.",
    ),
    "event_registrations": Definition(
        "Inschrijvingen",
        "Registrations",
        "Inschrijvingen voor evenementen in het jaar.",
        "Registrations for events in the year.",
    ),
    "event_attended": Definition(
        "Aanwezigheden",
        "Attendances",
        "Geregistreerde aanwezigheden op evenementen in het jaar.",
        "Recorded attendances at events in the year.",
    ),
    "cells_by_province": Definition(
        "Cellen per provincie",
        "Cells per province",
        "Cellen per provincie; een gezamenlijke cel over twee provincies telt in beide "
        "(enkel Vlaanderen).",
        "Cells per province; a joint cell across two provinces counts in both (Flanders only).",
    ),
    "municipalities_covered_by_province": Definition(
        "Gemeenten met een cel per provincie",
        "Municipalities with a cell per province",
        "Gemeenten met een cel per provincie (enkel Vlaanderen).",
        "Municipalities with a cell per province (Flanders only).",
    ),
    "meetings_by_kind": Definition(
        "Overleggen per type",
        "Meetings per type",
        "Gehouden overleggen per type: casusoverleg, netwerk- of thematisch overleg, gemengd.",
        "Meetings held per type: case consultation, network or thematic meeting, mixed.",
    ),
    "scan_modules": Definition(
        "Zelfevaluatie: gemiddelde modulescore",
        "Self-evaluation: average module score",
        "Gemiddelde score (0-100) per module van de laatst afgesloten zelfevaluatie van "
        "de cellen (enkel Vlaanderen).",
        "Average score (0-100) per module of the cells' latest closed self-evaluation "
        "(Flanders only).",
    ),
    "trajectories_by_category": Definition(
        "Coachingstrajecten per categorie",
        "Coaching trajectories per category",
        "Coachingstrajecten per categorie (opstarten, heractiveren, optimaliseren...).",
        "Coaching trajectories per category (start up, reactivate, optimise...).",
    ),
    "trajectories_by_status": Definition(
        "Coachingstrajecten per status",
        "Coaching trajectories per status",
        "Coachingstrajecten per status (gepland, actief, gepauzeerd, afgerond...).",
        "Coaching trajectories per status (planned, active, paused, finished...).",
    ),
    "events_by_kind": Definition(
        "Evenementen per soort",
        "Events per kind",
        "Evenementen per soort.",
        "Events per kind.",
    ),
    "trend_cells": Definition(
        "Cellen per jaar",
        "Cells per year",
        "Cellen op het platform op het einde van elk van de laatste vijf jaren.",
        "Cells on the platform at the end of each of the last five years.",
    ),
    "trend_trajectories": Definition(
        "Coachingstrajecten per jaar",
        "Coaching trajectories per year",
        "Gestarte coachingstrajecten per jaar, laatste vijf jaren.",
        "Coaching trajectories started per year, last five years.",
    ),
    "trend_helpdesk_questions": Definition(
        "Helpdeskvragen per jaar",
        "Helpdesk questions per year",
        "Helpdeskvragen per jaar, laatste vijf jaren.",
        "Helpdesk questions per year, last five years.",
    ),
    "trend_events": Definition(
        "Evenementen per jaar",
        "Events per year",
        "Evenementen per jaar, laatste vijf jaren.",
        "Events per year, last five years.",
    ),
}


# A year is published from 1 March of the next year: cells get two months to complete their
# records, because a published year is frozen (``models.Publication``).
PUBLISHED_FROM = (3, 1)


def opendata_years() -> range:
    """Published years: 2018 up to last year once it is 1 March, else the year before."""
    today = timezone.localdate()
    last = today.year - 1 if (today.month, today.day) >= PUBLISHED_FROM else today.year - 2
    return range(FIRST_YEAR, last + 1)


def _area(insights: Insights) -> tuple[str, str]:
    if insights.province is None:
        return FLANDERS, FLANDERS_NAME
    try:
        return insights.province, str(Province(insights.province).label)
    except ValueError:
        return insights.province, insights.province


def _value(figure: Figure) -> float | int | None:
    return None if figure.suppressed or figure.value is None else figure.value


def public_rows(areas: Sequence[Insights]) -> Iterator[dict[str, Any]]:
    """One row per public figure and per row of a public series, for every area."""
    for insights in areas:
        area, area_name = _area(insights)
        base = {"year": insights.year, "area": area, "area_name": area_name}
        for figure in insights.figures:
            if not figure.public:
                continue
            yield {
                **base,
                "key": figure.key,
                "breakdown": "",
                "breakdown_label": "",
                "value": _value(figure),
                "unit": figure.unit,
                "suppressed": figure.suppressed or figure.value is None,
            }
        for series in insights.series:
            if not series.public:
                continue
            for label, figure in series.rows:
                prefix = series.key + "."
                row_key = figure.key[len(prefix) :] if figure.key.startswith(prefix) else label
                yield {
                    **base,
                    "key": series.key,
                    "breakdown": row_key,
                    "breakdown_label": label,
                    "value": _value(figure),
                    "unit": figure.unit,
                    "suppressed": figure.suppressed or figure.value is None,
                }


def public_keys(areas: Sequence[Insights]) -> set[str]:
    """The keys of every public figure and series (also a series without rows)."""
    keys = set()
    for insights in areas:
        keys |= {f.key for f in insights.figures if f.public}
        keys |= {s.key for s in insights.series if s.public}
    return keys


def opendata_insights(year: int) -> list[Insights]:
    """Flanders first, then each province; labels in Dutch whatever the reader's language."""
    from vangnet.insights.metrics import insights_compute_all

    with translation.override("nl"):
        flanders, provinces = insights_compute_all(year=year)
    return [flanders, *provinces]


def figures_csv(areas: Sequence[Insights]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in public_rows(areas):
        values = {
            **row,
            "value": "" if row["value"] is None else row["value"],
            "suppressed": "true" if row["suppressed"] else "false",
        }
        writer.writerow([spreadsheet_safe(str(values[c])) for c in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()  # the BOM: spreadsheet programs read UTF-8


def figures_json(areas: Sequence[Insights]) -> str:
    year = areas[0].year if areas else None
    document = {
        "year": year,
        "publisher": "VVSG",
        "licence": LICENCE,
        "suppression": {"nl": SUPPRESSION_NL, "en": SUPPRESSION_EN},
        "dictionary": "dictionary.json",
        "figures": list(public_rows(areas)),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def dictionary_entries() -> list[dict[str, Any]]:
    return [{"key": key, **asdict(definition)} for key, definition in sorted(DICTIONARY.items())]


def dictionary_json() -> str:
    document = {
        "publisher": "VVSG",
        "licence": LICENCE,
        "suppression": {"nl": SUPPRESSION_NL, "en": SUPPRESSION_EN},
        "columns": {
            "year": "Kalenderjaar / calendar year",
            "area": "'flanders' of NIS-code van de provincie / 'flanders' or the province NIS code",
            "area_name": "Naam van het gebied / name of the area",
            "key": "Sleutel van het cijfer (zie figures) / key of the figure (see figures)",
            "breakdown": (
                "Leeg voor een enkel cijfer; anders de sleutel van de rij van de uitsplitsing "
                "(jaar, type, NIS-code) / empty for a single figure; else the key of the row "
                "of the breakdown (year, type, NIS code)"
            ),
            "breakdown_label": "Naam van de rij (Nederlands) / name of the row (Dutch)",
            "value": "Waarde, leeg als onderdrukt / value, empty when suppressed",
            "unit": "Eenheid / unit",
            "suppressed": "Onderdrukt (true/false) / suppressed (true/false)",
        },
        "figures": dictionary_entries(),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
