"""The restore drill (issue 12, item 4): backup → wipe → restore → row counts, canaries that
decrypt, a valid audit chain and a working sign-in; without the master keys the case fields
stay unreadable; a damaged or foreign file changes nothing.

Transactional tests: `pg_dump` and SQLite's backup API see committed data only. With
`VANGNET_VERIFY_DIR` set (`make verify`) the drill writes its figures there.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django_scopes import scope, scopes_disabled

from vangnet.accounts.models import TOTPDevice, User
from vangnet.audit.models import AuditEvent
from vangnet.backups.services import BackupError, backup_create, backup_restore
from vangnet.cases.models import Case
from vangnet.cases.services import case_open
from vangnet.cells.models import Municipality
from vangnet.cells.reference import municipalities_load
from vangnet.lib.crypto import DecryptionError
from vangnet.tests_support.personas import PASSWORD, make_personas

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "KANARIE-HERSTEL-3b8e Persoon"
ADDRESS = "Kanariestraat 7, 2800 Mechelen"


def _key() -> str:
    return "drill:" + base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture
def keys(settings: Any) -> str:
    settings.VANGNET_BACKUP_KEY = _key()
    return settings.VANGNET_BACKUP_KEY


@pytest.fixture
def world(keys: str, settings: Any) -> dict[str, Any]:
    # Transactional tests start from the emptied tables a previous one left: the municipalities
    # (a data migration) are loaded again when missing.
    if not Municipality.objects.exists():
        municipalities_load()
    personas = make_personas()
    with scope(cell=personas.mechelen.pk):
        case = case_open(
            cell=personas.mechelen,
            person_name=CANARY,
            person_birth_date=dt.date(2008, 3, 14),
            person_address=ADDRESS,
            is_minor=True,
            opened_by=personas.alice,
        )
    media = Path(settings.MEDIA_ROOT)
    (media / "drill").mkdir(parents=True, exist_ok=True)
    (media / "drill" / "stored.bin").write_bytes(b"a stored file")
    return {"personas": personas, "case": case}


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def _wipe() -> None:
    """The disaster: every table emptied (the flush the test suite also uses)."""
    call_command("flush", interactive=False, verbosity=0)


def _sign_in(client: Client, email: str) -> int:
    """The whole sign-in: password, then a code of the restored authenticator."""
    response = client.post("/login/", {"email": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/verify/"
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return client.post("/login/verify/", {"code": device.current_code()}).status_code


def test_the_drill_restores_everything_and_the_canary_decrypts(world, tmp_path, settings):
    before = _counts()
    backup = tmp_path / "drill.vbk"
    manifest = backup_create(destination=backup)
    assert manifest["tables"]["cases_case"] == 1

    raw = backup.read_bytes()
    assert b"KANARIE" not in raw and b"Kanariestraat" not in raw and b"Mechelen" not in raw
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    _wipe()
    (Path(settings.MEDIA_ROOT) / "drill" / "stored.bin").unlink()
    assert _counts()["cases_case"] == 0

    report = backup_restore(source=backup)

    assert report.count_differences == {}
    assert report.audit_valid, report.audit_detail
    after = _counts()
    # The restore adds its own audit event; every other table is as it was.
    assert after.pop("audit_auditevent") == before.pop("audit_auditevent") + 1
    assert after == before
    with scopes_disabled():
        case = Case.objects.get(pk=world["case"].pk)
        assert case.person_name == CANARY
        assert case.person_address == ADDRESS
    assert (Path(settings.MEDIA_ROOT) / "drill" / "stored.bin").read_bytes() == b"a stored file"
    assert AuditEvent.objects.filter(action="backups.backup.restored").count() == 1
    assert _sign_in(Client(), world["personas"].alice.email) == 302
    _report(
        {
            "restored": report.ok,
            "tables": report.tables,
            "rows": report.rows,
            "count_differences": len(report.count_differences),
            "audit_events_verified": report.audit_checked,
            "canary_decrypts": case.person_name == CANARY,
            "sign_in_after_restore": True,
            "seconds": report.seconds,
        }
    )


def test_without_the_master_keys_the_case_fields_stay_unreadable(world, tmp_path, settings):
    backup = tmp_path / "drill.vbk"
    backup_create(destination=backup)
    _wipe()
    # Another installation: same backup key, but not the master keys that wrap the data keys.
    settings.VANGNET_MASTER_KEYS = "other:" + base64.b64encode(secrets.token_bytes(32)).decode()

    report = backup_restore(source=backup)

    assert report.count_differences == {} and report.audit_valid
    with scopes_disabled():
        case = Case.objects.get(pk=world["case"].pk)
        with pytest.raises(DecryptionError):
            _ = case.person_name
        stored = Case.objects.values_list("person_name", flat=True).get(pk=case.pk)
    assert b"KANARIE" not in bytes(stored)
    _report({"unreadable_without_master_keys": True})


def test_a_wrong_backup_key_restores_nothing(world, tmp_path, settings):
    backup = tmp_path / "drill.vbk"
    backup_create(destination=backup)
    before = _counts()
    settings.VANGNET_BACKUP_KEY = "other:" + base64.b64encode(secrets.token_bytes(32)).decode()
    with pytest.raises(BackupError, match="not configured in VANGNET_BACKUP_KEY"):
        backup_restore(source=backup)
    settings.VANGNET_BACKUP_KEY = _key()  # the same key id, other key material
    with pytest.raises(BackupError, match="wrong backup key, or the file was altered"):
        backup_restore(source=backup)
    assert _counts() == before


@pytest.mark.parametrize("damage", ["flip", "truncate", "append"])
def test_a_damaged_backup_restores_nothing(world, tmp_path, damage):
    backup = tmp_path / "drill.vbk"
    backup_create(destination=backup)
    data = bytearray(backup.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    else:
        data += b"more"
    backup.write_bytes(bytes(data))
    before = _counts()
    with pytest.raises(BackupError):
        backup_restore(source=backup)
    assert _counts() == before


def test_the_commands_back_up_into_a_directory_and_restore(world, tmp_path, capsys):
    call_command("backup", str(tmp_path))
    written = list(tmp_path.glob("vangnet-backup-*.vbk"))
    assert len(written) == 1
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(written[0]))
    with scopes_disabled():
        Case.objects.all().delete()
    call_command("restore", str(written[0]), "--yes")
    out = capsys.readouterr().out
    assert "Row counts match the backup; audit chain valid" in out
    with scopes_disabled():
        assert Case.objects.count() == 1
    assert User.objects.filter(email=world["personas"].alice.email).exists()


def test_the_restore_command_asks_first(world, tmp_path, monkeypatch):
    call_command("backup", str(tmp_path / "b.vbk"))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(tmp_path / "b.vbk"))


def test_a_backup_needs_its_key(world, tmp_path, settings):
    settings.VANGNET_BACKUP_KEY = ""
    with pytest.raises(BackupError, match="VANGNET_BACKUP_KEY"):
        backup_create(destination=tmp_path / "b.vbk")
    assert not (tmp_path / "b.vbk").exists()


def _report(figures: dict[str, Any]) -> None:
    target = os.environ.get("VANGNET_VERIFY_DIR")
    if target:
        with (Path(target) / "restore.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")


@pytest.mark.parametrize("name", ["../escape.txt", "media/../../escape.txt", "other.txt"])
def test_a_backup_with_a_foreign_entry_restores_nothing(keys, tmp_path, name):
    import io
    import tarfile

    from vangnet.backups.archive import EncryptingWriter
    from vangnet.backups.services import backup_keys

    backup = tmp_path / "crafted.vbk"
    with backup.open("wb") as handle:
        writer = EncryptingWriter(handle, backup_keys())
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
        writer.close()
    before = _counts()
    with pytest.raises(BackupError):
        backup_restore(source=backup)
    assert _counts() == before
    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_backup_of_a_newer_version_restores_nothing(world, tmp_path, monkeypatch):
    from vangnet.backups import services

    backup = tmp_path / "newer.vbk"
    backup_create(destination=backup)
    before = _counts()
    monkeypatch.setattr(services, "_on_disk", lambda: {"cases.0001_initial"})
    with pytest.raises(BackupError, match="newer version"):
        backup_restore(source=backup)
    assert _counts() == before


def test_a_backup_with_a_link_restores_nothing(keys, tmp_path):
    import tarfile

    from vangnet.backups.archive import EncryptingWriter
    from vangnet.backups.services import backup_keys

    backup = tmp_path / "link.vbk"
    with backup.open("wb") as handle:
        writer = EncryptingWriter(handle, backup_keys())
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            info = tarfile.TarInfo("media/innocent.pdf")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
        writer.close()
    with pytest.raises(BackupError):
        backup_restore(source=backup)
