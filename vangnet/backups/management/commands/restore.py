from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database with an encrypted backup (and add its stored files), then "
        "compare the row counts with the backup's manifest and verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="the backup file (.vbk)")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="do not ask: the current contents of the database are replaced",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input(
                "Every table of the database is replaced by the backup's. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            report = backup_restore(source=Path(options["source"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {report.manifest['created_at']} in {report.seconds} s: "
            f"{report.tables} tables, {report.rows} rows, {report.media_files} stored files."
        )
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is from an older version: run `manage.py migrate` "
                    f"({len(report.pending_migrations)} migrations to apply)."
                )
            )
        for table, (expected, found) in sorted(report.count_differences.items()):
            self.stdout.write(f"  {table}: {found} rows, the backup lists {expected}")
        audit = (
            f"audit chain valid ({report.audit_checked} events)"
            if report.audit_valid
            else f"audit chain BROKEN: {report.audit_detail}"
        )
        if not report.ok:
            raise CommandError(f"The restore does not match its backup; {audit}.")
        self.stdout.write(self.style.SUCCESS(f"Row counts match the backup; {audit}."))
