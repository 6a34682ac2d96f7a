from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vangnet.audit.models import AuditEvent
from vangnet.coaching import services
from vangnet.coaching.models import (
    CoachingNote,
    Milestone,
    MilestoneKind,
    Trajectory,
    TrajectoryStatus,
)
from vangnet.coaching.tests.conftest import make_trajectory
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def trajectory_post(personas, **changes):
    data = {
        "title": "Opstart Wingene",
        "category": "start_up",
        "coach": personas.vera.pk,
        "cells": [personas.wingene.pk],
        "started_on": "2026-02-01",
    }
    data.update(changes)
    return data


def test_it_creates_a_trajectory_with_the_default_milestones(personas):
    trajectory = make_trajectory(personas)
    planned = {m.kind: m.planned_on for m in trajectory.milestones.all()}
    assert list(planned) == [
        "intake",
        "baseline_scan",
        "work_tables",
        "partner_survey",
        "action_plan",
        "exercise",
        "feedback_after_six_months",
        "closing_scan",
    ]
    assert planned["intake"] == datetime.date(2026, 1, 15)
    assert planned["feedback_after_six_months"] == datetime.date(2026, 7, 15)
    assert trajectory.status == TrajectoryStatus.PLANNED
    event = AuditEvent.objects.get(action="coaching.trajectory.created")
    assert event.data == {
        "category": "reactivate",
        "status": "planned",
        "cells": 1,
        "milestones": 8,
    }


def test_it_plans_months_ahead_at_the_end_of_a_short_month():
    assert services.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)


def test_it_refuses_a_coach_who_is_not_vvsg_staff(personas):
    with pytest.raises(ValidationError):
        make_trajectory(personas, coach=personas.alice)
    assert not Trajectory.objects.exists()


def test_it_refuses_a_trajectory_started_by_someone_outside_vvsg(personas):
    with pytest.raises(ValidationError):
        make_trajectory(personas, actor=personas.alice)


def test_it_refuses_an_end_before_the_start(personas):
    with pytest.raises(ValidationError):
        make_trajectory(personas, ended_on=datetime.date(2026, 1, 1))
    assert not Trajectory.objects.exists()


def test_it_refuses_a_trajectory_without_cells(personas):
    with pytest.raises(ValidationError):
        make_trajectory(personas, cells=[])


@pytest.mark.parametrize(
    "dates",
    [
        {"started_on": datetime.date(9999, 6, 1)},
        {"started_on": datetime.date(1999, 12, 31)},
        {"ended_on": datetime.date(2101, 1, 1)},
    ],
)
def test_it_refuses_dates_outside_2000_to_2100(personas, dates):
    with pytest.raises(ValidationError):
        make_trajectory(personas, **dates)
    assert not Trajectory.objects.exists()


def test_reopening_a_closed_trajectory_clears_its_end_date(personas, trajectory):
    services.trajectory_status_set(trajectory=trajectory, status="closed", actor=personas.vera)
    assert trajectory.ended_on is not None
    services.trajectory_status_set(trajectory=trajectory, status="active", actor=personas.vera)
    trajectory.refresh_from_db()
    assert trajectory.status == "active" and trajectory.ended_on is None


def test_a_closed_trajectory_keeps_an_end_date_on_edit(personas, trajectory):
    services.trajectory_status_set(trajectory=trajectory, status="closed", actor=personas.vera)
    with pytest.raises(ValidationError):
        services.trajectory_update(
            trajectory=trajectory,
            actor=personas.vera,
            title="Heropstart Mechelen",
            category="reactivate",
            coach=personas.vera,
            cells=[personas.mechelen],
            started_on=datetime.date(2026, 1, 15),
            ended_on=None,
        )
    trajectory.refresh_from_db()
    assert trajectory.ended_on is not None


