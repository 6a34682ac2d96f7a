from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from vangnet.keyring.models import DataKey, EncryptionProbe
from vangnet.keyring.services import datakey_unwrap, keyring_cache_clear
from vangnet.lib.crypto import DecryptionError


class Command(BaseCommand):
    help = (
        "Check the encryption set-up: every stored data key must unwrap with the configured "
        "master keys, and a probe value must survive a write and read through the database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Start cold so the check really exercises the configured master keys.
        keyring_cache_clear()
        try:
            # Every cell's keys: a platform check across cells (row-level security, lib/rls.py).
            with scopes_disabled():
                key_ids = list(DataKey.objects.values_list("id", flat=True))
                for key_id in key_ids:
                    datakey_unwrap(key_id)
                self._probe()
        except (DecryptionError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Encryption OK: {len(key_ids)} data key(s) unwrap, probe value round-trips."
            )
        )

    def _probe(self) -> None:
        secret = secrets.token_urlsafe(24)
        with transaction.atomic():
            probe = EncryptionProbe.objects.create(secret=secret)
            # values_list() gives the column as stored: ciphertext.
            stored = EncryptionProbe.objects.values_list("secret", flat=True).get(pk=probe.pk)
            read_back = EncryptionProbe.objects.get(pk=probe.pk).secret
            probe.delete()
        stored = bytes(stored or b"")
        if not stored or secret.encode() in stored:
            raise CommandError("the probe value was not stored encrypted")
        if read_back != secret:
            raise CommandError("the probe value did not read back unchanged")
