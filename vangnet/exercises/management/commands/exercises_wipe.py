from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.exercises.services import exercises_wipe_due


class Command(BaseCommand):
    help = (
        "Wipe the training cells of tabletop exercises whose event ended more than "
        "VANGNET_EXERCISE_WIPE_AFTER_HOURS hours ago (default 24) or was cancelled. A wiped "
        "cell is never wiped twice, so running it more often is harmless. Run it hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = exercises_wipe_due()
        self.stdout.write(self.style.SUCCESS(f"{count} training cell(s) wiped."))
