"""Versioned files of documents, templates and publications, checked by content."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vangnet.audit.models import AuditEvent
from vangnet.knowledge.models import ItemFile, ItemKind
from vangnet.knowledge.services import item_file_add

from .conftest import PDF, add_file, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(make_item):
    return make_item("Draaiboek LIVC R (versie 2025)", kind=ItemKind.DOCUMENT)


def upload(client, item, content=PDF, name="mijn bestand.pdf", note="Eerste versie"):
    return client.post(
        f"/knowledge/{item.pk}/files/new/",
        {"file": SimpleUploadedFile(name, content), "note": note},
    )


def test_it_keeps_versions_of_a_document(personas, reader, document):
    client = reader(personas.vera)
    assert client.get(f"/knowledge/{document.pk}/files/new/").status_code == 200
    assert upload(client, document).status_code == 302
    assert upload(client, document, docx_bytes(), "draaiboek.docx", "Bijgewerkt").status_code == 302
    files = list(document.files.order_by("version"))
    assert [(f.version, f.extension) for f in files] == [(1, ".pdf"), (2, ".docx")]
    assert files[1].note == "Bijgewerkt"
    assert files[0].file.name == f"knowledge/{document.pk}/{files[0].pk}.pdf"
    assert files[0].download_name == "draaiboek-livc-r-versie-2025-v1.pdf"
    content = client.get(f"/knowledge/{document.pk}/").content.decode()
    assert "Download version 2 (DOCX" in content
    assert "Download version 1 (PDF" in content
    event = AuditEvent.objects.filter(action="knowledge.file.added").last()
    assert event.data["version"] == 2
    assert "draaiboek" not in str(event.data).lower()


def test_it_counts_downloads_and_names_the_file_after_the_item(personas, reader, document):
    item_file = add_file(document, personas.vera, name="C:\\geheim\\intern memo.pdf")
    client = reader(None)
    for _ in range(2):
        response = client.get(f"/knowledge/{document.pk}/files/{item_file.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "draaiboek-livc-r-versie-2025-v1.pdf" in disposition
    assert "memo" not in disposition
    assert response["Content-Type"] == "application/pdf"
    item_file.refresh_from_db()
    assert item_file.downloads == 2


def test_it_refuses_a_file_that_is_not_what_its_name_says(personas, reader, document):
    response = upload(reader(personas.vera), document, b"<html><script>x</script></html>", "x.pdf")
    assert response.status_code == 200
    assert "This type of file is not allowed." in response.content.decode()
    assert not ItemFile.objects.exists()


def test_it_refuses_a_file_that_is_too_large(personas, reader, document, settings):
    settings.VANGNET_MAX_UPLOAD_BYTES = 20
    response = upload(reader(personas.vera), document)
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not ItemFile.objects.exists()


def test_it_answers_413_to_a_request_body_larger_than_the_upload_limit(
    personas, reader, document, settings
):
    # A courtesy message, not a guard: the CSRF middleware has read the body already; the web
    # server's body-size limit protects the disk.
    settings.VANGNET_MAX_UPLOAD_BYTES = 10
    response = upload(reader(personas.vera), document, PDF * 3000)
    assert response.status_code == 413
    assert not ItemFile.objects.exists()


def test_it_refuses_an_upload_without_a_file(personas, reader, document):
    response = reader(personas.vera).post(f"/knowledge/{document.pk}/files/new/", {"note": "x"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_it_has_no_files_for_kinds_without_files(personas, reader, make_item):
    faq = make_item("Een vraag", kind=ItemKind.FAQ)
    with pytest.raises(ValidationError):
        add_file(faq, personas.vera)
    response = upload(reader(personas.vera), faq)
    assert response.status_code == 302
    assert not ItemFile.objects.exists()


def test_it_makes_a_safe_download_name_from_what_it_is_given(personas, document):
    item_file = item_file_add(
        item=document,
        upload=SimpleUploadedFile("x.pdf", PDF),
        note="",
        actor=personas.vera,
        download_name='../../Sjabloon "ÉÉN" <script>.pdf',
    )
    assert item_file.download_name == "sjabloon-een-script-v1.pdf"
    nameless = item_file_add(
        item=document,
        upload=SimpleUploadedFile("x.pdf", PDF),
        note="",
        actor=personas.vera,
        download_name="???",
    )
    assert nameless.download_name == "document-v2.pdf"


def test_it_removes_the_stored_file_when_saving_the_version_fails(
    personas, document, settings, monkeypatch
):
    from vangnet.knowledge import services

    def failing_audit_record(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", failing_audit_record)
    with pytest.raises(RuntimeError):
        add_file(document, personas.vera)
    assert not ItemFile.objects.exists()
    stored = Path(settings.MEDIA_ROOT) / "knowledge"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))
    monkeypatch.undo()
    item_file = add_file(document, personas.vera)  # the next attempt works, as version 1
    assert item_file.version == 1
    assert item_file.file.storage.exists(item_file.file.name)
