"""Row locks taken as a mutex must let foreign-key checks through.

PostgreSQL checks Django's foreign keys at COMMIT (they are DEFERRABLE INITIALLY DEFERRED),
after the audit chain's advisory lock was taken. A transaction holding `FOR UPDATE` on a row that
others refer to (a cell, a user, a meeting) while it waits for the audit lock, and a transaction
holding the audit lock whose commit-time foreign-key check (`FOR KEY SHARE`) waits for that row,
deadlock: `make verify`'s crash run found it (planning meetings and opening cases at once
answered 500). `select_for_update(no_key=True)` (`FOR NO KEY UPDATE`) serialises the same way
but does not conflict with `FOR KEY SHARE`; with `select_related`, `of=("self",)` keeps the
joined rows unlocked. Plain `FOR UPDATE` is only for rows that are deleted (marked by a
comment).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Rows locked to be deleted take FOR UPDATE (what the DELETE takes anyway), marked so in a
# comment on the line before the lock: "# FOR UPDATE: ... deleted below".
DELETED = "# FOR UPDATE:"


def _locks() -> list[tuple[str, int, str, str, bool]]:
    """(file, line, arguments, what follows) of every select_for_update call in the app."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"select_for_update\(", text):
            depth, end = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
            arguments = text[match.end() : end - 1]
            line = text.count("\n", 0, match.start()) + 1
            before = text[: match.start()].splitlines()[-2:]
            marked = any(DELETED in previous for previous in before)
            found.append(
                (str(path.relative_to(ROOT)), line, arguments, text[end : end + 80], marked)
            )
    return found


def test_every_mutex_lock_lets_foreign_key_checks_through():
    offenders = [
        f"{file}:{line}"
        for file, line, arguments, _after, deleted in _locks()
        if "no_key=True" not in arguments and not deleted
    ]
    assert offenders == []


def test_a_lock_with_select_related_locks_only_its_own_row():
    offenders = [
        f"{file}:{line}"
        for file, line, arguments, after, _deleted in _locks()
        if re.match(r"\s*\.select_related\(", after) and 'of=("self",)' not in arguments
    ]
    assert offenders == []


def test_it_finds_the_locks():
    assert len(_locks()) > 40
