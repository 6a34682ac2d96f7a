from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vangnet.keyring.services import RotationError, keyring_rotate


class Command(BaseCommand):
    help = (
        "Rotate the encryption keys: re-wrap all data keys with the first master key in "
        "VANGNET_MASTER_KEYS, create new data key versions and re-encrypt every encrypted "
        "value. Afterwards older master keys can be removed from the configuration."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = keyring_rotate(stdout=self.stdout)
        except (RotationError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Rotation complete: {report.rewrapped_keys} data key(s) re-wrapped, "
                f"{report.new_keys} new, {report.retired_keys} retired, "
                f"{report.values_reencrypted} value(s) re-encrypted."
            )
        )
