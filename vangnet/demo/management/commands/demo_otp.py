from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.demo.services import demo_device


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo persona (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="e-mail address of a demo persona")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            device = demo_device(options["email"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds_left = device.step - int(time.time()) % device.step
        self.stdout.write(device.current_code())
        self.stderr.write(
            f"valid for {seconds_left} more seconds; each code works once, "
            "so wait for the next one if you just used it"
        )
