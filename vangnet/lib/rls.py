"""PostgreSQL row-level security: the second safety net under django-scopes.

django-scopes refuses a query on a tenant model unless a cell scope is active, but only for the
default manager: a related-object lookup, a base manager or raw SQL goes past it. On PostgreSQL
every tenant table (a table with a ``cell_id`` column, see ``EXEMPT`` for the few that are not)
therefore also carries a row-level security policy, enabled and forced, that lets a statement see
and write only the rows of the cell(s) in the session setting ``vangnet.cell``:

* inside ``scope(cell=...)`` the setting is that cell's id (several, comma-separated, for a list);
* inside ``scopes_disabled()`` it is ``*``: code that reads across cells by design says so;
* outside any scope it is empty, and tenant tables show no cell's rows and take no writes.

Rows whose ``cell_id`` is NULL belong to no cell (the platform's data key) and pass.

The database backend (``vangnet.lib.postgresql``) keeps the setting in step with the scope before
each statement, and, when ``VANGNET_DB_APP_ROLE`` is set, runs every statement as that role: a role
that owns no table and has no BYPASSRLS, so the policies bind it. Schema changes need the owner:
``migrate`` (and the test suite's ``flush``) run in ``owner_mode()``, which resets the role to the
login role and the cell setting to ``*`` for their duration. After every ``migrate`` the policies
are (re)applied to every tenant table and the app role gets its table privileges
(``rls_apply``), so a new tenant table is covered without a hand-written migration; the test
``vangnet/tests/test_row_level_security.py`` fails when one is not.

Limits: a login role that owns the tables can always switch the role back (``RESET ROLE``), so the
strongest setup logs in as the app role itself and runs ``migrate`` with the owner's
``DATABASE_URL`` (docs/operations.md). Superusers and BYPASSRLS roles are never bound by policies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django_scopes import scopes_disabled
from django_scopes.state import get_scope

SETTING = "vangnet.cell"
POLICY = "vangnet_cell"
ALL_CELLS = "*"
NO_CELL = ""

# Tables with a cell_id column that are not one cell's data, each with the reason. Everything else
# with a cell_id column is a tenant table and gets the policy.
EXEMPT: dict[str, str] = {
    "audit_auditevent": (
        "one hash chain across all cells: appending reads the newest event of any cell; holds "
        "ids and counts only, never personal data; append-only by triggers"
    ),
    "cells_cell_municipalities": (
        "public reference data: which municipalities a cell covers (partner map, VVSG overview)"
    ),
    "coaching_trajectory_cells": "VVSG's own data: which cells a coaching trajectory serves",
    "helpdesk_question": (
        "VVSG's helpdesk: questions are read by VVSG staff across cells; access by "
        "vangnet/helpdesk/access.py"
    ),
    "exercises_exercise": (
        "VVSG's tabletop exercises: which sandbox cell an exercise uses, managed by VVSG staff"
    ),
}

# The policy: a row that belongs to no cell (cell_id NULL: platform data such as the platform's
# data key) is nobody's tenant data; otherwise the row's cell is in the setting, or the setting is
# '*'. current_setting(..., true) is NULL when never set, which matches nothing. SQL's OR doesn't
# promise an order, so '*' is turned into NULL before the cast to uuid[] (no cast error).
POLICY_CONDITION = (
    "cell_id IS NULL "
    f"OR cell_id = ANY (string_to_array(nullif(current_setting('{SETTING}', true), '{ALL_CELLS}'), "
    f"',')::uuid[]) OR current_setting('{SETTING}', true) = '{ALL_CELLS}'"
)

_owner_depth: ContextVar[int] = ContextVar("vangnet_rls_owner_depth", default=0)


def app_role() -> str:
    """The role the app's statements run as ('' when not configured: the login role)."""
    return str(getattr(settings, "VANGNET_DB_APP_ROLE", "") or "")


def cell_setting() -> str:
    """The value of ``vangnet.cell`` that matches the django-scopes state of this context."""
    if _owner_depth.get():
        return ALL_CELLS
    state = get_scope()
    if not state:
        return NO_CELL
    if not state.get("_enabled", True):
        return ALL_CELLS
    cell = state.get("cell")
    if cell is None:
        return NO_CELL
    cells = cell if isinstance(cell, list | tuple | set | frozenset) else [cell]
    return ",".join(sorted(_cell_id(value) for value in cells))


