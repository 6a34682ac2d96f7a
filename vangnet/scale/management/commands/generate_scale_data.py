"""``manage.py generate_scale_data --scale flanders``: realistic, reproducible volume data.

Writes into a fresh, migrated database (it refuses when any cell exists, and in production).
The same ``--seed`` and ``--today`` give the same ids, names, codes and dates.

Known personas (password ``--password``, default ``scale-bench-wachtwoord``):
``coordinator.c001@scale.vangnet.invalid`` and the other leading roles of cell 1 (mayor,
deputy, information, prevention, dpo), ``partner.c001@…`` (a partner member taking part in
cases), ``municipal.c001@…`` (support desk only) and ``staff.01@…`` (VVSG staff); see
``vangnet.scale.services.scale_personas``.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vangnet.scale.services import (
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    SCALES,
    ScaleRefused,
    scale_generate,
    scale_personas,
)


class Command(BaseCommand):
    help = (
        "Fill a fresh, migrated database with realistic, reproducible data at a given scale "
        "(tiny, small, flanders: 150 cells, 15,000 users, 60,000 signals, 25,000 cases, "
        "1,000,000 audit events...; 10x). Every persona, e.g. coordinator.c001@"
        "scale.vangnet.invalid, partner.c001@... and staff.01@..., has the --password and a "
        "confirmed authenticator app. Refused in production and when any cell exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="flanders")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="anchor date (YYYY-MM-DD): history ends the day before, meetings and events "
            "are planned after it; default today. Fix it to reproduce a dataset exactly.",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of every generated account (default {DEFAULT_PASSWORD!r})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        today = options["today"] or timezone.localdate()
        self.stdout.write(
            f"Generating scale {options['scale']!r} (seed {options['seed']}, today {today})"
        )
        started = time.monotonic()
        try:
            scale_generate(
                scale=scale,
                today=today,
                seed=options["seed"],
                password=options["password"],
                report=self.stdout.write,
            )
        except ScaleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s. Personas:")
        )
        for role, email in scale_personas().items():
            self.stdout.write(f"  {role:<20} {email}")
