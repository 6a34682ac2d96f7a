"""Attachments: encrypted at rest, never left on disk by a failed step, asked for again."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from vangnet.helpdesk import services
from vangnet.helpdesk.files import DecryptionError, attachment_decrypt
from vangnet.helpdesk.models import Attachment, Message, Question
from vangnet.helpdesk.tests.factories import PDF, answer, make_question, pdf
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

PERSONAL = "Bel Jan op 0470 12 34 56."


def stored_files(media_root):
    folder = media_root / "helpdesk"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def url(question, suffix=""):
    return f"/helpdesk/{question.pk}/{suffix}"


# --- Encrypted at rest ---------------------------------------------------------------------------


def test_an_attachment_is_stored_encrypted_and_downloaded_as_uploaded(
    personas, client, theme, tmp_path
):
    question = make_question(personas.pim, attachments=[pdf()])
    attachment = question.attachments.get()
    (path,) = stored_files(tmp_path)
    on_disk = path.read_bytes()
    assert PDF not in on_disk and b"%PDF" not in on_disk
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()  # of what was uploaded
    assert attachment_decrypt(attachment_id=attachment.pk, ciphertext=on_disk) == PDF
    sign_in(client, personas.pim)
    response = client.get(url(question, f"attachments/{attachment.pk}/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_encrypted_file_is_bound_to_its_attachment(personas, client, theme, tmp_path):
    question = make_question(personas.pim, attachments=[pdf(), pdf("tweede.pdf")])
    first, second = question.attachments.order_by("uploaded_at", "id")
    ciphertext = first.file.read()
    first.file.close()
    with pytest.raises(DecryptionError):
        attachment_decrypt(attachment_id=second.pk, ciphertext=ciphertext)
    # A file copied over another attachment's file is refused, not served.
    (tmp_path / second.file.name).write_bytes(ciphertext)
    sign_in(client, personas.pim)
    assert client.get(url(question, f"attachments/{second.pk}/")).status_code == 404
    assert client.get(url(question, f"attachments/{first.pk}/")).status_code == 200


# --- No file left behind when a later step fails -------------------------------------------------


class Boom(Exception):
    pass


def fail_the_audit(monkeypatch):
    def audit_record(**kwargs):
        raise Boom

    monkeypatch.setattr(services, "audit_record", audit_record)


def test_a_failed_question_leaves_no_file_behind(personas, theme, tmp_path, monkeypatch):
    fail_the_audit(monkeypatch)  # the step after the files are stored
    with pytest.raises(Boom):
        make_question(personas.pim, attachments=[pdf(), pdf("tweede.pdf")])
    assert stored_files(tmp_path) == []
    assert not Question.objects.exists()
    assert not Attachment.objects.exists()


def test_a_failed_reply_or_follow_up_leaves_no_file_behind(personas, theme, tmp_path, monkeypatch):
    question = make_question(personas.pim)
    fail_the_audit(monkeypatch)
    with pytest.raises(Boom):
        answer(question, personas.vera, attachments=[pdf()])
    with pytest.raises(Boom):
        services.question_asker_reply(
            question=question, author=personas.pim, body="Zie bijlage.", attachments=[pdf()]
        )
    assert stored_files(tmp_path) == []
    assert not Attachment.objects.exists()
    assert not Message.objects.exists()


def test_a_failed_file_check_stores_nothing(personas, theme, tmp_path):
    with pytest.raises(ValidationError):
        make_question(personas.pim, attachments=[pdf(), pdf("x.pdf", b"<html>")])
    assert stored_files(tmp_path) == []


# --- A form shown again asks for the files again -------------------------------------------------


def test_the_question_form_shown_again_asks_for_the_files_again(personas, client, theme):
    sign_in(client, personas.pim)
    data = {
        "theme": str(theme.pk),
        "municipality": "12025",
        "subject": "Vraag over delen",
        "body": PERSONAL,
        "attachments": [pdf()],
    }
    response = client.post("/helpdesk/ask/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Possible personal data" in html
    assert "Attachments: Select your files again." in html  # in the error summary
    assert not Question.objects.exists()
    # Without files there is nothing to ask for.
    response = client.post("/helpdesk/ask/", {**data, "attachments": []})
    assert "Select your files again." not in response.content.decode()


def test_the_follow_up_and_reply_forms_shown_again_ask_for_the_files_again(personas, client, theme):
    question = make_question(personas.pim)
    sign_in(client, personas.pim)
    response = client.post(url(question, "follow-up/"), {"body": PERSONAL, "attachments": [pdf()]})
    assert response.status_code == 200
    assert "Select your files again." in response.content.decode()
    sign_in(client, personas.vera)
    response = client.post(
        url(question, "reply/"), {"body": "", "status": "answered", "attachments": [pdf()]}
    )
    assert response.status_code == 200
    assert "Select your files again." in response.content.decode()
    assert not Attachment.objects.exists()
