"""Invited organisations get a model of their own with the meeting's cell, so their table is a
tenant table under row-level security like every other. The table keeps its name and rows."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_cell(apps: Any, schema_editor: Any) -> None:
    invitation = apps.get_model("meetings", "MeetingInvitation")
    meeting = apps.get_model("meetings", "Meeting")
    invitation._base_manager.using(schema_editor.connection.alias).update(
        cell_id=Subquery(meeting._base_manager.filter(pk=OuterRef("meeting_id")).values("cell_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0008_cellprofile_insights_sharing"),
        ("meetings", "0003_professional_secret"),
        ("network", "0001_initial"),
    ]

    operations = [
        # The table exists already (the many-to-many field's own): only Django's view changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MeetingInvitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="meetings.meeting",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="network.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_meeting_invited_organisations",
                        "unique_together": {("meeting", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="meeting",
                    name="invited_organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="meeting_invitations",
                        through="meetings.MeetingInvitation",
                        to="network.organisation",
                        verbose_name="invited organisations",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="meetinginvitation",
            name="cell",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cells.cell",
            ),
        ),
        migrations.RunPython(fill_cell, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meetinginvitation",
            name="cell",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cells.cell",
            ),
        ),
    ]
