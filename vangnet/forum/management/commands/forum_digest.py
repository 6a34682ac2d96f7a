from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.forum.services import digest_send


class Command(BaseCommand):
    help = (
        "Send the forum digest: everyone who follows a forum space or thread and has something "
        "new gets one e-mail with counts per space only (no titles, no post text). Running it "
        "again sends nothing until there is new activity. Run it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = digest_send()
        self.stdout.write(self.style.SUCCESS(f"{count} digest(s) sent."))