def _cell_id(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    pk = getattr(value, "pk", value)
    return str(uuid.UUID(str(pk)))


def role_setting() -> str | None:
    """The role statements should run as: the app role, 'none' (the login role) in owner mode,
    or None when no app role is configured (leave the role alone)."""
    role = app_role()
    if not role:
        return None
    return "none" if _owner_depth.get() else role


@contextmanager
def owner_mode() -> Iterator[None]:
    """Run the block as the login role (the tables' owner) across all cells: schema changes.

    Nothing is executed here: the backend applies the role and setting before the next statement.
    """
    token = _owner_depth.set(_owner_depth.get() + 1)
    try:
        with scopes_disabled():
            yield
    finally:
        _owner_depth.reset(token)


@contextmanager
def bulk_load(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """For a bulk load with COPY (scale data), which PostgreSQL refuses into a table whose
    row-level security binds the role: the owner lifts FORCE on every tenant table for the block
    and applies everything again afterwards, also when the block fails."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with owner_mode(), connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in tenant_tables():
            if table in existing:
                name = connection.ops.quote_name(table)
                cursor.execute(f"ALTER TABLE {name} NO FORCE ROW LEVEL SECURITY")
    try:
        yield
    finally:
        if not (connection.in_atomic_block and connection.needs_rollback):
            _force_again(connection, using)
        # else: the rollback that is due undoes the lift with everything else


def _force_again(connection: BaseDatabaseWrapper, using: str) -> None:
    if not connection.in_atomic_block:
        rls_apply(using)
        return
    # Inside a transaction ALTER TABLE waits for no foreign-key check: run the pending ones now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rls_apply(using)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def app_role_create_sql(role: str, *, login: bool) -> str:
    """SQL that creates an app role the policies bind (no SUPERUSER, no BYPASSRLS, no CREATEDB or
    CREATEROLE) unless it exists. Roles belong to the server: parallel test workers and earlier
    runs share them, so another session may create it at the same moment. Tests and `make verify`
    only; production roles are the DBA's (docs/operations.md)."""
    attributes = "LOGIN" if login else "NOLOGIN"
    return f"""DO $$ BEGIN
        CREATE ROLE "{role}" {attributes} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$"""


def _table_models() -> Iterator[tuple[type[Model], set[str]]]:
    """Every model with a table of its own (many-to-many tables included) and its columns."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            yield model, {field.column for field in model._meta.local_fields}


def tenant_tables() -> list[str]:
    """Every model table with a cell_id column, but the exempt ones, sorted."""
    return sorted(
        {
            model._meta.db_table
            for model, columns in _table_models()
            if "cell_id" in columns and model._meta.db_table not in EXEMPT
        }
    )


def tables_pointing_at_tenant_rows() -> list[str]:
    """Tables without a cell_id column whose rows point at a tenant table's rows: one cell's
    data that no policy can place in its cell. Empty when all is well: a many-to-many field
    between tenant models needs a through model that carries the cell
    (``meetings.MeetingInvitation``); rows under an exempt table (a helpdesk question's
    messages) follow their parent's exemption."""
    tenant = set(tenant_tables())
    tables = set()
    for model, columns in _table_models():
        if "cell_id" in columns:
            continue
        parents = (field.related_model for field in model._meta.local_fields)
        if any(
            isinstance(p, type) and issubclass(p, Model) and p._meta.db_table in tenant
            for p in parents
        ):
            tables.add(model._meta.db_table)
    return sorted(tables)


def rls_apply(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Enable, force and create the policy on every tenant table that exists and lacks it (a
    table with the right policy is left alone); grant the app role exactly its privileges. In
    one transaction, so a running site never meets a table forced without its policy.
    Idempotent; PostgreSQL only. Returns the tables covered."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with owner_mode(), transaction.atomic(using=using), connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        covered = [table for table in tenant_tables() if table in existing]
        policies = _policies(cursor)
        reference = _reference_condition(cursor)
        for table in covered:
            if _is_protected(policies.get(table), reference):
                continue
            name = connection.ops.quote_name(table)
            cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
            for policy in policies.get(table, _Table(False, False, [])).policies:
                cursor.execute(f"DROP POLICY {connection.ops.quote_name(policy[0])} ON {name}")
            cursor.execute(
                f"CREATE POLICY {POLICY} ON {name} "
                f"USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})"
            )
        role = app_role()
        if role:
            _grant(connection, cursor, role)
    return covered


TABLE_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
SEQUENCE_PRIVILEGES = frozenset({"USAGE", "SELECT"})
# Less than TABLE_PRIVILEGES: the audit log (read and add, its triggers stop even the owner
# from changing it) and the record of applied migrations (only the owner's migrate writes it).
NARROWER = {
    "audit_auditevent": frozenset({"SELECT", "INSERT"}),
    "django_migrations": frozenset({"SELECT"}),
}


def app_role_privileges(cursor: Any, role: str) -> tuple[set[tuple[str, str]], set[str]]:
    """(privileges the role holds but should not, or should hold but does not; privileges it may
    pass on). Effective privileges, as PostgreSQL decides them: granted to the role, to PUBLIC or
    to a role it belongs to, on the table or on any of its columns."""
    cursor.execute(
        "SELECT c.relname, c.relkind, p.privilege, "
        "CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(%s, c.oid, p.privilege) "
        "WHEN p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') "
        "THEN has_any_column_privilege(%s, c.oid, p.privilege) "
        "ELSE has_table_privilege(%s, c.oid, p.privilege) END, "
        "CASE WHEN c.relkind = 'S' "
        "THEN has_sequence_privilege(%s, c.oid, p.privilege || ' WITH GRANT OPTION') "
        "WHEN p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') "
        "THEN has_any_column_privilege(%s, c.oid, p.privilege || ' WITH GRANT OPTION') "
        "ELSE has_table_privilege(%s, c.oid, p.privilege || ' WITH GRANT OPTION') END "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "CROSS JOIN LATERAL unnest(CASE WHEN c.relkind = 'S' "
        "THEN ARRAY['USAGE', 'SELECT', 'UPDATE'] "
        "ELSE ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] "
        "END) AS p(privilege) "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S')",
        [role] * 6,
    )
    wrong, grantable = set(), set()
    for name, kind, privilege, held, passable in cursor.fetchall():
        allowed = SEQUENCE_PRIVILEGES if kind == "S" else NARROWER.get(name, TABLE_PRIVILEGES)
        if bool(held) != (privilege in allowed):
            wrong.add((str(name), str(privilege)))
        if passable:
            grantable.add(f"{name}.{privilege}")
    return wrong, grantable


def _grant(connection: BaseDatabaseWrapper, cursor: Any, role: str) -> None:
    """What the app role may do, and nothing more: rows in and out of every table, ids from
    sequences; no DDL, no TRUNCATE (it would pass row-level security), no changing the audit
    log's rows or the record of applied migrations. When its effective privileges differ from
    that, all grants to it and to PUBLIC are taken back and made again; otherwise nothing is
    written. (What it inherits from another role is not undone here: the system check says so.)"""
    quoted = connection.ops.quote_name(role)
    cursor.execute("SELECT has_schema_privilege(%s, 'public', 'USAGE')", [role])
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
    wrong, grantable = app_role_privileges(cursor, role)
    if not wrong and not grantable:
        return
    for grantee in (quoted, "PUBLIC"):
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {grantee}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {grantee}")
    cursor.execute(
        f"GRANT {', '.join(sorted(TABLE_PRIVILEGES))} ON ALL TABLES IN SCHEMA public TO {quoted}"
    )
    cursor.execute(
        f"GRANT {', '.join(sorted(SEQUENCE_PRIVILEGES))} ON ALL SEQUENCES IN SCHEMA public "
        f"TO {quoted}"
    )
    cursor.execute(
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    )
    tables = {str(name) for (name,) in cursor.fetchall()}
    for table, privileges in NARROWER.items():
        if table in tables:
            taken = ", ".join(sorted(TABLE_PRIVILEGES - privileges))
            cursor.execute(f"REVOKE {taken} ON {connection.ops.quote_name(table)} FROM {quoted}")


class _Table(NamedTuple):
    row_security: bool
    forced: bool
    # (name, command, permissive, roles are PUBLIC, USING, WITH CHECK)
    policies: list[tuple[str, str, bool, bool, str | None, str | None]]


def _policies(cursor: Any) -> dict[str, _Table]:
    """Row-level security state and policies of every table in the public schema."""
    cursor.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.polname, p.polcmd, "
        "p.polpermissive, p.polroles = '{0}'::oid[], pg_get_expr(p.polqual, p.polrelid), "
        "pg_get_expr(p.polwithcheck, p.polrelid) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_policy p ON p.polrelid = c.oid "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname, p.polname"
    )
    tables: dict[str, _Table] = {}
    for (
        table,
        row_security,
        forced,
        name,
        command,
        permissive,
        public,
        qual,
        check,
    ) in cursor.fetchall():
        entry = tables.setdefault(str(table), _Table(bool(row_security), bool(forced), []))
        if name is not None:
            entry.policies.append(
                (str(name), str(command), bool(permissive), bool(public), qual, check)
            )
    return tables


def _reference_condition(cursor: Any) -> str:
    """POLICY_CONDITION as PostgreSQL prints it back, from the policy on a temporary table
    created and dropped again in a savepoint that is rolled back."""
    cursor.execute("SAVEPOINT vangnet_rls_reference")
    try:
        cursor.execute("CREATE TEMPORARY TABLE vangnet_rls_reference (cell_id uuid)")
        cursor.execute(
            f"CREATE POLICY {POLICY} ON vangnet_rls_reference USING ({POLICY_CONDITION})"
        )
        cursor.execute(
            "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy "
            "WHERE polrelid = 'vangnet_rls_reference'::regclass"
        )
        return str(cursor.fetchone()[0])
    finally:
        cursor.execute("ROLLBACK TO SAVEPOINT vangnet_rls_reference")
        cursor.execute("RELEASE SAVEPOINT vangnet_rls_reference")


def _is_protected(table: _Table | None, reference: str) -> bool:
    """Enabled and forced, with exactly one policy: ours, for every command and role, with the
    condition as written here both ways (another permissive policy would widen it)."""
    if table is None or not (table.row_security and table.forced) or len(table.policies) != 1:
        return False
    name, command, permissive, public, qual, check = table.policies[0]
    return (
        name == POLICY
        and command == "*"
        and permissive
        and public
        and qual == reference
        and check == reference
    )


def tables_with_cell_column(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, str]]:
    """(table, owner) of every table in the database's public schema with a cell_id column,
    whether a model declares it or not."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'cell_id' "
            "AND NOT a.attisdropped "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        return [(str(table), str(owner)) for table, owner in cursor.fetchall()]


def tables_without_policy(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tables with a cell_id column, not exempt, that lack row-level security enabled and
    forced with exactly this module's policy: empty when all is well."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        policies = _policies(cursor)
        reference = _reference_condition(cursor)
    return [
        table
        for table, _owner in tables_with_cell_column(using)
        if table not in EXEMPT and not _is_protected(policies.get(table), reference)
    ]


def rls_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Any]:
    """System check (``manage.py check --database default``): on PostgreSQL, every tenant table
    has its policy, and the app's statements run as a role the policies bind."""
    from django.core.checks import Error, Warning

    problems: list[Any] = []
    for using in databases or []:
        connection = connections[using]
        if connection.vendor != "postgresql":
            continue
        try:
            missing = tables_without_policy(using)
        except DatabaseError as error:  # no TEMP privilege, a read-only replica
            problems.append(
                Error(
                    f"Row-level security could not be verified: {error}",
                    hint="Run the check as a role that may create temporary tables.",
                    id="vangnet.E103",
                )
            )
            continue
        if missing:
            problems.append(
                Error(
                    f"Tenant tables without their row-level security policy: {', '.join(missing)}.",
                    hint="Run manage.py migrate as the tables' owner (vangnet/lib/rls.py).",
                    id="vangnet.E101",
                )
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper OR r.rolbypassrls, EXISTS (SELECT 1 FROM pg_tables t "
                "WHERE t.schemaname = 'public' AND t.tableowner = current_user) "
                "FROM pg_roles r WHERE r.rolname = current_user"
            )
            bypasses, owns = cursor.fetchone()
        if bypasses or owns:
            problems.append(
                Warning(
                    "The application's database statements run as a role that "
                    + ("bypasses row-level security." if bypasses else "owns tables.")
                    + " The policies are then no safety net.",
                    hint="Set VANGNET_DB_APP_ROLE, or sign in as such a role "
                    "(docs/operations.md, Row-level security).",
                    id="vangnet.W101",
                )
            )
        role = app_role()
        if role:
            with connection.cursor() as cursor:
                wrong, grantable = app_role_privileges(cursor, role)
            if wrong or grantable:
                named = sorted(f"{table}.{privilege}" for table, privilege in wrong)
                problems.append(
                    Error(
                        f"The app role {role} does not hold exactly its privileges: "
                        f"{', '.join([*named, *sorted(grantable)][:10])}.",
                        hint="Run manage.py migrate as the tables' owner; privileges the role "
                        "inherits from another role must be taken back by hand.",
                        id="vangnet.E102",
                    )
                )
        if connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None:
            version: int = connection.pg_version  # type: ignore[attr-defined]  # PostgreSQL's
            if version < _PLANS_ACROSS_ROLES_FIXED.get(version // 10000, 0):
                problems.append(
                    Warning(
                        f"PostgreSQL {version} may reuse a prepared statement's plan after the "
                        "role changed, past the row-level security policies (CVE-2024-10976).",
                        hint="Upgrade to 15.9, 16.5 or 17.1 or later, or set "
                        "VANGNET_DB_PREPARED=false.",
                        id="vangnet.W104",
                    )
                )
    return problems


# The first releases that re-plan a cached statement for row-level security when the role
# changed (CVE-2024-10976), per major version; older majors are unsupported (docs).
_PLANS_ACROSS_ROLES_FIXED = {12: 120021, 13: 130017, 14: 140014, 15: 150009, 16: 160005, 17: 170001}


def rls_forget_on_request(sender: Any, **kwargs: Any) -> None:
    """request_started receiver: every request sets the role and cell afresh (the backend's
    ``rls_forget``), whatever the connection's last request left."""
    for connection in connections.all(initialized_only=True):
        forget = getattr(connection, "rls_forget", None)
        if forget is not None:
            forget()


def rls_apply_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver (connected once, for the cells app)."""
    rls_apply(using)
