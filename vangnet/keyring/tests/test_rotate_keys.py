from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from vangnet.keyring.models import DataKey, EncryptionProbe
from vangnet.keyring.services import keyring_cache_clear, keyring_rotate

from .conftest import NEW_KEY, OLD_RING

pytestmark = pytest.mark.django_db


def stored(probe):
    return bytes(EncryptionProbe.objects.values_list("secret", flat=True).get(pk=probe.pk))


@pytest.fixture
def probes(cell, other_cell):
    return [
        EncryptionProbe.objects.create(cell=cell, secret="eerste"),
        EncryptionProbe.objects.create(cell=cell, secret="tweede"),
        EncryptionProbe.objects.create(cell=other_cell, secret="derde"),
        EncryptionProbe.objects.create(cell=None, secret="platform"),
    ]


def test_it_reencrypts_everything_and_retires_the_old_master_key(probes):
    before = {p.pk: stored(p) for p in probes}
    output = StringIO()
    with override_settings(VANGNET_MASTER_KEYS=f"new:{NEW_KEY},{OLD_RING}"):
        call_command("rotate_keys", stdout=output)

    assert (
        "3 data key(s) re-wrapped, 3 new, 3 retired, 4 value(s) re-encrypted" in output.getvalue()
    )
    for secret in ("eerste", "tweede", "derde", "platform"):
        assert secret not in output.getvalue()
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"new"}
    assert DataKey.objects.filter(active=True).count() == 3
    assert set(DataKey.objects.filter(active=True).values_list("version", flat=True)) == {2}
    assert DataKey.objects.filter(active=False, version=1).count() == 3
    for probe in probes:
        after = stored(probe)
        assert after != before[probe.pk]
        assert after[1:17] == DataKey.objects.get(cell=probe.cell_id, active=True).id.bytes

    # The old master key can go: everything reads with the new one alone.
    keyring_cache_clear()
    with override_settings(VANGNET_MASTER_KEYS=f"new:{NEW_KEY}"):
        for probe in probes:
            assert EncryptionProbe.objects.get(pk=probe.pk).secret == probe.secret
        call_command("check_encryption", stdout=StringIO())


def test_it_can_run_twice(probes):
    keyring_rotate()
    report = keyring_rotate()
    assert report.rewrapped_keys == 0
    assert report.values_reencrypted == 4
    assert set(DataKey.objects.filter(active=True).values_list("version", flat=True)) == {3}
    assert [EncryptionProbe.objects.get(pk=p.pk).secret for p in probes] == [
        "eerste",
        "tweede",
        "derde",
        "platform",
    ]


def test_it_stops_clearly_on_a_value_that_does_not_decrypt(probes):
    EncryptionProbe.objects.filter(pk=probes[1].pk).update(secret=stored(probes[0]))
    with pytest.raises(CommandError, match=rf"EncryptionProbe.secret of row {probes[1].pk}"):
        call_command("rotate_keys", stdout=StringIO())


def test_it_stops_clearly_when_a_data_key_cannot_be_unwrapped(probes):
    keyring_cache_clear()
    with (
        override_settings(VANGNET_MASTER_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(CommandError, match="'old', which is not configured"),
    ):
        call_command("rotate_keys", stdout=StringIO())


def test_it_checks_encryption_and_leaves_no_probe(probes):
    output = StringIO()
    call_command("check_encryption", stdout=output)
    assert "Encryption OK: 3 data key(s) unwrap" in output.getvalue()
    assert EncryptionProbe.objects.count() == len(probes)


def test_it_reports_a_broken_set_up(probes):
    keyring_cache_clear()
    with (
        override_settings(VANGNET_MASTER_KEYS=f"old:{NEW_KEY}"),
        pytest.raises(CommandError, match="cannot be unwrapped"),
    ):
        call_command("check_encryption", stdout=StringIO())
