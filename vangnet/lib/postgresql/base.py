"""Django's PostgreSQL backend, plus row-level security state (see ``vangnet/lib/rls.py``).

Before a cursor is handed out, the session's role and its ``vangnet.cell`` setting are brought in
step with the current django-scopes state, in one extra statement and only when they changed;
before a transaction's first statement, outside it.
That statement goes past Django's cursor wrappers, so query counts in tests don't include it.

Timestamps with a time zone are read by psycopg's own loader (in C with psycopg[binary]) when the
connection's time zone is UTC, as Django sets it. Django's loader subclasses psycopg's pure-Python
one to replace the time zone by that same UTC: about 11 µs per value instead of under 1 µs, 5 %
of a case page's time and more on lists.
A rollback (of a transaction or to a savepoint) undoes settings made inside it, so after one the
next cursor sets them again; so does the first statement of every request (``rls_forget``).
"""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq
from psycopg.adapt import Loader

from vangnet.lib import rls

TIMESTAMPTZ_OID = 1184
# psycopg's default: the C implementation when it is installed, else the Python one.
_PSYCOPG_TIMESTAMPTZ_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)


class UtcTimestamptzLoader(Loader):
    """psycopg's own timestamptz loader, with the ``timezone`` that Django's backend compares
    with its own before each cursor (the C class cannot be subclassed or given attributes).

    Values come in the session's time zone, which Django keeps at "UTC": psycopg gives that as
    ``datetime.UTC``, exactly what Django's loader gives."""

    timezone = datetime.UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        assert _PSYCOPG_TIMESTAMPTZ_LOADER is not None
        # An attribute of the instance: psycopg calls it directly for every value.
        self.load = _PSYCOPG_TIMESTAMPTZ_LOADER(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Any) -> Any:  # pragma: no cover - replaced in __init__
        raise NotImplementedError


class DatabaseWrapper(base.DatabaseWrapper):
    _rls_state: tuple[str | None, str] | None = None

    def rls_forget(self) -> None:
        """Set the role and cell again before the next statement: at the start of every
        request, so that SQL which changed them (set_config, RESET ROLE) cannot outlive its
        request on a connection kept open (VANGNET_DB_CONN_MAX_AGE)."""
        self._rls_state = None

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        # Django's loader gives datetimes in `self.timezone`; psycopg's gives them in the
        # session's time zone, which init_connection_state sets to "UTC" (as `timezone.utc`).
        if self.timezone is datetime.UTC and self.timezone_name == "UTC":
            connection.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)
        return connection

    def init_connection_state(self) -> None:
        self._rls_state = None
        super().init_connection_state()

    def create_cursor(self, name: str | None = None) -> Any:
        self._rls_sync()
        return super().create_cursor(name)

    def _rollback(self) -> None:
        self._rls_state = None
        super()._rollback()  # type: ignore[misc]  # not in the stubs

    def _savepoint_rollback(self, sid: str) -> None:
        super()._savepoint_rollback(sid)  # type: ignore[misc]  # not in the stubs
        self._rls_state = None

    def _rls_sync(self) -> None:
        wanted = (rls.role_setting(), rls.cell_setting())
        if wanted == self._rls_state or self.connection is None:
            return
        if self.connection.info.transaction_status == pq.TransactionStatus.INERROR:
            return  # the statement that follows fails anyway; the rollback resets the state
        raw = self.connection
        # Django opened a transaction that has not begun yet (no statement so far): the settings
        # go before it, so that its first statement stays its own (SET TRANSACTION must be).
        before_transaction = (
            not raw.autocommit and raw.info.transaction_status == pq.TransactionStatus.IDLE
        )
        if before_transaction:
            raw.autocommit = True
        try:
            self._rls_set(*wanted)
        finally:
            if before_transaction and not raw.closed:
                raw.autocommit = False
        self._rls_state = wanted

    def _rls_set(self, role: str | None, cell: str) -> None:
        with self.connection.cursor() as cursor:
            if role is None:
                cursor.execute("SELECT set_config(%s, %s, false)", [rls.SETTING, cell])
            else:
                cursor.execute(
                    "SELECT set_config('role', %s, false), set_config(%s, %s, false)",
                    [role, rls.SETTING, cell],
                )
