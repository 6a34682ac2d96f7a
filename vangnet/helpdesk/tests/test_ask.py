from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from vangnet.audit.models import AuditEvent
from vangnet.helpdesk.models import Attachment, Question, QuestionStatus
from vangnet.helpdesk.tests.factories import (
    BODY,
    PDF,
    SUBJECT,
    at,
    make_question,
    mechelen,
    pdf,
    wingene,
)
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def post_question(client, chosen_theme, **overrides):
    data = {
        "theme": str(chosen_theme.pk),
        "municipality": "12025",
        "subject": SUBJECT,
        "body": BODY,
    }
    data.update(overrides)
    return client.post("/helpdesk/ask/", {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("who", ["mona", "pim", "alice"])
def test_it_lets_every_local_government_user_ask_a_question(personas, client, theme, who):
    user = getattr(personas, who)
    sign_in(client, user)
    response = post_question(client, theme)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/helpdesk/{question.pk}/"
    assert question.asker == user
    assert question.municipality.nis_code == "12025"
    assert question.cell == personas.mechelen
    assert question.theme == theme
    assert question.subject == SUBJECT
    assert question.body == BODY
    assert question.status == QuestionStatus.NEW
    assert re.fullmatch(r"V-\d{4}-0001", question.reference)
    assert question.due_at > question.created_at
    assert mail.outbox == []


def test_it_prefills_the_only_municipality_of_the_askers_cell(personas, client):
    sign_in(client, personas.mona)
    response = client.get("/helpdesk/ask/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="12025" selected>' in html
    assert "37021" not in html  # Wingene is not Mona's


def test_it_numbers_questions_per_year(personas, theme):
    first = make_question(personas.pim, now=at("2025-12-31 23:30"))
    second = make_question(personas.pim, now=at("2026-01-01 00:10"))
    third = make_question(personas.alice, now=at("2026-03-02 10:00"))
    assert [first.reference, second.reference, third.reference] == [
        "V-2025-0001",
        "V-2026-0001",
        "V-2026-0002",
    ]


def test_it_audits_a_question_without_its_content(personas, theme):
    question = make_question(personas.pim, attachments=[pdf()])
    event = AuditEvent.objects.get(action="helpdesk.question.submitted")
    assert event.object_id == str(question.pk)
    assert event.data["attachments"] == 1
    text = str(event.data)
    assert SUBJECT not in text and "OCMW" not in text and "Peeters" not in text


def test_it_warns_about_personal_data_and_saves_nothing_until_confirmed(personas, client, theme):
    sign_in(client, personas.pim)
    body = "Jan Peeters (geboren 12/03/2008) wordt besproken. Mag dat?"
    response = post_question(client, theme, body=body)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Possible personal data" in html
    assert "Jan Peeters (geboren 12/03/2008" in html
    assert 'type="checkbox" name="personal_data_confirmed"' in html
    assert Question.objects.count() == 0

    response = post_question(client, theme, body=body, personal_data_confirmed="on")
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.personal_data_confirmed is True


def test_it_checks_the_subject_for_personal_data_too(personas, client, theme):
    sign_in(client, personas.pim)
    response = post_question(client, theme, subject="Vraag van jan@example.org")
    assert response.status_code == 200
    assert "Possible personal data" in response.content.decode()
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", ""),
        ("subject", "   "),
        ("subject", "x" * 201),
        ("body", ""),
        ("body", " \n "),
        ("body", "x" * 10_001),
        ("theme", None),
        ("theme", "not-a-uuid"),
        ("municipality", "37021"),  # Wingene: not a municipality of the asker's cell
        ("municipality", ""),
    ],
)
def test_it_refuses_incomplete_or_oversized_questions(personas, client, theme, field, value):
    sign_in(client, personas.pim)
    response = post_question(client, theme, **{field: value})
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    assert Question.objects.count() == 0


def test_it_stores_attachments_under_ids_only(personas, client, theme):
    sign_in(client, personas.pim)
    response = post_question(client, theme, attachments=[pdf(), pdf("tweede.pdf")])
    assert response.status_code == 302
    attachments = list(Attachment.objects.order_by("uploaded_at"))
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.extension == ".pdf"
        assert "Peeters" not in attachment.file.name
        assert attachment.file.name == (f"helpdesk/{attachment.question_id}/{attachment.id}.pdf")


def test_it_refuses_a_file_that_is_not_what_its_name_says(personas, client, theme):
    sign_in(client, personas.pim)
    fake = pdf("x.pdf", b"<html><script>alert(1)</script></html>")
    response = post_question(client, theme, attachments=[pdf(), fake])
    assert response.status_code == 200
    assert "This type of file is not allowed." in response.content.decode()
    assert Question.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_it_refuses_a_file_that_is_too_large(personas, client, theme, settings):
    settings.VANGNET_MAX_UPLOAD_BYTES = 20
    sign_in(client, personas.pim)
    response = post_question(client, theme, attachments=[pdf()])
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert Question.objects.count() == 0


def test_it_refuses_more_than_five_files(personas, client, theme):
    sign_in(client, personas.pim)
    response = post_question(client, theme, attachments=[pdf(f"{n}.pdf") for n in range(6)])
    assert response.status_code == 200
    assert "at most 5 files" in response.content.decode()
    assert Question.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_the_service_checks_every_file_before_saving_anything(personas, theme):
    with pytest.raises(ValidationError):
        make_question(personas.pim, attachments=[pdf(), pdf("x.pdf", b"<html>")])
    assert Question.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_the_service_refuses_a_municipality_of_another_cell(personas, theme):
    with pytest.raises(ValidationError):
        make_question(personas.pim, municipality=wingene())
    assert make_question(personas.walter, municipality=wingene()).cell == personas.wingene


def test_the_service_refuses_outsiders_and_vvsg_staff(personas, theme):
    for user in (personas.olaf, personas.vera):
        with pytest.raises(PermissionDenied):
            make_question(user, municipality=mechelen())
    assert Question.objects.count() == 0


def test_it_tells_an_outsider_that_the_helpdesk_is_for_local_governments(personas, client):
    sign_in(client, personas.olaf)
    for path in ("/helpdesk/", "/helpdesk/ask/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "The helpdesk is for local governments" in response.content.decode()


def test_an_outsider_cannot_post_a_question(personas, client, theme):
    sign_in(client, personas.olaf)
    assert post_question(client, theme).status_code == 403
    assert Question.objects.count() == 0


def test_it_sends_vvsg_staff_to_the_queue(personas, client):
    sign_in(client, personas.vera)
    response = client.get("/helpdesk/")
    assert response.status_code == 302
    assert response["Location"] == "/helpdesk/queue/"
    # VVSG staff answer questions: the form to ask one sends them to the queue, not to a 403.
    response = client.get("/helpdesk/ask/")
    assert response.status_code == 302
    assert response["Location"] == "/helpdesk/queue/"


def test_it_lists_only_the_askers_own_questions(personas, client, theme):
    mine = make_question(personas.pim, subject="Vraag over de werking")
    make_question(personas.alice, subject="Vraag van de coördinator")
    sign_in(client, personas.pim)
    response = client.get("/helpdesk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html
    assert "Vraag over de werking" in html
    assert "Vraag van de coördinator" not in html
    assert 'href="/helpdesk/ask/"' in html


def test_it_shows_an_empty_list_with_a_button_to_ask(personas, client):
    sign_in(client, personas.mona)
    html = client.get("/helpdesk/").content.decode()
    assert "No questions yet." in html
    assert 'href="/helpdesk/ask/"' in html


def test_it_keeps_the_list_of_my_questions_at_a_fixed_number_of_queries(
    personas, client, theme, django_assert_max_num_queries
):
    for _ in range(3):
        make_question(personas.pim)
    sign_in(client, personas.pim)
    client.get("/helpdesk/")
    for _ in range(10):
        make_question(personas.pim)
    with django_assert_max_num_queries(12):
        response = client.get("/helpdesk/")
    assert response.content.decode().count("/helpdesk/") >= 13


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get("/helpdesk/ask/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_accepts_a_real_pdf_as_attachment_by_content(personas, theme):
    question = make_question(personas.pim, attachments=[pdf("scan.exe", PDF)])
    assert question.attachments.get().extension == ".pdf"
