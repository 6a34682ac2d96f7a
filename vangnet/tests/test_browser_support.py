"""The browser test support leaves nothing behind: a query a test makes while its browser is
open (the ORM then runs in Playwright's context, with a connection of its own) does not keep a
database session open after the test, which would stop the test database from being dropped."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from vangnet.cells.models import Municipality
from vangnet.tests_support.browser import browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts server sessions"),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _session_open(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return bool(cursor.fetchone()[0])


def test_a_query_made_while_the_browser_is_open_leaves_no_session_behind():
    outside = _backend_pid()
    with browser_page() as page:
        page.set_content("<main><h1>Vangnet</h1></main>")
        Municipality.objects.count()  # as a test does: a query through the ORM
        inside = _backend_pid()
    assert inside != outside  # Playwright's context had a connection of its own ...
    deadline = time.monotonic() + 5  # ... whose server process ends on its own schedule
    while _session_open(inside) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _session_open(inside)
