from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vangnet.audit.management.commands.audit_verify import Command
from vangnet.audit.services import audit_record

from .helpers import tamper


@pytest.mark.django_db
class TestAuditVerifyCommand:
    def test_it_reports_an_intact_chain(self) -> None:
        for _ in range(3):
            audit_record(action="tests.event.recorded")
        out = StringIO()

        call_command("audit_verify", stdout=out)

        assert out.getvalue().strip() == "Audit chain OK: 3 events"

    def test_it_reports_a_broken_chain_as_an_error(self) -> None:
        for _ in range(3):
            audit_record(action="tests.event.recorded")
        tamper("DELETE FROM audit_auditevent WHERE position = %s", [2])

        with pytest.raises(CommandError) as excinfo:
            call_command("audit_verify")

        assert str(excinfo.value) == "Audit chain BROKEN at position 2: event 2 is missing"
        assert excinfo.value.returncode == 1

    def test_it_has_help_text(self) -> None:
        assert "hash chain" in Command.help


# run_from_argv closes the database connections when done, so these can't run inside the
# rolled-back transaction of a plain `db` test.
@pytest.mark.django_db(transaction=True)
class TestAuditVerifyExitStatus:
    def test_it_exits_zero_when_intact(self, capsys: pytest.CaptureFixture[str]) -> None:
        audit_record(action="tests.event.recorded")

        Command().run_from_argv(["manage.py", "audit_verify"])

        assert capsys.readouterr().out.strip() == "Audit chain OK: 1 events"

    def test_it_exits_non_zero_when_broken(self, capsys: pytest.CaptureFixture[str]) -> None:
        for _ in range(2):
            audit_record(action="tests.event.recorded")
        tamper("UPDATE audit_auditevent SET actor_id = %s WHERE position = %s", ["x", 1])

        with pytest.raises(SystemExit) as excinfo:
            Command().run_from_argv(["manage.py", "audit_verify"])

        assert excinfo.value.code == 1
        assert "Audit chain BROKEN at position 1: hash does not match" in capsys.readouterr().err
