from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.insights import opendata
from vangnet.insights.models import Publication
from vangnet.insights.services import publication_for_year, publication_replace


class Command(BaseCommand):
    help = (
        "Publish the open data of the published years that have no files yet (a year is "
        "published on first request anyway). With --year Y --replace: recompute a year that "
        "was already published, as a deliberate correction (audited)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this year")
        parser.add_argument(
            "--replace", action="store_true", help="recompute the year even if published"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = list(opendata.opendata_years())
        year = options["year"]
        if options["replace"] and year is None:
            raise CommandError("--replace needs --year.")
        if year is not None and year not in years:
            span = f"{years[0]}-{years[-1]}" if years else "none yet"
            raise CommandError(f"{year} is not a published year (published: {span}).")
        for each in [year] if year is not None else years:
            if options["replace"]:
                publication_replace(year=each)
                self.stdout.write(f"{each}: replaced.")
            elif Publication.objects.filter(year=each).exists():
                self.stdout.write(f"{each}: already published (unchanged).")
            else:
                publication_for_year(each)
                self.stdout.write(f"{each}: published.")