class TestStaffPages:
    def test_it_creates_a_trajectory_through_the_form(self, personas, client):
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:new"),
            {
                "title": "Opstart Wingene",
                "category": "start_up",
                "coach": personas.vera.pk,
                "cells": [personas.wingene.pk],
                "started_on": "2026-02-01",
            },
        )
        trajectory = Trajectory.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "coaching:trajectory", kwargs={"trajectory_id": trajectory.pk}
        )
        assert list(trajectory.cells.all()) == [personas.wingene]
        assert trajectory.created_by == personas.vera

    def test_it_shows_a_clear_error_for_an_end_before_the_start(self, personas, client):
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:new"),
            {
                "title": "Opstart Wingene",
                "category": "start_up",
                "coach": personas.vera.pk,
                "cells": [personas.wingene.pk],
                "started_on": "2026-02-01",
                "ended_on": "2026-01-01",
            },
        )
        assert response.status_code == 200
        assert "ended_on" in response.context["form"].errors
        assert not Trajectory.objects.exists()

    @pytest.mark.parametrize("field", ["started_on", "ended_on"])
    def test_it_refuses_a_date_far_in_the_future_with_a_field_error(self, personas, client, field):
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:new"), trajectory_post(personas, **{field: "9999-06-01"})
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Trajectory.objects.exists()

    def test_reopening_says_the_end_date_is_cleared(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        url = reverse("coaching:status", kwargs={"trajectory_id": trajectory.pk})
        client.post(url, {"status": "closed"})
        response = client.post(url, {"status": "active"})
        assert response.status_code == 302
        trajectory.refresh_from_db()
        assert trajectory.ended_on is None
        assert any("end date is cleared" in str(m) for m in get_messages(response.wsgi_request))

    def test_it_requires_an_end_date_when_editing_a_closed_trajectory(
        self, personas, client, trajectory
    ):
        services.trajectory_status_set(trajectory=trajectory, status="closed", actor=personas.vera)
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:edit", kwargs={"trajectory_id": trajectory.pk}),
            trajectory_post(
                personas,
                title="Heropstart Mechelen",
                cells=[personas.mechelen.pk],
                started_on="2026-01-15",
                ended_on="",
            ),
        )
        assert response.status_code == 200
        assert "ended_on" in response.context["form"].errors
        trajectory.refresh_from_db()
        assert trajectory.ended_on is not None

    def test_the_milestone_forms_say_notes_are_internal(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        html = client.get(
            reverse("coaching:milestone_new", kwargs={"trajectory_id": trajectory.pk})
        ).content.decode()
        assert "Internal to VVSG: the cell does not see it." in html

    def test_it_offers_only_vvsg_staff_as_coach(self, personas, client):
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:new"),
            {
                "title": "Opstart",
                "category": "start_up",
                "coach": personas.alice.pk,
                "cells": [personas.wingene.pk],
                "started_on": "2026-02-01",
            },
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
        assert not Trajectory.objects.exists()

    def test_another_staff_member_edits_and_is_recorded(self, personas, client, trajectory):
        colleague = make_user("kris@vvsg.be", "Kris Collega", platform_role="vvsg_staff")
        sign_in(client, colleague)
        response = client.post(
            reverse("coaching:edit", kwargs={"trajectory_id": trajectory.pk}),
            {
                "title": "Heractivering Mechelen",
                "category": "reactivate",
                "coach": personas.vera.pk,
                "cells": [personas.mechelen.pk, personas.wingene.pk],
                "started_on": "2026-01-15",
                "ended_on": "2026-12-31",
            },
        )
        assert response.status_code == 302
        trajectory.refresh_from_db()
        assert trajectory.title == "Heractivering Mechelen"
        assert trajectory.updated_by == colleague
        assert trajectory.cells.count() == 2
        event = AuditEvent.objects.get(action="coaching.trajectory.updated")
        assert event.actor_id == str(colleague.pk)
        assert "Heractivering" not in str(event.data)

    def test_it_sets_the_status_and_ends_a_closed_trajectory(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        url = reverse("coaching:status", kwargs={"trajectory_id": trajectory.pk})
        assert client.post(url, {"status": "closed"}).status_code == 302
        trajectory.refresh_from_db()
        assert trajectory.status == "closed" and trajectory.ended_on is not None
        assert client.post(url, {"status": "bogus"}).status_code == 302
        trajectory.refresh_from_db()
        assert trajectory.status == "closed"

    def test_it_edits_a_milestone_and_adds_one(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        milestone = trajectory.milestones.get(kind=MilestoneKind.INTAKE)
        response = client.post(
            reverse(
                "coaching:milestone_edit",
                kwargs={"trajectory_id": trajectory.pk, "milestone_id": milestone.pk},
            ),
            {"planned_on": "2026-01-20", "done_on": "2026-01-21", "note": "Met de stuurgroep"},
        )
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.done_on == datetime.date(2026, 1, 21)
        assert milestone.note == "Met de stuurgroep"
        response = client.post(
            reverse("coaching:milestone_new", kwargs={"trajectory_id": trajectory.pk}),
            {"kind": "exercise", "planned_on": "2026-10-01", "note": "Tweede oefening"},
        )
        assert response.status_code == 302
        added = trajectory.milestones.order_by("position").last()
        assert added is not None and added.kind == "exercise" and added.position == 8

    def test_it_refuses_a_bad_milestone_date(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        response = client.post(
            reverse("coaching:milestone_new", kwargs={"trajectory_id": trajectory.pk}),
            {"kind": "exercise", "planned_on": "not a date"},
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
        assert list(response.context["form"].errors) == ["planned_on"]
        assert Milestone.objects.filter(trajectory=trajectory).count() == 8

    def test_it_answers_404_for_a_milestone_of_another_trajectory(
        self, personas, client, trajectory
    ):
        other = make_trajectory(personas, title="Andere")
        sign_in(client, personas.vera)
        milestone = other.milestones.first()
        response = client.get(
            reverse(
                "coaching:milestone_edit",
                kwargs={"trajectory_id": trajectory.pk, "milestone_id": milestone.pk},
            )
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("who", ["alice", "bob", "pim", "olaf", "mona"])
    def test_it_hides_the_staff_pages_from_everyone_else(self, personas, client, trajectory, who):
        document = services.document_upload(
            trajectory=trajectory,
            title="Actieplan",
            upload=SimpleUploadedFile("a.pdf", PDF),
            uploaded_by=personas.vera,
            shared_with_cell=True,
        )
        milestone = trajectory.milestones.get(kind=MilestoneKind.INTAKE)
        sign_in(client, getattr(personas, who))
        kwargs = {"trajectory_id": trajectory.pk}
        for url in (
            reverse("coaching:index"),
            reverse("coaching:new"),
            reverse("coaching:trajectory", kwargs=kwargs),
            reverse("coaching:edit", kwargs=kwargs),
            reverse("coaching:note_new", kwargs=kwargs),
            reverse("coaching:milestone_new", kwargs=kwargs),
            reverse("coaching:milestone_edit", kwargs={**kwargs, "milestone_id": milestone.pk}),
            reverse("coaching:document_new", kwargs=kwargs),
            reverse("coaching:document_download", kwargs={**kwargs, "document_id": document.pk}),
        ):
            assert client.get(url).status_code == 404, url
        milestone_url = reverse(
            "coaching:milestone_edit", kwargs={**kwargs, "milestone_id": milestone.pk}
        )
        posts = (
            (reverse("coaching:status", kwargs=kwargs), {"status": "closed"}),
            (reverse("coaching:note_new", kwargs=kwargs), {"body": "Een notitie"}),
            (
                reverse("coaching:edit", kwargs=kwargs),
                {
                    "title": "Overgenomen",
                    "category": "reactivate",
                    "coach": personas.vera.pk,
                    "cells": [personas.mechelen.pk],
                    "started_on": "2026-01-15",
                },
            ),
            (reverse("coaching:milestone_new", kwargs=kwargs), {"kind": "exercise"}),
            (milestone_url, {"note": "Gewijzigd"}),
        )
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
        trajectory.refresh_from_db()
        assert trajectory.status == "planned" and trajectory.title == "Heropstart Mechelen"
        assert not CoachingNote.objects.exists()
        assert trajectory.milestones.count() == 8
        milestone.refresh_from_db()
        assert milestone.note == ""

    def test_it_sends_anonymous_visitors_to_the_login_page(self, client, trajectory):
        response = client.get(
            reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk})
        )
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_it_audits_a_staff_view_without_content(self, personas, client, trajectory):
        sign_in(client, personas.vera)
        response = client.get(
            reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk})
        )
        assert response.status_code == 200
        assert "Heropstart Mechelen" in response.content.decode()
        assert AuditEvent.objects.filter(
            action="coaching.trajectory.viewed", object_id=str(trajectory.pk)
        ).exists()
