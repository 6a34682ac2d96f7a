from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.cases.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send the daily reminder: every coordinator and deputy coordinator of a cell with "
        "overdue actions or overdue case reviews gets one e-mail with the numbers only (no case "
        "codes, no names). Run it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(self.style.SUCCESS(f"{count} reminder(s) sent."))
