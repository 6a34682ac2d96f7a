"""Publishing open data: a year is computed once and then served as published."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from vangnet.audit.services import audit_record
from vangnet.insights import opendata
from vangnet.insights.models import Publication


def _files(year: int) -> tuple[str, str]:
    areas = opendata.opendata_insights(year)
    return opendata.figures_csv(areas), opendata.figures_json(areas)


def publication_for_year(year: int) -> Publication:
    """The published files of ``year`` (one of ``opendata.opendata_years()``), computed and
    stored on first use, then served unchanged."""
    existing = Publication.objects.filter(year=year).first()
    if existing is not None:
        return existing
    csv_text, json_text = _files(year)
    try:
        with transaction.atomic():  # stored and audited together, or neither
            publication = Publication.objects.create(year=year, csv=csv_text, json=json_text)
            audit_record(
                action="insights.opendata.published", target=publication, data={"year": year}
            )
    except IntegrityError:  # published by a parallel request in the meantime
        return Publication.objects.get(year=year)
    return publication


@transaction.atomic
def publication_replace(*, year: int) -> Publication:
    """Recompute a published year (a deliberate correction, from the command line)."""
    if year not in opendata.opendata_years():
        raise ValueError(f"{year} is not a published year")
    csv_text, json_text = _files(year)
    publication, created = Publication.objects.update_or_create(
        year=year, defaults={"csv": csv_text, "json": json_text}
    )
    audit_record(
        action="insights.opendata.published" if created else "insights.opendata.replaced",
        target=publication,
        data={"year": year, "by": "manage.py opendata_publish"},
    )
    return publication
