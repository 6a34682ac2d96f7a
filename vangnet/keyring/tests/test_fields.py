from __future__ import annotations

import base64

import pytest
from django.core import serializers
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test import override_settings
from django.test.utils import isolate_apps

from vangnet.keyring.fields import EncryptedTextField, PendingPlaintext
from vangnet.keyring.models import DataKey, EncryptionProbe
from vangnet.keyring.services import keyring_cache_clear, value_decrypt, value_encrypt
from vangnet.lib.crypto import DecryptionError

from .conftest import NEW_KEY

pytestmark = pytest.mark.django_db

SECRET = "Jan Peeters, geboren 1990, signaal via school"


def raw_column(probe: EncryptionProbe) -> bytes:
    table = connection.ops.quote_name(EncryptionProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {table}")
        rows = [bytes(row[0]) for row in cursor.fetchall()]
    stored = EncryptionProbe.objects.values_list("secret", flat=True).get(pk=probe.pk)
    assert bytes(stored) in rows
    return bytes(stored)


def copy_column(source: EncryptionProbe, target: EncryptionProbe) -> None:
    EncryptionProbe.objects.filter(pk=target.pk).update(secret=raw_column(source))


def test_it_round_trips_through_the_database(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    assert probe.secret == SECRET
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == SECRET


def test_it_round_trips_in_the_platform_scope(db):
    probe = EncryptionProbe.objects.create(secret=SECRET)
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == SECRET
    assert DataKey.objects.get(active=True).cell_id is None


def test_it_stores_no_plaintext_in_the_column(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    stored = raw_column(probe)
    assert SECRET.encode() not in stored
    assert b"Peeters" not in stored
    assert stored[0] == 1  # format version
    assert stored[1:17] == DataKey.objects.get(cell=cell).id.bytes
    assert probe.__dict__["secret"] == stored


def test_it_keeps_loaded_values_encrypted_until_read(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    loaded = EncryptionProbe.objects.get(pk=probe.pk)
    assert isinstance(loaded.__dict__["secret"], bytes)
    assert "_secret_decrypted" not in loaded.__dict__
    assert loaded.secret == SECRET
    assert loaded.__dict__["_secret_decrypted"][1] == SECRET


def test_it_marks_assigned_plaintext_as_pending(cell):
    probe = EncryptionProbe(cell=cell, secret="a")
    assert isinstance(probe.__dict__["secret"], PendingPlaintext)
    probe.secret = "b"
    assert probe.secret == "b"
    assert type(probe.secret) is str
    probe.save()
    assert isinstance(probe.__dict__["secret"], bytes)


def test_it_does_not_reencrypt_an_unchanged_value(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    loaded = EncryptionProbe.objects.get(pk=probe.pk)
    loaded.full_clean()  # reassigns the (same) plaintext
    loaded.save()
    assert raw_column(probe) == probe.__dict__["secret"]


def test_it_reencrypts_a_changed_value(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    before = raw_column(probe)
    probe.secret = "ander"
    probe.save()
    assert raw_column(probe) != before
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == "ander"


def test_it_encrypts_the_empty_string(cell):
    probe = EncryptionProbe.objects.create(cell=cell)
    assert raw_column(probe) != b""
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == ""


def test_it_loads_deferred_values(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    assert EncryptionProbe.objects.defer("secret").get(pk=probe.pk).secret == SECRET


def test_it_refuses_ciphertext_copied_to_another_row(cell):
    source = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    target = EncryptionProbe.objects.create(cell=cell, secret="x")
    copy_column(source, target)
    with pytest.raises(DecryptionError, match="another row, field or cell"):
        EncryptionProbe.objects.get(pk=target.pk).secret


def test_it_refuses_ciphertext_moved_to_another_cell(cell, other_cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    EncryptionProbe.objects.filter(pk=probe.pk).update(cell=other_cell)
    with pytest.raises(DecryptionError):
        EncryptionProbe.objects.get(pk=probe.pk).secret


def test_it_refuses_ciphertext_under_another_field_name(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    other = EncryptedTextField()
    other.set_attributes_from_name("other")
    other.model = EncryptionProbe
    aad_other = other.aad_from(pk=probe.pk, cell_id=cell.pk)
    with pytest.raises(DecryptionError):
        value_decrypt(ciphertext=raw_column(probe), aad=aad_other)


def test_it_refuses_tampered_ciphertext(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    stored = bytearray(raw_column(probe))
    stored[30] ^= 0x01
    EncryptionProbe.objects.filter(pk=probe.pk).update(secret=bytes(stored))
    with pytest.raises(DecryptionError):
        EncryptionProbe.objects.get(pk=probe.pk).secret


def test_it_refuses_an_unknown_format(cell):
    with pytest.raises(DecryptionError, match="format"):
        value_decrypt(ciphertext=b"\x02" + bytes(60), aad=b"")


def test_it_reencrypts_a_read_value_when_the_row_moves_cell(cell, other_cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    loaded = EncryptionProbe.objects.get(pk=probe.pk)
    assert loaded.secret == SECRET
    loaded.cell = other_cell
    loaded.save()
    stored = raw_column(probe)
    assert stored[1:17] == DataKey.objects.get(cell=other_cell).id.bytes
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == SECRET


def test_it_refuses_to_save_an_unread_value_after_a_move(cell, other_cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    loaded = EncryptionProbe.objects.get(pk=probe.pk)
    loaded.cell = other_cell
    with pytest.raises(DecryptionError):
        loaded.save()


def test_it_needs_a_primary_key(cell):
    probe = EncryptionProbe(cell=cell, secret=SECRET)
    probe.pk = None  # save() would fill it from the default; a model without one cannot
    with pytest.raises(ValueError, match="primary key must be set"):
        EncryptionProbe._meta.get_field("secret").pre_save(probe, add=True)


def test_it_refuses_lookups_on_plaintext(cell):
    with pytest.raises(FieldError, match="encrypted"):
        list(EncryptionProbe.objects.filter(secret__icontains="Jan"))
    with pytest.raises(TypeError, match="encrypted"):
        list(EncryptionProbe.objects.filter(secret=SECRET))
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        EncryptionProbe.objects.update(secret=SECRET)
    assert not EncryptionProbe.objects.filter(secret__isnull=True).exists()


def test_it_rejects_other_types(cell):
    with pytest.raises(TypeError, match="takes str or None"):
        EncryptionProbe(cell=cell, secret=42)


def test_it_fails_clearly_with_the_wrong_master_key(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    with (
        override_settings(VANGNET_MASTER_KEYS=f"old:{NEW_KEY}"),
        pytest.raises(DecryptionError, match="cannot be unwrapped with master key 'old'"),
    ):
        EncryptionProbe.objects.get(pk=probe.pk).secret


def test_it_fails_clearly_when_the_master_key_is_missing(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    with (
        override_settings(VANGNET_MASTER_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(DecryptionError, match="'old', which is not configured"),
    ):
        EncryptionProbe.objects.get(pk=probe.pk).secret


def test_it_uses_the_cache_only_until_cleared(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    DataKey.objects.update(wrapped_key=b"garbage" * 8)
    assert EncryptionProbe.objects.get(pk=probe.pk).secret == SECRET  # cached data key
    keyring_cache_clear()
    with pytest.raises(DecryptionError):
        EncryptionProbe.objects.get(pk=probe.pk).secret


def test_it_binds_service_ciphertext_to_its_aad(cell):
    ciphertext = value_encrypt(plaintext="x", cell_id=cell.pk, aad=b"a")
    assert value_decrypt(ciphertext=ciphertext, aad=b"a") == "x"
    with pytest.raises(DecryptionError):
        value_decrypt(ciphertext=ciphertext, aad=b"b")


def test_it_allows_one_active_key_per_scope(cell):
    value_encrypt(plaintext="x", cell_id=None, aad=b"")
    value_encrypt(plaintext="x", cell_id=cell.pk, aad=b"")
    for cell_id in (None, cell.pk):
        with pytest.raises(IntegrityError), transaction.atomic():
            DataKey.objects.create(
                cell_id=cell_id, version=7, master_key_id="old", wrapped_key=b"", active=True
            )


def test_it_deconstructs_for_stable_migrations():
    field = EncryptedTextField(cell_field=None, blank=True)
    _, path, args, kwargs = field.deconstruct()
    assert args == []
    assert path == "vangnet.keyring.fields.EncryptedTextField"
    assert kwargs == {"cell_field": None, "blank": True}
    assert EncryptedTextField().deconstruct()[3] == {}
    assert EncryptedTextField(editable=False).deconstruct()[3] == {"editable": False}
    call_command("makemigrations", "keyring", check=True, dry_run=True, verbosity=0)


def test_it_gives_a_text_form_field():
    formfield = EncryptionProbe._meta.get_field("secret").formfield()
    assert formfield.clean("tekst") == "tekst"


def test_it_serialises_ciphertext_only(cell):
    probe = EncryptionProbe.objects.create(cell=cell, secret=SECRET)
    dumped = serializers.serialize("json", [probe])
    assert "Peeters" not in dumped
    assert base64.b64encode(raw_column(probe)).decode() in dumped


@isolate_apps("vangnet.keyring")
def test_it_flags_models_it_cannot_protect():
    class Unsafe(models.Model):  # noqa: DJ008
        id = models.AutoField(primary_key=True)  # assigned by the database: too late for AAD
        note = EncryptedTextField(cell_field="tenant_id")

    ids = {error.id for error in Unsafe._meta.get_field("note").check()}
    assert ids == {"keyring.E001", "keyring.E002"}
