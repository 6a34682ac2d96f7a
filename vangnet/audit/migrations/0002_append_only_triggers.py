"""Make the audit table append-only at the database level.

UPDATE and DELETE (and on PostgreSQL TRUNCATE) are rejected by triggers for every role,
including the application's own. There is deliberately no bypass switch (no session
setting, no flag table): anything the application role can switch on, an attacker holding
that role could switch on too. Only the table owner can remove or disable the triggers
(ALTER TABLE ... DISABLE TRIGGER / DROP TRIGGER); that, and any tampering it enables, is
what the hash chain (``manage.py audit_verify``) detects.

Test databases are flushed by Django between transactional tests; see
vangnet/audit/testing.py for how the test suite does that without weakening these triggers.

The SQL is frozen here on purpose (not imported from app code), like any migration.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MESSAGE = "audit log is append-only"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- restrict_violation (23001) surfaces as an IntegrityError, as on SQLite.
        RAISE EXCEPTION '{MESSAGE} (% rejected)', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
    # Row triggers don't fire on TRUNCATE, so it needs its own statement-level trigger.
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]

# SQLite has no TRUNCATE; "DELETE FROM t" without WHERE still fires row triggers as long as
# a trigger exists (the truncate optimisation is disabled by triggers).
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE rejected)'); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE rejected)'); END
    """,
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, *, install: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRESQL_INSTALL if install else POSTGRESQL_UNINSTALL
    elif vendor == "sqlite":
        statements = SQLITE_INSTALL if install else SQLITE_UNINSTALL
    else:
        # Refuse rather than silently leave the audit log unprotected.
        raise NotImplementedError(f"audit append-only triggers are not written for {vendor}")
    for statement in statements:
        # params=None: the SQL contains literal "%" (plpgsql RAISE format) that must not be
        # taken for placeholders.
        schema_editor.execute(statement, params=None)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, install=True)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
