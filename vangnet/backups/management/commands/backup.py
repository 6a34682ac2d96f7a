from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.backups.services import BackupError, backup_create, backup_file_name


class Command(BaseCommand):
    help = (
        "Write a consistent, encrypted backup of the database and the stored files "
        "(VANGNET_BACKUP_KEY) into a directory or a new file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            help="a directory (the file is named vangnet-backup-<UTC time>.vbk) or a new file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        if destination.is_dir():
            destination = destination / backup_file_name()
        try:
            manifest = backup_create(destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {destination}: {len(tables)} tables, "
                f"{sum(tables.values())} rows, {manifest['media_files']} stored files."
            )
        )
