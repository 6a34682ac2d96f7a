"""Migration meetings.0004: the invited organisations of existing meetings get their meeting's
cell (the table of the many-to-many field becomes a tenant table). Run backwards and forwards on
a database with rows, on SQLite and (in CI) PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cells.reference import municipalities_load
from vangnet.lib import rls
from vangnet.meetings import services
from vangnet.meetings.models import MeetingInvitation
from vangnet.network.services import organisation_create

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("meetings", "0003_professional_secret")
AFTER = ("meetings", "0004_meeting_invitation_cell")


def _migrate(target: tuple[str, str]) -> None:
    with rls.owner_mode():
        executor = MigrationExecutor(connection)
        executor.migrate([target])


def _cell_column() -> list[tuple[str, bool]]:
    """The cell column of the invitations table and whether it takes NULL."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(
            cursor, MeetingInvitation._meta.db_table
        )
    return [(column.name, bool(column.null_ok)) for column in columns if column.name == "cell_id"]


@pytest.fixture
def personas(transactional_db):
    # Transactional tests start from the emptied tables a previous one left: the municipalities
    # (a data migration) are loaded again when missing.
    from vangnet.tests_support.personas import make_personas

    municipalities_load()  # idempotent
    return make_personas()


def test_it_gives_existing_invitations_their_meetings_cell(personas):
    meetings = {}
    for cell, chair in ((personas.mechelen, personas.alice), (personas.wingene, personas.walter)):
        with scope(cell=cell.pk):
            jeugd = organisation_create(
                cell=cell, name="Jeugdwerk", sector="youth_work", participation="standing"
            )
            clb = organisation_create(cell=cell, name="CLB", sector="clb", participation="per_case")
            now = timezone.now()
            meetings[cell.pk] = services.meeting_create(
                cell=cell,
                kind="network",
                title="Netwerkoverleg",
                starts_at=now,
                ends_at=now + dt.timedelta(hours=1),
                chair=chair,
                created_by=chair,
                invited_organisations=[jeugd, clb],
            )
    try:
        _migrate(BEFORE)
        assert _cell_column() == []
        with rls.owner_mode(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {MeetingInvitation._meta.db_table}")
            assert cursor.fetchone()[0] == 4  # the rows outlive the column
        _migrate(AFTER)
    finally:
        _migrate(AFTER)
        rls.rls_apply()  # what migrate's post_migrate does: the policy went with the column
    assert _cell_column() == [("cell_id", False)]
    with scopes_disabled():
        found = sorted((str(i.meeting_id), str(i.cell_id)) for i in MeetingInvitation.objects.all())
    assert found == sorted(
        (str(m.pk), str(cell_id)) for cell_id, m in meetings.items() for _ in range(2)
    )
    if connection.vendor == "postgresql":
        assert rls.tables_without_policy() == []
