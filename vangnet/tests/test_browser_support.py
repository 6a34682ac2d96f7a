"""The browser test support leaves nothing behind: a query a test makes while its browser is
open (the ORM then runs in Playwright's context, with a connection of its own) does not keep a
database session open after the test, which would stop the test database from being dropped."""

from __future__ import annotations

import pytest
from django.db import connection

from vangnet.cells.models import Municipality
from vangnet.tests_support.browser import browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts server sessions"),
]


def _sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def test_a_query_made_while_the_browser_is_open_leaves_no_session_behind():
    before = _sessions()
    with browser_page() as page:
        page.set_content("<main><h1>Vangnet</h1></main>")
        Municipality.objects.exists()
        assert _sessions() == before + 1  # the query's own connection, open for now
    assert _sessions() == before
