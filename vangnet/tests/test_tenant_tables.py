"""Which tables are tenant tables (vangnet/lib/rls.py): a row that belongs to one cell carries
the cell, so django-scopes and PostgreSQL's row-level security can keep it in its cell. Model
level: runs on every database."""

from __future__ import annotations

import pytest

from vangnet.lib import rls
from vangnet.meetings.models import Meeting, MeetingInvitation


def test_no_table_points_at_a_cells_rows_without_carrying_the_cell():
    assert rls.tables_pointing_at_tenant_rows() == []


def test_it_finds_rows_under_a_tenant_table_that_lack_the_cell(monkeypatch: pytest.MonkeyPatch):
    # Were helpdesk questions one cell's data, their messages and attachments would need a cell.
    monkeypatch.delitem(rls.EXEMPT, "helpdesk_question")
    assert rls.tables_pointing_at_tenant_rows() == ["helpdesk_attachment", "helpdesk_message"]


def test_the_invited_organisations_of_a_meeting_are_a_tenant_table():
    assert Meeting.invited_organisations.through is MeetingInvitation
    assert MeetingInvitation._meta.db_table in rls.tenant_tables()
