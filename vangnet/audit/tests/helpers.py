from __future__ import annotations

from typing import Any

from django.db import connection

from vangnet.audit.testing import audit_triggers_disabled


def tamper(sql: str, params: list[Any]) -> None:
    """Run SQL against the audit table with the triggers lifted, as an owner-level attacker."""
    with audit_triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)
