from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Membership, Role
from vangnet.cells.services import membership_add, membership_end
from vangnet.helpdesk.models import Message, MessageKind, QuestionStatus
from vangnet.helpdesk.services import (
    question_asker_reply,
    question_note_add,
    question_status_set,
    statistics_for_year,
)
from vangnet.helpdesk.tests.factories import (
    BODY,
    BRUSSELS,
    PDF,
    SUBJECT,
    answer,
    make_question,
    pdf,
)
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

NOTE = "Intern: eerder gelijkaardige vraag uit dezelfde regio."


@pytest.fixture
def question(personas, theme):
    return make_question(personas.alice, attachments=[pdf()])


def url(question, suffix=""):
    return f"/helpdesk/{question.pk}/{suffix}"


def test_the_asker_sees_their_question_and_the_replies_but_not_internal_notes(
    personas, client, question
):
    question_note_add(question=question, author=personas.vera, body=NOTE)
    answer(question, personas.vera, body="Dit is het antwoord van VVSG.")
    sign_in(client, personas.alice)
    response = client.get(url(question))
    html = response.content.decode()
    assert response.status_code == 200
    assert SUBJECT in html and BODY in html
    assert "Dit is het antwoord van VVSG." in html
    assert NOTE not in html
    assert "Internal note" not in html
    assert f"/helpdesk/{question.pk}/reply/" not in html  # no staff forms
    assert not AuditEvent.objects.filter(action="helpdesk.question.viewed").exists()


@pytest.mark.parametrize("who", ["pim", "olaf", "walter", "mona", "bob"])
def test_nobody_else_can_open_a_question(personas, client, question, who):
    sign_in(client, getattr(personas, who))
    assert client.get(url(question)).status_code == 404
    attachment = question.attachments.get()
    assert client.get(url(question, f"attachments/{attachment.pk}/")).status_code == 404


def test_even_the_coordinator_cannot_open_a_partners_question(personas, client, theme):
    question = make_question(personas.pim)
    sign_in(client, personas.alice)
    assert client.get(url(question)).status_code == 404


def test_replying_on_a_question_that_is_not_yours_gives_404_and_changes_nothing(
    personas, client, question
):
    sign_in(client, personas.pim)
    for suffix, data in [
        ("follow-up/", {"body": "Ik wil ook iets weten."}),
        ("reply/", {"body": "Antwoord", "status": "answered"}),
        ("note/", {"body": "Notitie"}),
        ("status/", {"status": "closed"}),
        ("assign/", {"assignee": ""}),
        ("faq/", {"title": "x", "body": "y", "audience": "public", "status": "draft"}),
    ]:
        assert client.post(url(question, suffix), data).status_code == 404, suffix
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert not Message.objects.exists()


def test_the_asker_cannot_use_the_staff_actions(personas, client, question):
    sign_in(client, personas.alice)
    assert client.post(url(question, "reply/"), {"body": "Zelf geantwoord"}).status_code == 404
    assert client.post(url(question, "note/"), {"body": "Zelf genoteerd"}).status_code == 404
    assert (
        client.post(url(question, "assign/"), {"assignee": str(personas.vera.pk)}).status_code
        == 404
    )
    assert client.post(url(question, "status/"), {"status": "closed"}).status_code == 404
    assert client.get(url(question, "faq/")).status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert question.first_response_at is None
    assert question.assigned_to is None
    assert not Message.objects.exists()


