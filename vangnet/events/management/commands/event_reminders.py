from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.events.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail everyone registered for a published event that starts in 24 to 48 hours (title, "
        "date and a link only). Each registration is reminded once, so running it more than "
        "once a day is harmless. Run it daily (or hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(self.style.SUCCESS(f"{count} reminder(s) sent."))
