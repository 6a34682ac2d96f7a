"""PostgreSQL row-level security, the second safety net (vangnet/lib/rls.py).

On PostgreSQL the whole suite runs as the app role (root conftest): these tests prove that role is
bound by the policies, that every tenant table has one, and that the app keeps the session's cell
in step with the django-scopes scope, per request and across rollbacks.
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from vangnet.cases.models import Case
from vangnet.cases.services import case_open
from vangnet.lib import rls
from vangnet.tests_support.personas import Personas, sign_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
]


def _open_case(cell: Any, user: Any, name: str) -> Case:
    with scope(cell=cell.pk):
        return case_open(
            cell=cell,
            person_name=name,
            person_birth_date=datetime.date(2008, 5, 1),
            opened_by=user,
        )


@pytest.fixture
def cases(personas: Personas) -> tuple[Case, Case]:
    p = personas
    return _open_case(p.mechelen, p.alice, "Rik Mechelen"), _open_case(
        p.wingene, p.walter, "Wim Wingene"
    )


def _raw(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    # Raw SQL goes past django-scopes: only row-level security stands in the way.
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall()) if cursor.description else []


class TestTheAppRole:
    def test_it_runs_every_statement_as_a_role_that_policies_bind(self):
        (user, superuser, bypass), *_ = _raw(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert user == rls.app_role() != ""
        assert not superuser and not bypass

    def test_the_app_role_owns_no_table(self):
        owned = _raw(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [rls.app_role()],
        )
        assert owned == []

    def test_it_may_not_truncate_nor_alter_a_tenant_table(self):
        for statement in (
            "TRUNCATE cases_case CASCADE",
            "ALTER TABLE cases_case NO FORCE ROW LEVEL SECURITY",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                _raw(statement)

    @pytest.mark.parametrize(
        ("table", "privilege"),
        [
            ("audit_auditevent", "UPDATE"),
            ("audit_auditevent", "DELETE"),
            ("audit_auditevent", "TRUNCATE"),
            ("cases_case", "TRUNCATE"),
            ("django_migrations", "INSERT"),
            ("django_migrations", "DELETE"),
        ],
    )
    def test_it_lacks_the_privilege(self, table, privilege):
        # Asked of the catalogue, not tried: the audit log's triggers would refuse the change
        # anyway and hide a grant too wide.
        assert _raw("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege]) == [
            (False,)
        ]

    def test_it_has_what_the_site_needs(self):
        for table, privilege in [("cases_case", "UPDATE"), ("audit_auditevent", "INSERT")]:
            assert _raw("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege]) == [
                (True,)
            ]

    @pytest.mark.parametrize(
        "grant",
        [
            "GRANT TRUNCATE ON cases_case TO PUBLIC",
            "GRANT UPDATE (action) ON audit_auditevent TO {role}",
            "GRANT SELECT ON cases_case TO {role} WITH GRANT OPTION",
        ],
    )
    def test_the_check_finds_a_privilege_too_wide_and_migrate_takes_it_back(self, grant):
        with rls.owner_mode():
            _raw(grant.format(role=rls.app_role()))
        assert [p.id for p in rls.rls_check(databases=["default"])] == ["vangnet.E102"]
        rls.rls_apply()
        assert rls.rls_check(databases=["default"]) == []

    def test_migrate_takes_back_a_grant_too_wide(self):
        with rls.owner_mode():
            _raw(f"GRANT TRUNCATE ON cases_case TO {rls.app_role()}")
        rls.rls_apply()
        assert _raw("SELECT has_table_privilege(current_user, 'cases_case', 'TRUNCATE')") == [
            (False,)
        ]


class TestEveryTenantTable:
    def test_every_table_with_a_cell_column_has_a_forced_policy_or_a_stated_exemption(self):
        missing = rls.tables_without_policy()
        (superuser, bypass), *_ = _raw(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        _report(
            {
                "tables with a cell column": len(rls.tables_with_cell_column()),
                "tenant tables with a forced policy": len(rls.tenant_tables()) - len(missing),
                "exempt (reason stated)": len(rls.EXEMPT),
                "tenant tables without a policy": len(missing),
                "app role is superuser or bypasses RLS": bool(superuser or bypass),
                "tables the app role owns": len(
                    _raw(
                        "SELECT 1 FROM pg_tables WHERE schemaname = 'public' "
                        "AND tableowner = current_user"
                    )
                ),
            }
        )
        assert missing == []

    def test_the_check_finds_a_table_without_a_policy(self):
        with transaction.atomic(), rls.owner_mode():
            _raw("CREATE TABLE rls_probe_note (id bigint PRIMARY KEY, cell_id uuid NOT NULL)")
            assert rls.tables_without_policy() == ["rls_probe_note"]
            transaction.set_rollback(True)

    @pytest.mark.parametrize(
        "change",
        [
            "CREATE POLICY wide ON cases_case USING (true)",
            "ALTER POLICY vangnet_cell ON cases_case USING (true)",
            "ALTER POLICY vangnet_cell ON cases_case WITH CHECK (true)",
            "ALTER POLICY vangnet_cell ON cases_case TO vangnet_test_app",
        ],
    )
    def test_the_check_finds_a_policy_that_lets_more_through(self, change):
        with transaction.atomic(), rls.owner_mode():
            _raw(change)
            assert rls.tables_without_policy() == ["cases_case"]
            rls.rls_apply()  # and migrate puts it right
            assert rls.tables_without_policy() == []
            transaction.set_rollback(True)

    def test_the_check_finds_a_policy_that_is_not_forced(self):
        with transaction.atomic(), rls.owner_mode():
            _raw("ALTER TABLE cases_case NO FORCE ROW LEVEL SECURITY")
            assert rls.tables_without_policy() == ["cases_case"]
            transaction.set_rollback(True)

    def test_every_exemption_names_a_real_table_with_a_cell_column(self):
        tables = {table for table, _ in rls.tables_with_cell_column()}
        assert set(rls.EXEMPT) <= tables

    def test_every_cell_scoped_model_is_a_tenant_table(self):
        from django.apps import apps

        scoped = {
            model._meta.db_table
            for model in apps.get_models()
            if type(model._default_manager).__module__ == "django_scopes.manager"
        }
        assert scoped and scoped <= set(rls.tenant_tables())


class TestTheSystemCheck:
    def test_it_is_quiet_when_the_policies_bind_the_app(self):
        assert rls.rls_check(databases=["default"]) == []

    def test_it_warns_when_the_app_runs_as_the_owner(self):
        with rls.owner_mode():  # the login role: the superuser in CI, and the owner anyway
            [warning] = rls.rls_check(databases=["default"])
        assert warning.id == "vangnet.W101"

    def test_it_names_a_tenant_table_without_its_policy(self):
        with transaction.atomic(), rls.owner_mode():
            _raw("ALTER TABLE cases_case DISABLE ROW LEVEL SECURITY")
            problems = rls.rls_check(databases=["default"])
            transaction.set_rollback(True)
        assert [p.id for p in problems][:1] == ["vangnet.E101"]
        assert "cases_case" in problems[0].msg


class TestThePolicy:
    def test_it_shows_raw_sql_only_the_rows_of_the_scoped_cell(self, personas, cases):
        mechelen_case, wingene_case = cases
        with scope(cell=personas.mechelen.pk):
            assert _raw("SELECT id FROM cases_case") == [(mechelen_case.pk,)]
        with scope(cell=personas.wingene.pk):
            assert _raw("SELECT id FROM cases_case") == [(wingene_case.pk,)]

    def test_it_shows_an_unscoped_manager_only_the_scoped_cell(self, personas, cases):
        mechelen_case, wingene_case = cases
        with scope(cell=personas.mechelen.pk):
            assert list(Case._base_manager.values_list("pk", flat=True)) == [mechelen_case.pk]
            with pytest.raises(Case.DoesNotExist):
                Case._base_manager.get(pk=wingene_case.pk)

    def test_it_shows_no_cell_rows_outside_any_scope(self, cases):
        assert _raw("SELECT count(*) FROM cases_case") == [(0,)]

    def test_it_shows_every_cell_where_code_disables_scopes(self, cases):
        with scopes_disabled():
            assert _raw("SELECT count(*) FROM cases_case") == [(2,)]

    def test_it_accepts_a_list_of_cells(self, personas, cases):
        with scope(cell=[personas.mechelen, personas.wingene.pk]):
            assert _raw("SELECT count(*) FROM cases_case") == [(2,)]

    def test_it_refuses_to_write_a_row_into_another_cell(self, personas, cases):
        _mechelen_case, wingene_case = cases
        with scope(cell=personas.mechelen.pk):
            assert Case._base_manager.filter(pk=wingene_case.pk).update(status="closed") == 0
            assert Case._base_manager.filter(pk=wingene_case.pk).delete()[0] == 0
            with pytest.raises(DatabaseError), transaction.atomic():
                _raw("UPDATE cases_case SET cell_id = %s", [personas.wingene.pk])
        with scopes_disabled():
            wingene_case.refresh_from_db()
            assert wingene_case.cell_id == personas.wingene.pk

    def test_it_refuses_to_insert_a_row_for_another_cell(self, personas, cases):
        with scope(cell=personas.mechelen.pk), pytest.raises(DatabaseError), transaction.atomic():
            _raw(
                "INSERT INTO cases_casecounter (cell_id, year, last) VALUES (%s, 2099, 1)",
                [personas.wingene.pk],
            )

    def test_it_hides_another_cells_data_keys(self, personas, cases):
        with scope(cell=personas.mechelen.pk):
            cells = {row[0] for row in _raw("SELECT cell_id FROM keyring_datakey")}
        assert personas.wingene.pk not in cells
        assert personas.mechelen.pk in cells


class TestTheSessionSetting:
    def test_it_sets_the_cell_again_after_a_savepoint_rolled_back_in_another_cell(
        self, personas, cases
    ):
        with scope(cell=personas.mechelen.pk):
            _raw("SELECT 1")
        sid = transaction.savepoint()
        with scope(cell=personas.wingene.pk):
            _raw("SELECT 1")  # the setting changes inside the savepoint...
            transaction.savepoint_rollback(sid)  # ...and the rollback takes it back
            assert _raw("SELECT current_setting('vangnet.cell')") == [(str(personas.wingene.pk),)]
            assert _raw("SELECT count(*) FROM cases_case") == [(1,)]

    def test_it_sets_the_cell_again_at_the_start_of_a_request(self, client, personas):
        with scope(cell=personas.mechelen.pk):
            _raw("SELECT 1")
            _raw("SELECT set_config('vangnet.cell', '*', false)")  # SQL that widened its view
            client.get(reverse("accounts:login"))  # the next request on this connection
            assert _raw("SELECT current_setting('vangnet.cell')") == [(str(personas.mechelen.pk),)]

    def test_it_is_back_to_the_app_role_after_owner_mode(self):
        with rls.owner_mode():
            (owner,), *_ = _raw("SELECT current_user")
        assert owner != rls.app_role()
        assert _raw("SELECT current_user") == [(rls.app_role(),)]

    def test_a_cell_page_reads_the_cell_tables_as_the_app_role_in_that_cell(
        self, client, personas, cases
    ):
        sign_in(client, personas.alice)
        url = reverse("cases:cases", args=[personas.mechelen.pk])
        seen = _settings_during(lambda: client.get(url))
        tenant = [value for sql, value in seen if "cases_case" in sql]
        assert tenant, "the case list read no cases"
        assert set(tenant) == {(rls.app_role(), str(personas.mechelen.pk))}

    def test_a_page_outside_any_cell_reads_no_cell_rows(self, client, personas, cases):
        sign_in(client, personas.vera)
        seen = _settings_during(lambda: client.get(reverse("home")))
        assert seen
        assert {value[0] for _sql, value in seen} == {rls.app_role()}
        assert all(value[1] in {"", "*"} for _sql, value in seen)


def _report(figures: dict[str, Any]) -> None:
    target = os.environ.get("VANGNET_VERIFY_DIR")
    if target:
        with (Path(target) / "rls.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")


def _settings_during(action: Callable[[], Any]) -> list[tuple[str, tuple[str, str]]]:
    """(statement, (role, vangnet.cell)) as PostgreSQL saw them for each statement of `action`."""
    seen: list[tuple[str, tuple[str, str]]] = []

    def probe(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raw = connection.connection
        with raw.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('vangnet.cell', true)")
            role, cell = cursor.fetchone()
        seen.append((sql, (role, cell or "")))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(probe):
        action()
    return seen


def test_a_fresh_id_is_not_a_cell():
    # The setting is built from real cell ids only; a value that is no UUID fails loudly.
    with pytest.raises(ValueError), scope(cell="not-a-uuid"):
        rls.cell_setting()
    with scope(cell=uuid.UUID(int=1)):
        assert rls.cell_setting() == str(uuid.UUID(int=1))


@pytest.mark.django_db(transaction=True)
def test_a_transaction_still_begins_with_its_own_first_statement():
    # The cell setting changes on entering the scope; it must go before the transaction, or
    # SET TRANSACTION (which backups and the crash check use) would no longer be first.
    cell = uuid.uuid4()
    with transaction.atomic(), scope(cell=cell):
        _raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        assert _raw("SELECT current_setting('transaction_isolation')") == [("repeatable read",)]
        assert _raw("SELECT current_setting('vangnet.cell')") == [(str(cell),)]


@pytest.mark.django_db(transaction=True)
def test_it_sets_the_cell_again_after_a_rolled_back_transaction():
    mechelen, wingene = uuid.uuid4(), uuid.uuid4()
    with scope(cell=mechelen):
        _raw("SELECT 1")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with scope(cell=mechelen):
            _raw("SELECT 1")  # the transaction has begun
        with scope(cell=wingene):
            _raw("SELECT 1")  # so this setting is made inside it, and rolled back with it
            raise ZeroDivisionError
    with scope(cell=wingene):
        assert _raw("SELECT current_setting('vangnet.cell')") == [(str(wingene),)]
