"""Django's PostgreSQL backend, plus row-level security state (see ``vangnet/lib/rls.py``).

Before a cursor is handed out, the session's role and its ``vangnet.cell`` setting are brought in
step with the current django-scopes state, in one extra statement and only when they changed;
before a transaction's first statement, outside it.
That statement goes past Django's cursor wrappers, so query counts in tests don't include it.
A rollback (of a transaction or to a savepoint) undoes settings made inside it, so after one the
next cursor sets them again; so does the first statement of every request (``rls_forget``).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base
from psycopg import pq

from vangnet.lib import rls


class DatabaseWrapper(base.DatabaseWrapper):
    _rls_state: tuple[str | None, str] | None = None

    def rls_forget(self) -> None:
        """Set the role and cell again before the next statement: at the start of every
        request, so that SQL which changed them (set_config, RESET ROLE) cannot outlive its
        request on a connection kept open (VANGNET_DB_CONN_MAX_AGE)."""
        self._rls_state = None

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
