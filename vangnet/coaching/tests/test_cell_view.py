"""The cell's read-only view: coordinator, deputy and mayor; only what VVSG shared."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from vangnet.coaching import services
from vangnet.coaching.tests.conftest import make_trajectory
from vangnet.scans.models import Round
from vangnet.scans.services import round_close, round_open, sharing_set
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cell_url(cell, trajectory=None):
    if trajectory is None:
        return reverse("coaching:cell_trajectories", kwargs={"cell_id": cell.pk})
    return reverse(
        "coaching:cell_trajectory", kwargs={"cell_id": cell.pk, "trajectory_id": trajectory.pk}
    )


@pytest.fixture
def shared_content(personas, trajectory):
    services.note_add(
        trajectory=trajectory,
        author=personas.vera,
        body="Gedeelde notitie over de werktafels",
        shared_with_cell=True,
    )
    services.note_add(
        trajectory=trajectory, author=personas.vera, body="Interne notitie voor het VVSG-team"
    )
    shared = services.document_upload(
        trajectory=trajectory,
        title="Gedeeld actieplan",
        upload=SimpleUploadedFile("a.pdf", PDF),
        uploaded_by=personas.vera,
        shared_with_cell=True,
    )
    internal = services.document_upload(
        trajectory=trajectory,
        title="Interne analyse",
        upload=SimpleUploadedFile("b.pdf", PDF),
        uploaded_by=personas.vera,
    )
    return shared, internal


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_coordinator_and_mayor_see_only_shared_notes_and_documents(
    personas, client, trajectory, shared_content, who
):
    sign_in(client, getattr(personas, who))
    html = client.get(cell_url(personas.mechelen)).content.decode()
    assert "Heropstart Mechelen" in html
    response = client.get(cell_url(personas.mechelen, trajectory))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gedeelde notitie over de werktafels" in html
    assert "Interne notitie" not in html
    assert "Gedeeld actieplan" in html and "Interne analyse" not in html
    # The milestones are shown, read-only.
    assert "milestone_edit" not in html and "/milestones/" not in html
    assert html.count("<tr>") >= 8


def test_the_cell_downloads_a_shared_document_but_not_an_internal_one(
    personas, client, trajectory, shared_content
):
    shared, internal = shared_content
    sign_in(client, personas.alice)

    def url(document):
        return reverse(
            "coaching:cell_document_download",
            kwargs={
                "cell_id": personas.mechelen.pk,
                "trajectory_id": trajectory.pk,
                "document_id": document.pk,
            },
        )

    assert client.get(url(shared)).status_code == 200
    assert client.get(url(internal)).status_code == 404


def test_a_partner_member_gets_403(personas, client, trajectory):
    sign_in(client, personas.pim)
    assert client.get(cell_url(personas.mechelen)).status_code == 403
    assert client.get(cell_url(personas.mechelen, trajectory)).status_code == 403


def test_another_cell_gets_404(personas, client, trajectory):
    sign_in(client, personas.walter)
    assert client.get(cell_url(personas.mechelen)).status_code == 404
    assert client.get(cell_url(personas.mechelen, trajectory)).status_code == 404


def test_a_trajectory_of_another_cell_under_this_cell_id_is_404(personas, client):
    wingene_trajectory = make_trajectory(personas, cells=[personas.wingene], title="Wingene")
    sign_in(client, personas.alice)
    assert client.get(cell_url(personas.mechelen, wingene_trajectory)).status_code == 404
    assert "Wingene" not in client.get(cell_url(personas.mechelen)).content.decode()


def test_a_cell_without_trajectories_sees_an_empty_state(personas, client):
    sign_in(client, personas.walter)
    response = client.get(cell_url(personas.wingene))
    assert response.status_code == 200
    assert "<table" not in response.content.decode()


def test_only_rounds_shared_with_vvsg_are_listed(personas, client, trajectory):
    with scope(cell=personas.mechelen.pk):
        shared = round_open(
            cell=personas.mechelen,
            title="Gedeelde nulmeting",
            does_case_management=True,
            opened_by=personas.alice,
        )
        round_close(scan_round=shared, user=personas.alice)
        sharing_set(scan_round=shared, shared=True, user=personas.alice)
    with scope(cell=personas.wingene.pk):
        # Another cell's shared round must not show on Mechelen's trajectory either.
        other = round_open(
            cell=personas.wingene,
            title="Wingene nulmeting",
            does_case_management=True,
            opened_by=personas.walter,
        )
        round_close(scan_round=other, user=personas.walter)
        sharing_set(scan_round=other, shared=True, user=personas.walter)
    with scope(cell=personas.mechelen.pk):
        unshared = Round.objects.create(
            cell=personas.mechelen,
            template=shared.template,
            title="Niet gedeelde ronde",
            opened_by=personas.alice,
        )
    sign_in(client, personas.vera)
    html = client.get(
        reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk})
    ).content.decode()
    assert "Gedeelde nulmeting" in html
    assert reverse("scans:shared_round", kwargs={"round_id": shared.pk}) in html
    assert "Niet gedeelde ronde" not in html and str(unshared.pk) not in html
    assert "Wingene nulmeting" not in html

    sign_in(client, personas.alice)
    html = client.get(cell_url(personas.mechelen, trajectory)).content.decode()
    assert "Gedeelde nulmeting" in html and "Niet gedeelde ronde" not in html


def test_milestone_notes_are_internal_to_vvsg(personas, client, trajectory):
    milestone = trajectory.milestones.get(kind="intake")
    services.milestone_update(
        milestone=milestone,
        actor=personas.vera,
        planned_on=milestone.planned_on,
        done_on=None,
        note="Stuurgroep twijfelt nog",
    )
    sign_in(client, personas.alice)
    html = client.get(cell_url(personas.mechelen, trajectory)).content.decode()
    assert "Intake" in html and "Stuurgroep twijfelt nog" not in html
    sign_in(client, personas.vera)
    html = client.get(
        reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk})
    ).content.decode()
    assert "Stuurgroep twijfelt nog" in html


def test_a_joint_trajectory_counts_but_does_not_name_the_other_cells(personas, client):
    joint = make_trajectory(personas, title="Samen", cells=[personas.mechelen, personas.wingene])
    sign_in(client, personas.alice)
    response = client.get(cell_url(personas.mechelen, joint))
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.wingene.name not in html
    assert "also involves 1 other cell" in html


def test_the_share_boxes_say_all_cells_of_the_trajectory_see_it(personas, client, trajectory):
    sign_in(client, personas.vera)
    for name in ("coaching:note_new", "coaching:document_new"):
        html = client.get(reverse(name, kwargs={"trajectory_id": trajectory.pk})).content.decode()
        assert "coordinators, deputies and mayors of all cells of the trajectory" in html, name


def test_it_sends_anonymous_visitors_of_the_cell_pages_to_the_login_page(
    personas, client, trajectory, shared_content
):
    shared, _internal = shared_content
    for url in (
        cell_url(personas.mechelen),
        cell_url(personas.mechelen, trajectory),
        reverse(
            "coaching:cell_document_download",
            kwargs={
                "cell_id": personas.mechelen.pk,
                "trajectory_id": trajectory.pk,
                "document_id": shared.pk,
            },
        ),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
