from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vangnet.audit.models import AuditEvent
from vangnet.coaching import services
from vangnet.coaching.models import CoachingDocument, CoachingNote
from vangnet.lib.uploads import UploadRejected
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAL = "Jan Peeters (geboren 12/03/2008) kwam ter sprake. Bel 0470 12 34 56."


def note_url(trajectory):
    return reverse("coaching:note_new", kwargs={"trajectory_id": trajectory.pk})


def test_it_asks_to_anonymise_a_note_and_stores_it_once_confirmed(personas, client, trajectory):
    sign_in(client, personas.vera)
    response = client.post(note_url(trajectory), {"body": PERSONAL})
    html = response.content.decode()
    assert response.status_code == 200
    assert "personal-data-warning" in html
    assert 'type="checkbox" name="personal_data_confirmed"' in html
    assert not CoachingNote.objects.exists()

    response = client.post(
        note_url(trajectory), {"body": PERSONAL, "personal_data_confirmed": "on"}
    )
    assert response.status_code == 302
    note = CoachingNote.objects.get()
    assert note.personal_data_confirmed is True and note.shared_with_cell is False
    event = AuditEvent.objects.get(action="coaching.note.added")
    assert "Peeters" not in str(event.data)


def test_it_stores_a_note_body_encrypted(personas, trajectory):
    services.note_add(trajectory=trajectory, author=personas.vera, body="Werktafels gepland")
    raw = CoachingNote.objects.values_list("body", flat=True).get()
    assert b"Werktafels" not in bytes(raw)
    assert CoachingNote.objects.get().body == "Werktafels gepland"


def test_it_refuses_an_empty_or_oversized_note(personas, client, trajectory):
    sign_in(client, personas.vera)
    assert client.post(note_url(trajectory), {"body": ""}).status_code == 200
    assert client.post(note_url(trajectory), {"body": "x" * 5001}).status_code == 200
    assert not CoachingNote.objects.exists()


def test_it_uploads_versions_of_a_document(personas, client, trajectory):
    sign_in(client, personas.vera)
    url = reverse("coaching:document_new", kwargs={"trajectory_id": trajectory.pk})
    for _ in range(2):
        response = client.post(
            url,
            {
                "title": "Actieplan",
                "file": SimpleUploadedFile("Jan Peeters.pdf", PDF),
                "no_personal_data": "on",
            },
        )
        assert response.status_code == 302
    versions = list(CoachingDocument.objects.values_list("version", flat=True))
    assert sorted(versions) == [1, 2]
    document = CoachingDocument.objects.get(version=2)
    assert "Peeters" not in document.file.name and str(document.pk) in document.file.name
    response = client.get(
        reverse(
            "coaching:document_download",
            kwargs={"trajectory_id": trajectory.pk, "document_id": document.pk},
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    services.note_add(trajectory=trajectory, author=personas.vera, body="Interne notitie")
    page = client.get(reverse("coaching:trajectory", kwargs={"trajectory_id": trajectory.pk}))
    html = page.content.decode()
    assert "Actieplan" in html and "Interne notitie" in html and "badge-warn" in html


def test_it_refuses_a_document_of_the_wrong_type_by_content(personas, client, trajectory):
    sign_in(client, personas.vera)
    response = client.post(
        reverse("coaching:document_new", kwargs={"trajectory_id": trajectory.pk}),
        {
            "title": "Verslag",
            "file": SimpleUploadedFile("verslag.pdf", b"<html><script>x</script></html>"),
            "no_personal_data": "on",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not CoachingDocument.objects.exists()
    with pytest.raises(UploadRejected):
        services.document_upload(
            trajectory=trajectory,
            title="Verslag",
            upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
            uploaded_by=personas.vera,
        )


def test_it_requires_the_no_personal_data_confirmation_for_a_document(personas, client, trajectory):
    sign_in(client, personas.vera)
    response = client.post(
        reverse("coaching:document_new", kwargs={"trajectory_id": trajectory.pk}),
        {"title": "Actieplan", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 200
    assert not CoachingDocument.objects.exists()


def document_url(trajectory):
    return reverse("coaching:document_new", kwargs={"trajectory_id": trajectory.pk})


def test_it_checks_a_document_title_for_personal_data(personas, client, trajectory):
    sign_in(client, personas.vera)
    data = {
        "title": "Verslag Jan Peeters 0470 12 34 56",
        "file": SimpleUploadedFile("a.pdf", PDF),
        "no_personal_data": "on",
    }
    response = client.post(document_url(trajectory), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "personal-data-warning" in html and 'enctype="multipart/form-data"' in html
    assert not CoachingDocument.objects.exists()
    data["file"] = SimpleUploadedFile("a.pdf", PDF)
    data["personal_data_confirmed"] = "on"
    assert client.post(document_url(trajectory), data).status_code == 302
    assert CoachingDocument.objects.get().personal_data_confirmed is True


@pytest.mark.parametrize("title", ["Actie\tplan", "Actie\nplan", "Actie\x00plan", "Actie\x85plan"])
def test_it_refuses_control_characters_in_a_document_title(personas, client, trajectory, title):
    sign_in(client, personas.vera)
    response = client.post(
        document_url(trajectory),
        {"title": title, "file": SimpleUploadedFile("a.pdf", PDF), "no_personal_data": "on"},
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not CoachingDocument.objects.exists()
    with pytest.raises(ValidationError):
        services.document_upload(
            trajectory=trajectory,
            title=title,
            upload=SimpleUploadedFile("a.pdf", PDF),
            uploaded_by=personas.vera,
        )


def test_a_download_has_a_neutral_file_name(personas, client, trajectory):
    document = services.document_upload(
        trajectory=trajectory,
        title="Actieplan Mechelen",
        upload=SimpleUploadedFile("a.pdf", PDF),
        uploaded_by=personas.vera,
    )
    sign_in(client, personas.vera)
    response = client.get(
        reverse(
            "coaching:document_download",
            kwargs={"trajectory_id": trajectory.pk, "document_id": document.pk},
        )
    )
    disposition = response["Content-Disposition"]
    assert 'filename="coaching-document-v1.pdf"' in disposition
    assert "Actieplan" not in disposition


def test_it_removes_the_stored_file_when_the_upload_fails(
    personas, trajectory, settings, monkeypatch
):
    def failing_audit(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        services.document_upload(
            trajectory=trajectory,
            title="Actieplan",
            upload=SimpleUploadedFile("a.pdf", PDF),
            uploaded_by=personas.vera,
        )
    assert not CoachingDocument.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