def test_the_asker_adds_a_follow_up_that_puts_an_answered_question_back_in_progress(
    personas, client, question
):
    answer(question, personas.vera)
    sign_in(client, personas.alice)
    response = client.post(
        url(question, "follow-up/"),
        {"body": "Dank u. Geldt dit ook voor de politie?", "attachments": [pdf()]},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.IN_PROGRESS
    message = question.messages.get(kind=MessageKind.ASKER)
    assert message.author == personas.alice
    assert message.attachments.count() == 1


def test_a_waiting_question_goes_back_in_progress_when_the_asker_replies(
    personas, client, question
):
    answer(question, personas.vera, status=QuestionStatus.WAITING)
    sign_in(client, personas.alice)
    client.post(url(question, "follow-up/"), {"body": "Hier is de gevraagde toelichting."})
    question.refresh_from_db()
    assert question.status == QuestionStatus.IN_PROGRESS


def test_a_follow_up_is_checked_for_personal_data(personas, client, question):
    sign_in(client, personas.alice)
    data = {"body": "Bel mij op 0470 12 34 56."}
    response = client.post(url(question, "follow-up/"), data)
    assert response.status_code == 200
    assert "Possible personal data" in response.content.decode()
    assert not Message.objects.exists()
    response = client.post(url(question, "follow-up/"), {**data, "personal_data_confirmed": "on"})
    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_an_empty_or_oversized_follow_up_is_refused(personas, client, question):
    sign_in(client, personas.alice)
    for body in ("", "   ", "x" * 10_001):
        response = client.post(url(question, "follow-up/"), {"body": body})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
    assert not Message.objects.exists()


def test_a_closed_question_takes_no_follow_up(personas, client, question):
    question_status_set(question=question, status=QuestionStatus.CLOSED, actor=personas.vera)
    sign_in(client, personas.alice)
    html = client.get(url(question)).content.decode()
    assert "This question is closed." in html
    assert f"/helpdesk/{question.pk}/follow-up/" not in html
    response = client.post(url(question, "follow-up/"), {"body": "Nog een vraag"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This question is closed. Ask a new question instead." in html
    assert ">\nNog een vraag</textarea>" in html  # the typed text is kept to copy
    assert 'href="/helpdesk/ask/"' in html
    assert not Message.objects.exists()


def test_a_follow_up_on_a_question_closed_meanwhile_shows_why_and_keeps_the_text(
    personas, client, question
):
    sign_in(client, personas.alice)
    assert f"/helpdesk/{question.pk}/follow-up/" in client.get(url(question)).content.decode()
    # A colleague closes the question while the asker is typing.
    question_status_set(question=question, status=QuestionStatus.CLOSED, actor=personas.vera)
    text = "Een lange toelichting die niet verloren mag gaan."
    response = client.post(url(question, "follow-up/"), {"body": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the following" in html
    assert "This question is closed. Ask a new question instead." in html
    assert text in html
    assert not Message.objects.exists()


def test_the_asker_and_staff_download_an_attachment_under_a_neutral_name(
    personas, client, question
):
    attachment = question.attachments.get()
    for user in (personas.alice, personas.vera):
        sign_in(client, user)
        response = client.get(url(question, f"attachments/{attachment.pk}/"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert 'filename="bijlage-1.pdf"' in disposition
        assert "Peeters" not in disposition
    assert AuditEvent.objects.filter(action="helpdesk.attachment.downloaded").count() == 2


def test_an_attachment_of_another_question_is_not_found(personas, client, question, theme):
    other = make_question(personas.pim, attachments=[pdf()])
    sign_in(client, personas.alice)
    foreign = other.attachments.get()
    assert client.get(url(question, f"attachments/{foreign.pk}/")).status_code == 404


def test_staff_see_everything_and_their_reading_is_audited(personas, client, question):
    question_note_add(question=question, author=personas.vera, body=NOTE)
    sign_in(client, personas.vera)
    response = client.get(url(question))
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE in html and BODY in html
    for suffix in ("reply/", "note/", "assign/", "status/"):
        assert f"/helpdesk/{question.pk}/{suffix}" in html
    event = AuditEvent.objects.get(action="helpdesk.question.viewed")
    assert event.object_id == str(question.pk)
    assert event.actor_id == str(personas.vera.pk)


def test_an_unknown_question_is_not_found(personas, client):
    sign_in(client, personas.vera)
    assert client.get("/helpdesk/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- An asker who left the local government ---------------------------------------------------


def end_membership(user):
    with scopes_disabled():
        membership = Membership.objects.get(user=user, ended_at__isnull=True)
    membership_end(membership=membership)


@pytest.fixture
def monas_question(personas, theme):
    question = make_question(personas.mona, attachments=[pdf()])
    answer(question, personas.vera, body="Het antwoord aan Mona.")
    return question


def test_after_their_membership_ended_the_asker_no_longer_sees_their_questions(
    personas, client, monas_question
):
    end_membership(personas.mona)
    sign_in(client, personas.mona)
    for path in ("/helpdesk/", "/helpdesk/ask/"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert "The helpdesk is for local governments" in html
        assert monas_question.reference not in html
    attachment = monas_question.attachments.get()
    for path in (url(monas_question), url(monas_question, f"attachments/{attachment.pk}/")):
        assert client.get(path).status_code == 404, path
    response = client.post(url(monas_question, "follow-up/"), {"body": "Nog een vraag"})
    assert response.status_code == 404
    assert not Message.objects.filter(kind=MessageKind.ASKER).exists()


def test_after_their_membership_ended_the_service_refuses_a_follow_up(personas, monas_question):
    end_membership(personas.mona)
    with pytest.raises(PermissionDenied):
        question_asker_reply(question=monas_question, author=personas.mona, body="Nog iets")
    assert not Message.objects.filter(kind=MessageKind.ASKER).exists()


def test_the_question_of_someone_who_left_stays_for_vvsg_and_the_statistics(
    personas, client, monas_question
):
    end_membership(personas.mona)
    sign_in(client, personas.vera)
    assert client.get(url(monas_question)).status_code == 200
    year = monas_question.created_at.astimezone(BRUSSELS).year
    assert statistics_for_year(year).questions == 1


def test_an_asker_who_moved_to_another_local_government_loses_the_old_questions(
    personas, client, question
):
    # Alice leaves Mechelen and now works for Wingene: she may ask again, for Wingene only.
    with scopes_disabled():
        alice_in_wingene = membership_add(
            cell=personas.wingene, user=personas.alice, role=Role.MUNICIPAL_STAFF
        )
        Membership.objects.filter(user=personas.alice, cell=personas.mechelen).update(
            ended_at=timezone.now()
        )
    assert alice_in_wingene.ended_at is None
    sign_in(client, personas.alice)
    response = client.get("/helpdesk/")
    assert response.status_code == 200
    assert question.reference not in response.content.decode()
    assert client.get(url(question)).status_code == 404
    assert client.post(url(question, "follow-up/"), {"body": "Nog iets"}).status_code == 404
    with pytest.raises(PermissionDenied):
        question_asker_reply(question=question, author=personas.alice, body="Nog iets")


# --- Knowledge items linked in a reply -----------------------------------------------------------


def test_the_asker_sees_only_linked_items_that_are_still_published_and_for_them(
    personas, client, question
):
    guide = Item.objects.create(
        kind=ItemKind.PUBLICATION,
        title="Draaiboek LIVC R",
        audience=Audience.MEMBERS,
        status=ItemStatus.PUBLISHED,
        body="<p>x</p>",
    )
    sheet = Item.objects.create(
        kind=ItemKind.PUBLICATION,
        title="V&A-fiche beroepsgeheim",
        audience=Audience.PUBLIC,
        status=ItemStatus.PUBLISHED,
        body="<p>x</p>",
    )
    template = Item.objects.create(
        kind=ItemKind.TEMPLATE,
        title="Sjabloon informatiedeling",
        audience=Audience.MEMBERS,
        status=ItemStatus.PUBLISHED,
        body="<p>x</p>",
    )
    answer(question, personas.vera, linked_items=[guide, sheet, template])
    # Later, VVSG withdraws one and makes another internal.
    Item.objects.filter(pk=guide.pk).update(status=ItemStatus.DRAFT)
    Item.objects.filter(pk=template.pk).update(audience=Audience.STAFF)
    sign_in(client, personas.alice)
    html = client.get(url(question)).content.decode()
    assert "V&amp;A-fiche beroepsgeheim" in html
    assert "Draaiboek LIVC R" not in html
    assert "Sjabloon informatiedeling" not in html
    sign_in(client, personas.vera)  # staff still see what was linked
    html = client.get(url(question)).content.decode()
    assert html.count("Draaiboek LIVC R") >= 1
    assert "Sjabloon informatiedeling" in html
