"""``migrate`` as the tables' owner, across all cells; then row-level security is (re)applied.

Django's own command, run inside ``vangnet.lib.rls.owner_mode()``: with ``VANGNET_DB_APP_ROLE``
set, the app's statements run as a role that may not change the schema, so migrations switch back
to the login role. The policies themselves are applied by the post_migrate receiver
(``vangnet.lib.rls.rls_apply_after_migrate``), which also runs after the test suite's ``flush``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from vangnet.lib.rls import owner_mode


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_mode():
            super().handle(*args, **options)
