"""The PostgreSQL backend reads timestamps as Django's own backend does."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from psycopg import pq

from vangnet.audit.models import AuditEvent
from vangnet.audit.services import audit_record
from vangnet.lib.postgresql.base import UtcTimestamptzLoader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


def test_it_reads_timestamps_with_psycopgs_loader_in_utc() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, pq.Format.TEXT)  # timestamptz
    assert loader is UtcTimestamptzLoader  # not Django's, which parses in Python
    with connection.cursor() as cursor:
        cursor.execute("SELECT '2026-12-02 01:02:03.456+01'::timestamptz")
        (value,) = cursor.fetchone()
    assert value == datetime.datetime(2026, 12, 2, 0, 2, 3, 456000, tzinfo=datetime.UTC)
    assert value.tzinfo is datetime.UTC
    # Django keeps its own loader when the connection agrees with it (no copy per cursor).
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(1184, pq.Format.TEXT) is UtcTimestamptzLoader


def test_models_get_aware_utc_datetimes_as_before() -> None:
    audit_record(action="test.timestamp.read", data={})
    event = AuditEvent.objects.order_by("-position").first()
    assert event is not None and timezone.is_aware(event.occurred_at)
    assert event.occurred_at.tzinfo is datetime.UTC
    assert abs(event.occurred_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_a_statement_run_twice_becomes_a_prepared_statement() -> None:
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE position > %s", [0])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("audit_auditevent WHERE position > $1" in text for text in statements)


def test_the_check_warns_of_a_postgresql_that_reuses_plans_across_roles(monkeypatch) -> None:
    from django.db import connections

    from vangnet.lib.rls import rls_check

    wrapper = connections["default"]
    monkeypatch.setitem(wrapper.__dict__, "pg_version", 150008)
    assert "vangnet.W104" in [problem.id for problem in rls_check(databases=["default"])]
    monkeypatch.setitem(wrapper.__dict__, "pg_version", 150009)
    assert "vangnet.W104" not in [problem.id for problem in rls_check(databases=["default"])]
