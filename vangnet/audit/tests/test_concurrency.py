from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record, audit_verify

# SQLite's in-memory test database uses a shared cache, whose table locks fail immediately
# instead of waiting, so real concurrency is only exercised on PostgreSQL.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_it_serialises_concurrent_appends_into_one_chain() -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(15):
                audit_record(action="tests.event.recorded")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.count() == 90
    result = audit_verify()
    assert result.ok, result
    assert result.checked == 90
