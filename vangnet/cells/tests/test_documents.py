from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from vangnet.cells.models import CellDocument
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, cell, content: bytes = PDF, name: str = "huishoudelijk reglement.pdf"):
    return client.post(
        f"/cells/{cell.pk}/documents/upload/",
        {
            "kind": "house_rules",
            "title": "Huishoudelijk reglement",
            "file": SimpleUploadedFile(name, content),
            "approved_on": "2025-02-01",
        },
    )


def documents(cell) -> list[CellDocument]:
    with scope(cell=cell.pk):
        return list(CellDocument.objects.order_by("version"))


def test_it_keeps_versions_of_the_house_rules(personas, client):
    sign_in(client, personas.alice)
    assert upload(client, personas.mechelen).status_code == 302
    assert upload(client, personas.mechelen).status_code == 302
    stored = documents(personas.mechelen)
    assert [d.version for d in stored] == [1, 2]
    assert stored[0].extension == ".pdf"
    assert "reglement" not in stored[0].file.name  # no uploaded file names on disk


def test_it_refuses_a_file_that_is_not_what_its_name_says(personas, client):
    sign_in(client, personas.alice)
    response = upload(client, personas.mechelen, b"<html><script>x</script></html>", "x.pdf")
    assert response.status_code == 200
    assert documents(personas.mechelen) == []


def test_it_refuses_a_file_that_is_too_large(personas, client, settings):
    settings.VANGNET_MAX_UPLOAD_BYTES = 20
    sign_in(client, personas.alice)
    assert upload(client, personas.mechelen).status_code == 200
    assert documents(personas.mechelen) == []


def test_it_lets_members_download_and_audits_it(personas, client):
    sign_in(client, personas.alice)
    upload(client, personas.mechelen)
    document = documents(personas.mechelen)[0]
    member = type(client)()
    sign_in(member, personas.pim)
    response = member.get(f"/cells/{personas.mechelen.pk}/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert member.get(f"/cells/{personas.mechelen.pk}/documents/").status_code == 200


def test_it_hides_documents_from_another_cell(personas, client):
    sign_in(client, personas.alice)
    upload(client, personas.mechelen)
    document = documents(personas.mechelen)[0]
    other = type(client)()
    sign_in(other, personas.walter)
    url = f"/cells/{personas.wingene.pk}/documents/{document.pk}/download/"
    assert other.get(url).status_code == 404
    assert other.get(f"/cells/{personas.mechelen.pk}/documents/").status_code == 404


def test_it_lets_only_managers_upload(personas, client):
    sign_in(client, personas.pim)
    assert upload(client, personas.mechelen).status_code == 403
    assert documents(personas.mechelen) == []


def test_it_refuses_an_oversized_request_before_reading_it(personas, client, settings):
    settings.VANGNET_MAX_UPLOAD_BYTES = 1000
    sign_in(client, personas.alice)
    response = upload(client, personas.mechelen, PDF + b"x" * 200_000)
    assert response.status_code == 413
    assert documents(personas.mechelen) == []


def test_it_answers_404_when_the_stored_file_is_gone(personas, client):
    sign_in(client, personas.alice)
    upload(client, personas.mechelen)
    document = documents(personas.mechelen)[0]
    document.file.storage.delete(document.file.name)
    response = client.get(f"/cells/{personas.mechelen.pk}/documents/{document.pk}/download/")
    assert response.status_code == 404
