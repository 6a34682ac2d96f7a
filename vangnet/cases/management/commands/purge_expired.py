from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vangnet.cases.purge import purge_expired


class Command(BaseCommand):
    help = (
        "Delete what the retention policy no longer allows us to keep: screened signals that did "
        "not become a case, and closed cases (not under a legal hold) past their deletion date, "
        "with their participants, actions, factors and signals. Writes one audit event per cell "
        "and prints counts only. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted; delete nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = purge_expired(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for cell_id in report.cell_ids:
            self.stdout.write(
                f"Cell {cell_id}: {report.signals.get(cell_id, 0)} signal(s), "
                f"{report.cases.get(cell_id, 0)} case(s) {verb}."
            )
        summary = (
            f"{'Dry run: ' if dry_run else ''}{report.total_signals} signal(s) and "
            f"{report.total_cases} case(s) {verb} in {len(report.cell_ids)} cell(s)."
        )
        self.stdout.write(summary if dry_run else self.style.SUCCESS(summary))
        if not dry_run:
            from vangnet.accounts.services import login_records_purge

            removed = login_records_purge()
            self.stdout.write(
                f"{removed} lockout record(s) and reset request(s) older than a day deleted."
            )
