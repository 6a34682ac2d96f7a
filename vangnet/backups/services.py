"""Consistent, encrypted backups of the database and the stored files, and their restore.

A backup is one file (see `archive.py`): a tar stream of `manifest.json`, the database and
`media/`, encrypted with the backup key (`VANGNET_BACKUP_KEY`, never the master keys). The
fields about persons inside the database stay encrypted with the data keys, which only the
master keys (`VANGNET_MASTER_KEYS`, not in the backup) unwrap: a backup restored without the
master keys is a database whose case fields cannot be read.

- PostgreSQL: `pg_dump` of a snapshot exported by a repeatable-read transaction, in which the
  manifest's row counts are taken too: the counts describe exactly the dumped data. Restore
  replaces the `public` schema in one transaction (`psql --single-transaction`): a restore that
  fails leaves the database as it was.
- SQLite: the online backup API (a consistent copy while the site runs), checked with
  `PRAGMA integrity_check`; restore copies it back with the same API.

Stored files are copied after the database snapshot: uploads are never changed in place (a new
version is a new file), so every file a restored row refers to is in the backup.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from vangnet.backups.archive import BackupFileError, DecryptingReader, EncryptingWriter
from vangnet.lib import rls
from vangnet.lib.crypto import MasterKeyRing, parse_master_keys
from vangnet.lib.rls import owner_mode

FORMAT = 1
PG_DUMP = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int
    rows: int
    count_differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    media_files: int = 0
    audit_valid: bool = False
    audit_checked: int = 0
    audit_detail: str = ""
    seconds: float = 0.0
    # Migrations of this version that the backup's database lacks: run `manage.py migrate`.
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.count_differences and self.audit_valid


def backup_keys() -> MasterKeyRing:
    raw = settings.VANGNET_BACKUP_KEY
    if not raw:
        raise BackupError("VANGNET_BACKUP_KEY (or VANGNET_BACKUP_KEY_FILE) is not set")
    try:
        return parse_master_keys(raw)
    except ValueError as error:
        raise BackupError(f"VANGNET_BACKUP_KEY: {error}") from None


@owner_mode()
def backup_create(*, destination: Path) -> dict[str, Any]:
    """Write a backup to `destination` (created with mode 0600, never overwritten).

    Every cell's rows: it runs in row-level security's owner mode (vangnet/lib/rls.py)."""
    if connection.in_atomic_block:
        raise BackupError("a backup must run outside a transaction")
    if destination.exists():
        raise BackupError(f"{destination} exists already: a backup never overwrites a file")
    ring = backup_keys()
    with tempfile.TemporaryDirectory(prefix="vangnet-backup-") as work:
        workdir = Path(work)
        if connection.vendor == "postgresql":
            manifest = _dump_postgresql(workdir / PG_DUMP)
            database_file = PG_DUMP
        elif connection.vendor == "sqlite":
            manifest = _dump_sqlite(workdir / SQLITE_FILE)
            database_file = SQLITE_FILE
        else:
            raise BackupError(f"backups are not written for {connection.vendor}")
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file())
        manifest |= {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database_file": database_file,
            "media_files": len(media_files),
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = destination.with_name(destination.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                writer = EncryptingWriter(handle, ring)
                with tarfile.open(fileobj=writer, mode="w|") as tar:
                    tar.add(workdir / MANIFEST, arcname=MANIFEST)
                    tar.add(workdir / database_file, arcname=database_file)
                    for path in media_files:
                        # A file removed since the listing (a wiped training cell) is not
                        # needed any more: no row refers to it.
                        with contextlib.suppress(FileNotFoundError):
                            tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root)}")
                writer.close()
                handle.flush()
                os.fsync(handle.fileno())
            partial.rename(destination)
        finally:
            partial.unlink(missing_ok=True)
    from vangnet.audit.services import audit_record

    audit_record(
        action="backups.backup.created",
        data={"tables": len(manifest["tables"]), "media_files": len(media_files)},
    )
    return manifest


@owner_mode()
def backup_restore(*, source: Path) -> RestoreReport:
    """Replace the database (and add the stored files) with the backup in `source`.

    The whole file is decrypted and checked before the database is touched. Runs in
    row-level security's owner mode; the policies and the app role's privileges are applied
    again afterwards (the dump carries no privileges)."""
    if connection.in_atomic_block:
        raise BackupError("a restore must run outside a transaction")
    ring = backup_keys()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vangnet-restore-") as work:
        workdir = Path(work)
        _unpack(source, ring, workdir)
        try:
            manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BackupError("the backup has no readable manifest") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
        unknown = _unknown_migrations(manifest.get("migrations", []))
        if unknown:
            raise BackupError(
                "the backup comes from a newer version of Vangnet (migrations this one does not "
                f"have: {', '.join(unknown[:5])}): restore it with that version"
            )
        if manifest.get("engine") != connection.vendor:
            raise BackupError(
                f"the backup is of a {manifest.get('engine')} database; this one is "
                f"{connection.vendor}"
            )
        database_file = workdir / manifest["database_file"]
        if connection.vendor == "postgresql":
            _restore_postgresql(database_file, workdir)
        else:
            _restore_sqlite(database_file)
        media_files = _restore_media(workdir / MEDIA)
    counts = _row_counts(list(manifest["tables"]))
    differences = {
        table: (expected, counts.get(table, -1))
        for table, expected in manifest["tables"].items()
        if counts.get(table, -1) != expected
    }
    from vangnet.audit.services import audit_record, audit_verify

    verified = audit_verify()
    pending = _pending_migrations()
    report = RestoreReport(
        pending_migrations=pending,
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        count_differences=differences,
        media_files=media_files,
        audit_valid=verified.ok,
        audit_checked=verified.checked,
        audit_detail=verified.reason,
        seconds=round(time.monotonic() - started, 2),
    )
    audit_record(
        action="backups.backup.restored",
        data={
            "backup_created_at": manifest["created_at"],
            "tables": report.tables,
            "count_differences": len(differences),
            "audit_valid": report.audit_valid,
        },
    )
    return report


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    params = connection.settings_dict
    env = {
        **os.environ,
        "PGDATABASE": str(params["NAME"]),
        "PGHOST": str(params.get("HOST") or ""),
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": str(params.get("USER") or ""),
    }
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    # Row-level security binds the tables' owner too (FORCE): pg_dump and psql see and write
    # every cell's rows through the policies' '*' (vangnet/lib/rls.py).
    env["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c {rls.SETTING}={rls.ALL_CELLS}".strip()
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return {key: value for key, value in env.items() if value != ""}


def _run(command: list[str], **kwargs: Any) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    completed = subprocess.run(  # noqa: S603 - fixed program names, no shell
        command, env=_pg_environment(), capture_output=True, text=True, check=False, **kwargs
    )
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()[-2000:]}")


def _dump_postgresql(target: Path) -> dict[str, Any]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        manifest = _describe(cursor)
        # pg_dump reads the same snapshot while this transaction holds it open.
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--enable-row-security",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
        )
    return manifest


def _restore_postgresql(dump: Path, workdir: Path) -> None:
    script = workdir / "restore.sql"
    _run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(dump)])
    wipe = workdir / "wipe.sql"
    wipe.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n", encoding="utf-8")
    connection.close()  # the restore replaces every table this connection may have cached
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={wipe}",
            f"--file={script}",
        ]
    )
    rls.rls_apply()


# --- SQLite -----------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        if cursor.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the copy of the SQLite database fails its integrity check")
        return _describe(cursor)
    finally:
        copy.close()


def _restore_sqlite(database: Path) -> None:
    source = sqlite3.connect(database)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the SQLite database in the backup fails its integrity check")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


# --- Both -------------------------------------------------------------------------------------


def _describe(cursor: Any) -> dict[str, Any]:
    """Row count per table and the applied migrations, read through `cursor`."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = [list(row) for row in cursor.fetchall()]
    return {"tables": counts, "migrations": migrations}


