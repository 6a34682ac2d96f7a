from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vangnet.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: recompute every event's hash and check the links "
        "and positions. Exits non-zero and names the first broken position if the log was "
        "altered or events were removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            # CommandError: message on stderr and exit status 1, so cron/monitoring notices.
            raise CommandError(
                f"Audit chain BROKEN at position {result.first_broken_position}: {result.reason}"
            )
        self.stdout.write(f"Audit chain OK: {result.checked} events")
