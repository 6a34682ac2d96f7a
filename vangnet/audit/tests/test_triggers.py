from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from vangnet.audit.models import AuditEvent, AuditEventImmutableError
from vangnet.audit.services import audit_record, audit_verify
from vangnet.audit.testing import install_flush_support, uninstall_flush_support
from vangnet.lib.rls import owner_mode

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL"
)


@contextmanager
def _rejected() -> Iterator[None]:
    # The savepoint keeps the test's transaction usable after PostgreSQL aborts it. As the
    # tables' owner: the triggers stop even the owner. On PostgreSQL the app role doesn't get
    # that far (no UPDATE, DELETE or TRUNCATE privilege: test_row_level_security.py).
    with pytest.raises(IntegrityError, match="append-only"), owner_mode(), transaction.atomic():
        yield


class TestAppendOnlyTriggers:
    def test_it_rejects_an_orm_update(self) -> None:
        audit_record(action="tests.event.recorded")

        with _rejected():
            AuditEvent.objects.update(action="tests.event.changed")

        assert AuditEvent.objects.get().action == "tests.event.recorded"

    def test_it_rejects_an_orm_delete(self) -> None:
        audit_record(action="tests.event.recorded")

        with _rejected():
            AuditEvent.objects.all().delete()

        assert AuditEvent.objects.count() == 1

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE audit_auditevent SET data = '{}'",
            "UPDATE audit_auditevent SET position = position + 100",
            "DELETE FROM audit_auditevent",
            "DELETE FROM audit_auditevent WHERE position = 1",
        ],
    )
    def test_it_rejects_raw_sql_changes(self, sql: str) -> None:
        audit_record(action="tests.event.recorded", data={"n": 1})

        with _rejected(), connection.cursor() as cursor:
            cursor.execute(sql)

        assert AuditEvent.objects.count() == 1
        assert audit_verify().ok

    @postgresql_only
    def test_it_rejects_truncate_even_on_an_empty_table(self) -> None:
        with _rejected(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")

    def test_it_refuses_to_save_or_delete_an_existing_instance(self) -> None:
        event = audit_record(action="tests.event.recorded")

        with pytest.raises(AuditEventImmutableError):
            event.save()
        with pytest.raises(AuditEventImmutableError):
            event.delete()


@pytest.mark.django_db(transaction=True)
class TestTestFlushSupport:
    def test_it_lets_the_flush_command_empty_the_table_and_restores_the_triggers(self) -> None:
        audit_record(action="tests.event.recorded")

        call_command("flush", interactive=False, verbosity=0)

        assert not AuditEvent.objects.exists()
        audit_record(action="tests.event.recorded")
        with _rejected():
            AuditEvent.objects.all().delete()

    def test_it_is_needed_because_flush_fails_without_it(self) -> None:
        audit_record(action="tests.event.recorded")
        uninstall_flush_support()
        try:
            with pytest.raises(CommandError, match="couldn't be flushed"):
                call_command("flush", interactive=False, verbosity=0)
        finally:
            install_flush_support()
        assert AuditEvent.objects.count() == 1