def _row_counts(tables: list[str]) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _unpack(source: Path, ring: MasterKeyRing, workdir: Path) -> None:
    """Decrypt and unpack the whole backup (any damage shows here, before the database is
    touched). Only the manifest, the database and files under media/ are accepted."""
    allowed = {MANIFEST, PG_DUMP, SQLITE_FILE}
    try:
        with source.open("rb") as handle:
            reader = DecryptingReader(handle, ring)
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    name = member.name
                    if name not in allowed and not name.startswith(f"{MEDIA}/"):
                        raise BackupError(f"unexpected entry in the backup: {name!r}")
                    if not (member.isfile() or member.isdir()):  # no links, devices, fifos
                        raise BackupError(f"unexpected kind of entry in the backup: {name!r}")
                    tar.extract(member, workdir, filter="data")
            # The tar end-of-archive marker may come before the last chunk: read to the end,
            # so a file cut short or with data after its end is refused too.
            while reader.read(CHUNK):
                pass
    except FileNotFoundError:
        raise BackupError(f"{source} does not exist") from None
    except BackupFileError as error:
        raise BackupError(str(error)) from None
    except (tarfile.TarError, EOFError) as error:
        raise BackupError(f"the backup's contents are damaged: {error}") from None


CHUNK = 1024 * 1024


def _on_disk() -> set[str]:
    """The migrations this version knows: its files, and those a squashed one replaces."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        known |= {f"{app}.{name}" for app, name in migration.replaces}
    return known


def _unknown_migrations(applied: list[list[str]]) -> list[str]:
    """Migrations applied in the backup that this version of the code does not have (apps no
    longer installed left out: their tables are simply not used)."""
    from django.apps import apps

    installed = {config.label for config in apps.get_app_configs()}
    known = _on_disk()
    unknown = [f"{app}.{name}" for app, name in applied if app in installed]
    return sorted(name for name in unknown if name not in known)


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _restore_media(unpacked: Path) -> int:
    if not unpacked.is_dir():
        return 0
    media_root = Path(settings.MEDIA_ROOT)
    copied = 0
    for path in unpacked.rglob("*"):
        if path.is_file():
            target = media_root / path.relative_to(unpacked)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied += 1
    return copied


def backup_file_name(now: datetime.datetime | None = None) -> str:
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    return f"vangnet-backup-{moment:%Y%m%dT%H%M%SZ}.vbk"
