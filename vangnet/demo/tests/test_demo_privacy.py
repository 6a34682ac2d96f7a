from __future__ import annotations

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.breaches.models import Breach
from vangnet.demo import services
from vangnet.privacy.models import SubjectRequest

pytestmark = pytest.mark.django_db


def test_the_dpo_of_mechelen_finds_an_open_request_and_a_breach_to_notify(
    demo_without_support_desk,
):
    services.demo_load()
    with scopes_disabled():
        request = SubjectRequest.objects.get()
        breach = Breach.objects.get()
        assert request.cell.name == "LIVC R Mechelen" == breach.cell.name
        assert not request.is_decided and request.days_left(timezone.localdate()) > 0
        assert breach.notified_at is None and breach.registered_by.email.startswith("dpo.")
    services.demo_load()  # idempotent
    with scopes_disabled():
        assert (SubjectRequest.objects.count(), Breach.objects.count()) == (1, 1)
