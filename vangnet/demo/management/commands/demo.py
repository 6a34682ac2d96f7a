from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vangnet.demo.network import network_pointers
from vangnet.demo.people import DEMO_PASSWORD
from vangnet.demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo (three fictional cells on real municipalities, one persona per role, "
        "the support desk: knowledge base, a year of helpdesk questions, forum; and the network: "
        "bodies, a year of events, coaching trajectories)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        personas = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Log in at http://127.0.0.1:8000/"))
        self.stdout.write(f"Password for every persona: {DEMO_PASSWORD}")
        self.stdout.write(
            "Second step: run  .venv/bin/python manage.py demo_otp <e-mail>  in another "
            "terminal and type the six digits it prints."
        )
        width = max(len(p.email) for p in personas)
        for persona in personas:
            self.stdout.write(f"  {persona.email.ljust(width)}  {persona.description}")
        for line in network_pointers():
            self.stdout.write(line)
