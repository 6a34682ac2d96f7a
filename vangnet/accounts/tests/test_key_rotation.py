from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vangnet.accounts.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_it_keeps_authenticators_working_after_rotate_keys(personas):
    device = TOTPDevice.objects.get(user=personas.alice)
    seed = device.key
    before = bytes(TOTPDevice.objects.filter(pk=device.pk).values_list("key", flat=True)[0])
    call_command("rotate_keys", stdout=StringIO())
    after_row = TOTPDevice.objects.get(pk=device.pk)
    after = bytes(TOTPDevice.objects.filter(pk=device.pk).values_list("key", flat=True)[0])
    assert before != after
    assert after_row.key == seed
    assert after_row.verify_token(after_row.current_code())
