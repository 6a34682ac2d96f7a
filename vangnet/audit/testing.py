"""Test support for the append-only audit table. Never import this from application code.

Problem: between transactional tests (pytest-django ``transactional_db``/``live_server``,
``TransactionTestCase``) Django empties every table with the ``flush`` command, which runs
``TRUNCATE ...`` on PostgreSQL and ``DELETE FROM ...`` on SQLite. The append-only triggers
reject both, so the teardown would fail as soon as a test wrote an audit event (on
PostgreSQL even when the table is empty: the TRUNCATE trigger fires per statement).

Approach: the triggers have no bypass switch (see migration 0002). Instead, during the test
session only, the SQL that ``flush`` generates is wrapped with statements that lift the
triggers for that one transaction, exactly as the table owner could:

* PostgreSQL: ``ALTER TABLE ... DISABLE TRIGGER USER`` / ``ENABLE TRIGGER USER`` around the
  TRUNCATE (transactional DDL, so a failed flush leaves the triggers enabled);
* SQLite: ``DROP TRIGGER`` before and the triggers' own stored ``CREATE TRIGGER`` SQL (read
  from ``sqlite_master``) after the DELETEs.

Only the ``flush`` management command is patched, and only while the
``audit_test_flush_support`` fixture is active. Wire it up once in the root ``conftest.py``::

    pytest_plugins = ["vangnet.audit.testing"]

Production keeps the full guarantee, and ``manage.py flush`` against a real database fails,
which is what we want for an audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from vangnet.lib.rls import owner_mode

AUDIT_TABLE = "audit_auditevent"

_ORIGINAL_ATTR = "_vangnet_audit_original"


def _lift_and_restore_sql(connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """SQL that switches the audit triggers off, and SQL that switches them back on."""
    table = connection.ops.quote_name(AUDIT_TABLE)
    if connection.vendor == "postgresql":
        return (
            [f"ALTER TABLE {table} DISABLE TRIGGER USER"],
            [f"ALTER TABLE {table} ENABLE TRIGGER USER"],
        )
    if connection.vendor == "sqlite":
        triggers = _sqlite_triggers(connection)
        lift = [f"DROP TRIGGER {connection.ops.quote_name(name)}" for name, _ in triggers]
        return lift, [sql for _, sql in triggers]
    raise NotImplementedError(f"audit triggers are not handled for {connection.vendor}")


def _sqlite_triggers(connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "ORDER BY name",
            [AUDIT_TABLE],
        )
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


def _audit_table_exists(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return AUDIT_TABLE in connection.introspection.table_names(cursor)


@contextmanager
def audit_triggers_disabled(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Switch the append-only triggers off for the block, as an owner-level attacker could.

    The block runs as that owner (``owner_mode``: on PostgreSQL the app role may not change the
    audit table's rows at all). For tamper tests only. Use inside a transaction that is rolled
    back afterwards (pytest-django ``db``) or make sure the block doesn't raise a database error:
    on PostgreSQL a failed statement aborts the transaction and the triggers are then restored by
    the rollback.
    """
    connection = connections[using]
    lift, restore = _lift_and_restore_sql(connection)
    with owner_mode():
        with connection.cursor() as cursor:
            for statement in lift:
                cursor.execute(statement)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for statement in restore:
                    cursor.execute(statement)


def _wrap_sql_flush(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def sql_flush(
        style: Any,
        connection: BaseDatabaseWrapper,
        reset_sequences: bool = True,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements = original(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements or not _audit_table_exists(connection):
            return statements
        lift, restore = _lift_and_restore_sql(connection)
        if connection.vendor == "postgresql":
            # The app role (VANGNET_DB_APP_ROLE) may neither TRUNCATE nor ALTER: the flush runs
            # as the login role, the tables' owner, for its own transaction only.
            lift = ["SET LOCAL ROLE NONE", *lift]
        return [*lift, *statements, *restore]

    setattr(sql_flush, _ORIGINAL_ATTR, original)
    return sql_flush


def _flush_module() -> Any:
    # Typed as Any: the stubs don't declare the flush module's imported names.
    return import_module("django.core.management.commands.flush")


def install_flush_support() -> None:
    """Let Django's ``flush`` command empty the audit table. Idempotent. Tests only."""
    flush = _flush_module()
    if not hasattr(flush.sql_flush, _ORIGINAL_ATTR):
        flush.sql_flush = _wrap_sql_flush(flush.sql_flush)


def uninstall_flush_support() -> None:
    """Undo :func:`install_flush_support`. Idempotent."""
    flush = _flush_module()
    original = getattr(flush.sql_flush, _ORIGINAL_ATTR, None)
    if original is not None:
        flush.sql_flush = original


@pytest.fixture(autouse=True, scope="session")
def audit_test_flush_support() -> Iterator[None]:
    """Session-wide: transactional tests can flush the database despite the audit triggers."""
    install_flush_support()
    yield
    uninstall_flush_support()
