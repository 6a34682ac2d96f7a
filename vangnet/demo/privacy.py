"""Demo privacy office of one cell: an open access request and a breach still to be notified.

Everything goes through the services, as the DPO would. Running it twice changes nothing.
The person and the incident are fictional.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from vangnet.accounts.models import User
from vangnet.breaches.models import Breach, BreachNature
from vangnet.breaches.services import breach_create
from vangnet.cells.models import Cell
from vangnet.privacy.models import RequestKind, SubjectRequest
from vangnet.privacy.subjects import subject_request_register


def privacy_load(*, cell: Cell, dpo: User) -> None:
    """A request received twelve days ago and a breach the cell learnt of yesterday."""
    with scope(cell=cell.pk):
        if not SubjectRequest.objects.exists():
            subject_request_register(
                cell=cell,
                kind=RequestKind.ACCESS,
                received_on=timezone.localdate() - datetime.timedelta(days=12),
                subject_name="Noor Verbeeck",  # fictional
                subject_birth_date=datetime.date(2007, 5, 9),
                request_text="Vraagt per brief welke gegevens de cel over haar bijhoudt.",
                identity_verified=False,
                user=dpo,
            )
        if not Breach.objects.exists():
            aware = timezone.now() - datetime.timedelta(hours=30)
            breach_create(
                cell=cell,
                registered_by=dpo,
                fields={
                    "occurred_at": aware - datetime.timedelta(hours=2),
                    "occurred_approximate": True,
                    "aware_at": aware,
                    "nature": [BreachNature.CONFIDENTIALITY],
                    "description": "Een agenda van het casusoverleg met casuscodes werd per "
                    "vergissing naar een verkeerd e-mailadres binnen de stad gestuurd.",
                    "subject_categories": "Besproken personen (casuscodes, geen namen)",
                    "subject_count": 4,
                    "record_categories": "Agenda met casuscodes en tijdstippen",
                    "record_count": 1,
                    "consequences": "Beperkt: geen namen, maar wel het bestaan van casussen.",
                    "measures": "Ontvanger gevraagd het bericht te wissen; bevestiging ontvangen.",
                    "contact": f"{dpo.full_name} <{dpo.email}>",
                },
            )
