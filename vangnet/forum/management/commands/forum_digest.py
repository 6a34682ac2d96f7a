from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vangnet.forum.services import digest_send


class Command(BaseCommand):
    help = (
        "Send the forum digest: everyone who follows a forum space or thread and has something "
        "new gets one e-mail with counts per space only (no titles, no post text). Running it "
        "again sends nothing until there is new activity. Run it once a day. Exits with an "
        "error when a mail could not be sent (it is tried again on the next run)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digest_send()
        summary = f"{run.sent} digest(s) sent, {run.failed} failed."
        if run.removed:
            summary += f" {run.removed} subscription(s) removed (access lost)."
        if run.failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
