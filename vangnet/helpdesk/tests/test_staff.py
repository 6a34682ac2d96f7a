from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
import time_machine
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from vangnet.accounts.models import PlatformRole
from vangnet.audit.models import AuditEvent
from vangnet.helpdesk.forms import StatusForm
from vangnet.helpdesk.models import (
    SLA_ANSWERED_LATE,
    SLA_OVERDUE,
    CannedAnswer,
    Message,
    MessageKind,
    QuestionStatus,
)
from vangnet.helpdesk.services import (
    canned_answer_save,
    question_asker_reply,
    question_assign,
    question_faq_create,
    question_status_set,
)
from vangnet.helpdesk.tests.factories import (
    BODY,
    SUBJECT,
    answer,
    at,
    make_question,
    mechelen,
    wingene,
)
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus, Theme
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(personas, theme):
    return make_question(personas.alice)


def url(question, suffix=""):
    return f"/helpdesk/{question.pk}/{suffix}"


def knowledge_item(title, *, audience=Audience.MEMBERS, status=ItemStatus.PUBLISHED):
    return Item.objects.create(
        kind=ItemKind.PUBLICATION, title=title, audience=audience, status=status, body="<p>x</p>"
    )


# --- Who may use the staff pages -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "pim", "mona", "olaf"])
def test_only_vvsg_staff_open_the_staff_pages(personas, client, who):
    canned = CannedAnswer.objects.create(title="Beroepsgeheim", body="Zie art. 458ter.")
    sign_in(client, getattr(personas, who))
    for path in ("/helpdesk/queue/", "/helpdesk/canned/", "/helpdesk/canned/new/"):
        assert client.get(path).status_code == 403, path
    assert client.get("/helpdesk/statistics/").status_code == 403
    assert client.get(f"/helpdesk/canned/{canned.pk}/").status_code == 404
    response = client.post("/helpdesk/canned/new/", {"title": "x", "body": "y", "active": "on"})
    assert response.status_code == 403
    assert CannedAnswer.objects.count() == 1


def test_the_services_refuse_people_who_are_not_vvsg_staff(personas, question):
    with pytest.raises(PermissionDenied):
        answer(question, personas.alice)
    with pytest.raises(PermissionDenied):
        question_status_set(question=question, status=QuestionStatus.CLOSED, actor=personas.alice)
    with pytest.raises(PermissionDenied):
        question_assign(question=question, assignee=None, actor=personas.pim)


# --- Queue ---------------------------------------------------------------------------------------


@pytest.fixture
def queue(personas, theme):
    """Five questions with different deadlines; times relative to 'now' = 2026-03-20 12:00."""
    other_theme = Theme.objects.get(slug="werking")
    with time_machine.travel(at("2026-03-20 12:00"), tick=False):
        overdue = make_question(personas.pim, now=at("2026-03-16 09:00"), subject="Te laat")
        late_answered = make_question(personas.alice, now=at("2026-03-10 09:00"), subject="Laat")
        answer(late_answered, personas.vera, now=at("2026-03-13 10:00"))
        fresh = make_question(
            personas.mona, now=at("2026-03-20 10:00"), subject="Nieuw", theme=other_theme
        )
        wingene_q = make_question(
            personas.walter, now=at("2026-03-19 10:00"), municipality=wingene(), subject="Wingene"
        )
        closed = make_question(personas.pim, now=at("2026-03-02 10:00"), subject="Gesloten")
        question_status_set(question=closed, status=QuestionStatus.CLOSED, actor=personas.vera)
        question_assign(question=fresh, assignee=personas.vera, actor=personas.vera)
    return {
        "overdue": overdue,
        "late_answered": late_answered,
        "fresh": fresh,
        "wingene": wingene_q,
        "closed": closed,
    }


def references(response):
    return [row.reference for row, _breached, _url in response.context["rows"]]


@time_machine.travel(at("2026-03-20 12:00"), tick=False)
def test_the_queue_shows_open_questions_by_deadline(personas, client, queue):
    sign_in(client, personas.vera)
    response = client.get("/helpdesk/queue/")
    assert response.status_code == 200
    assert references(response) == [
        queue["overdue"].reference,  # due Tuesday 17 March 17:00
        queue["wingene"].reference,
        queue["fresh"].reference,
    ]
    html = response.content.decode()
    assert "Te laat" in html and "Gesloten" not in html


@time_machine.travel(at("2026-03-20 12:00"), tick=False)
def test_the_queue_flags_overdue_questions_with_text_not_colour_only(personas, client, queue):
    sign_in(client, personas.vera)
    response = client.get("/helpdesk/queue/")
    flags = {row.reference: sla for row, sla, _url in response.context["rows"]}
    assert flags[queue["overdue"].reference] == SLA_OVERDUE
    assert flags[queue["fresh"].reference] == ""
    html = response.content.decode()
    assert html.count('class="sla-breached"') == 1
    assert "Overdue: no first reply yet" in html
    assert "answered late" not in html


@time_machine.travel(at("2026-03-20 12:00"), tick=False)
def test_the_queue_shows_a_late_first_reply_as_history_not_as_a_breach_to_act_on(
    personas, client, queue
):
    # The asker followed up: the late-answered question is open again, but its first reply
    # (late) is sent. Only text says so; the row is not highlighted.
    question_asker_reply(
        question=queue["late_answered"], author=personas.alice, body="Nog een vraag."
    )
    closed = queue["closed"]  # closed without a reply, long past its deadline
    sign_in(client, personas.vera)
    response = client.get("/helpdesk/queue/")
    flags = {row.reference: sla for row, sla, _url in response.context["rows"]}
    assert flags[queue["late_answered"].reference] == SLA_ANSWERED_LATE
    html = response.content.decode()
    assert html.count('class="sla-breached"') == 1  # only the overdue one
    assert html.count("answered late") == 1
    assert html.count("Overdue: no first reply yet") == 1
    response = client.get("/helpdesk/queue/?status=all")
    flags = {row.reference: sla for row, sla, _url in response.context["rows"]}
    assert flags[closed.reference] == ""
    # The same on the question pages.
    html = client.get(url(queue["late_answered"])).content.decode()
    assert "First reply was late" in html and "Overdue" not in html
    html = client.get(url(queue["overdue"])).content.decode()
    assert "Overdue: no first reply yet" in html
    html = client.get(url(closed)).content.decode()
    assert "Overdue" not in html and "First reply was late" not in html


@time_machine.travel(at("2026-03-20 12:00"), tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=all", ["closed", "late_answered", "overdue", "wingene", "fresh"]),
        ("status=answered", ["late_answered"]),
        ("status=closed", ["closed"]),
        ("theme=THEME", ["fresh"]),
        ("assigned=me", ["fresh"]),
        ("assigned=nobody", ["overdue", "wingene"]),
        ("municipality=37021", ["wingene"]),
        ("assigned=nobody&municipality=37021&status=all", ["wingene"]),
        ("assigned=me&theme=THEME&status=all", ["fresh"]),
        ("breached=on", ["overdue"]),
        # Only open questions without a first reply after the deadline: not a late reply,
        # not a question closed without a reply.
        ("breached=on&status=all", ["overdue"]),
        ("breached=on&status=closed", []),
        ("status=bogus&theme=nonsense", ["overdue", "wingene", "fresh"]),  # ignored
    ],
)
def test_the_queue_filters(personas, client, queue, query, expected):
    query = query.replace("THEME", str(Theme.objects.get(slug="werking").pk))
    sign_in(client, personas.vera)
    response = client.get(f"/helpdesk/queue/?{query}")
    assert response.status_code == 200
    assert references(response) == [queue[name].reference for name in expected]


def test_the_queue_keeps_a_fixed_number_of_queries(
    personas, client, theme, django_assert_max_num_queries
):
    sign_in(client, personas.vera)
    make_question(personas.pim)
    client.get("/helpdesk/queue/")
    for who in (personas.alice, personas.mona, personas.walter) * 4:
        question = make_question(who, municipality=wingene() if who == personas.walter else None)
        question_assign(question=question, assignee=personas.vera, actor=personas.vera)
    # 17: on PostgreSQL the audit event of the queue view also takes an advisory lock.
    with django_assert_max_num_queries(17):
        response = client.get("/helpdesk/queue/?status=all")
    assert len(response.context["rows"]) == 13


def test_the_queue_paginates_and_keeps_the_filters(personas, client, theme, monkeypatch):
    from vangnet.helpdesk import services
    from vangnet.lib.prepared import PreparedPage

    monkeypatch.setattr(services, "_queue_pages", PreparedPage(services._queue, 2))
    sign_in(client, personas.vera)
    for _ in range(3):
        make_question(personas.pim)
    first = client.get("/helpdesk/queue/?status=all")
    second = client.get("/helpdesk/queue/?status=all&page=2")
    assert len(first.context["rows"]) == 2
    assert "page=2" in first.content.decode()
    assert "status=all" in first.content.decode()
    assert len(second.context["rows"]) == 1


# --- Replies -------------------------------------------------------------------------------------


def test_a_reply_mails_the_asker_without_any_content(
    personas, client, question, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://vangnet.example"
    sign_in(client, personas.vera)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(question, "reply/"),
            {"body": "U mag dit delen binnen het kader van art. 458ter.", "status": "answered"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == [personas.alice.email]
    assert sent.subject == f"Your question {question.reference} has an answer"
    assert f"https://vangnet.example/helpdesk/{question.pk}/" in sent.body
    for text in (SUBJECT, BODY, "OCMW", "art. 458ter", "casusoverleg"):
        assert text not in sent.subject
        assert text not in sent.body
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.first_response_at is not None
    assert question.answered_at == question.first_response_at


def test_only_the_first_reply_stops_the_sla_clock(personas, question):
    answer(question, personas.vera, now=at("2030-01-07 10:00"))
    answer(question, personas.vera, now=at("2030-01-08 10:00"))
    question.refresh_from_db()
    assert question.first_response_at == at("2030-01-07 10:00")
    assert question.answered_at == at("2030-01-08 10:00")


def test_a_reply_can_ask_the_asker_for_more(personas, client, question, mailoutbox):
    sign_in(client, personas.vera)
    response = client.post(
        url(question, "reply/"), {"body": "Over welke fase gaat het?", "status": "waiting"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING
    assert question.first_response_at is not None
    assert question.answered_at is None


def test_an_empty_reply_is_refused(personas, client, question, mailoutbox):
    sign_in(client, personas.vera)
    response = client.post(url(question, "reply/"), {"body": "  ", "status": "answered"})
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_a_canned_answer_prefills_the_reply(personas, client, question):
    canned = CannedAnswer.objects.create(
        title="Beroepsgeheim", body="Het gedeeld beroepsgeheim geldt enkel binnen de cel."
    )
    inactive = CannedAnswer.objects.create(title="Oud", body="Verouderde tekst", active=False)
    sign_in(client, personas.vera)
    html = client.get(url(question)).content.decode()
    assert "Beroepsgeheim" in html and "Verouderde tekst" not in html
    assert "Het gedeeld beroepsgeheim geldt" not in html
    html = client.get(url(question) + f"?canned={canned.pk}").content.decode()
    assert (
        '<textarea name="body" cols="40" rows="10" maxlength="10000" required '
        'id="reply-body">\nHet gedeeld beroepsgeheim geldt enkel binnen de cel.</textarea>'
    ) in html
    assert (
        "Verouderde tekst"
        not in client.get(url(question) + f"?canned={inactive.pk}").content.decode()
    )
    assert client.get(url(question) + "?canned=nonsense").status_code == 200


def test_a_reply_links_published_knowledge_items(personas, client, question):
    guide = knowledge_item("Draaiboek LIVC R")
    internal = knowledge_item("Interne werkinstructie", audience=Audience.STAFF)
    draft = knowledge_item("Ontwerp", status=ItemStatus.DRAFT)
    sign_in(client, personas.vera)
    html = client.get(url(question)).content.decode()
    assert "Draaiboek LIVC R" in html
    assert "Interne werkinstructie" not in html and "Ontwerp" not in html
    for bad in (internal, draft):
        response = client.post(
            url(question, "reply/"),
            {"body": "Zie het item.", "status": "answered", "linked_items": [str(bad.pk)]},
        )
        assert response.status_code == 200
    assert not Message.objects.exists()
    response = client.post(
        url(question, "reply/"),
        {"body": "Zie het draaiboek.", "status": "answered", "linked_items": [str(guide.pk)]},
    )
    assert response.status_code == 302
    reply = Message.objects.get(kind=MessageKind.REPLY)
    assert list(reply.linked_items.all()) == [guide]
    asker = type(client)()
    sign_in(asker, personas.alice)
    html = asker.get(url(question)).content.decode()
    assert f'<a href="/knowledge/{guide.pk}/">Draaiboek LIVC R</a>' in html


def test_staff_reading_a_question_page_shown_again_after_an_error_is_audited(
    personas, client, question
):
    sign_in(client, personas.vera)
    for suffix, data in [
        ("note/", {"body": ""}),
        ("reply/", {"body": "", "status": "answered"}),
        ("assign/", {"assignee": "nonsense"}),
        ("status/", {"status": "bogus"}),
    ]:
        response = client.post(url(question, suffix), data)
        assert response.status_code == 200, suffix
        assert BODY in response.content.decode()  # the question's text is shown again
    events = AuditEvent.objects.filter(action="helpdesk.question.viewed")
    assert events.count() == 4
    assert {(e.object_id, e.actor_id) for e in events} == {
        (str(question.pk), str(personas.vera.pk))
    }


def test_an_internal_note_stays_with_staff(personas, client, question):
    sign_in(client, personas.vera)
    response = client.post(url(question, "note/"), {"body": "Bellen met de coördinator."})
    assert response.status_code == 302
    note = Message.objects.get()
    assert note.kind == MessageKind.NOTE
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert question.first_response_at is None
    asker = type(client)()
    sign_in(asker, personas.alice)
    assert "Bellen met de coördinator." not in asker.get(url(question)).content.decode()
    assert client.post(url(question, "note/"), {"body": ""}).status_code == 200
    assert Message.objects.count() == 1


# --- Assignment and status -----------------------------------------------------------------------


def test_staff_assign_a_question_to_a_colleague_or_nobody(personas, client, question):
    wim = make_user("wim@vvsg.example", "Wim VVSG", platform_role=PlatformRole.VVSG_STAFF)
    sign_in(client, personas.vera)
    assert client.post(url(question, "assign/"), {"assignee": str(wim.pk)}).status_code == 302
    question.refresh_from_db()
    assert question.assigned_to == wim
    # Someone who is not VVSG staff is not a choice.
    assert client.post(
        url(question, "assign/"), {"assignee": str(personas.pim.pk)}
    ).status_code == (200)
    question.refresh_from_db()
    assert question.assigned_to == wim
    assert client.post(url(question, "assign/"), {"assignee": ""}).status_code == 302
    question.refresh_from_db()
    assert question.assigned_to is None
    assert AuditEvent.objects.filter(action="helpdesk.question.assigned").count() == 2
    with pytest.raises(ValidationError):
        question_assign(question=question, assignee=personas.pim, actor=personas.vera)


def test_status_changes_follow_the_allowed_transitions(personas, client, question):
    sign_in(client, personas.vera)
    # A new question cannot be marked answered (or waiting) without a reply.
    for status in ("answered", "waiting"):
        response = client.post(url(question, "status/"), {"status": status})
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()
        assert f"Select a valid choice. {status} is not one of the available choices." in (
            response.content.decode()
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW

    assert client.post(url(question, "status/"), {"status": "in_progress"}).status_code == 302
    assert client.post(url(question, "status/"), {"status": "closed"}).status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED
    assert question.closed_at is not None

    # Closed: no reply until it is reopened.
    response = client.post(url(question, "reply/"), {"body": "Toch nog", "status": "answered"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This question is closed. Reopen it before replying." in html
    assert ">\nToch nog</textarea>" in html  # the typed reply is kept
    assert not Message.objects.exists()

    assert client.post(url(question, "status/"), {"status": "in_progress"}).status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.IN_PROGRESS
    assert question.closed_at is None
    events = AuditEvent.objects.filter(action="helpdesk.question.status_changed")
    assert [(e.data["from"], e.data["to"]) for e in events.order_by("position")] == [
        ("new", "in_progress"),
        ("in_progress", "closed"),
        ("closed", "in_progress"),
    ]


def test_the_service_refuses_an_unknown_transition(personas, question):
    with pytest.raises(ValidationError):
        question_status_set(question=question, status=QuestionStatus.ANSWERED, actor=personas.vera)
    with pytest.raises(ValidationError):
        question_status_set(question=question, status="bogus", actor=personas.vera)


def test_only_a_reply_answers_a_question_or_makes_it_wait_for_the_asker(personas, question):
    # new -> waiting by hand is gone; in progress -> answered or waiting needs a reply.
    with pytest.raises(ValidationError) as refused:
        question_status_set(question=question, status=QuestionStatus.WAITING, actor=personas.vera)
    assert refused.value.code == "no_reply"
    question_status_set(question=question, status=QuestionStatus.IN_PROGRESS, actor=personas.vera)
    choices = [value for value, _label in StatusForm(question=question).fields["status"].choices]
    assert choices == [QuestionStatus.CLOSED]
    for status in (QuestionStatus.ANSWERED, QuestionStatus.WAITING):
        with pytest.raises(ValidationError) as refused:
            question_status_set(question=question, status=status, actor=personas.vera)
        assert refused.value.code == "no_reply"
    question.refresh_from_db()
    assert (question.status, question.answered_at, question.first_response_at) == (
        QuestionStatus.IN_PROGRESS,
        None,
        None,
    )
    # After a reply both are there by hand (e.g. the asker's follow-up needed no new reply).
    answer(question, personas.vera, status=QuestionStatus.WAITING)
    question_status_set(question=question, status=QuestionStatus.IN_PROGRESS, actor=personas.vera)
    choices = [value for value, _label in StatusForm(question=question).fields["status"].choices]
    assert choices == [QuestionStatus.WAITING, QuestionStatus.ANSWERED, QuestionStatus.CLOSED]
    question_status_set(question=question, status=QuestionStatus.ANSWERED, actor=personas.vera)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_at is not None


def test_the_status_form_offers_no_answer_without_a_reply(personas, client, question):
    question_status_set(question=question, status=QuestionStatus.IN_PROGRESS, actor=personas.vera)
    sign_in(client, personas.vera)
    html = client.get(url(question)).content.decode()
    assert '<select name="status" id="status-status">' in html
    status_select = html.split('<select name="status" id="status-status">')[1].split("</select>")[0]
    assert 'value="answered"' not in status_select
    assert 'value="waiting"' not in status_select
    assert 'value="closed"' in status_select
    response = client.post(url(question, "status/"), {"status": "answered"})
    assert response.status_code == 200
    assert "answered is not one of the available choices" in response.content.decode()


# --- FAQ items -----------------------------------------------------------------------------------


def test_a_faq_item_needs_an_answered_question(personas, client, question):
    sign_in(client, personas.vera)
    response = client.get(url(question, "faq/"))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        question_faq_create(
            question=question,
            actor=personas.vera,
            title="Vraag",
            body="<p>Antwoord</p>",
            audience=Audience.PUBLIC,
            theme=None,
        )
    assert not Item.objects.filter(kind=ItemKind.FAQ).exists()


def test_the_faq_form_suggests_the_question_and_the_last_reply(personas, client, question):
    answer(question, personas.vera, body="Eerste antwoord.")
    answer(question, personas.vera, body="Het laatste antwoord <script>.")
    sign_in(client, personas.vera)
    response = client.get(url(question, "faq/"))
    html = response.content.decode()
    assert response.status_code == 200
    assert SUBJECT in html
    assert "Het laatste antwoord &amp;lt;script&amp;gt;." in html  # escaped, then escaped again
    assert "Eerste antwoord." not in html


def test_staff_turn_an_answered_question_into_an_anonymous_faq_item(personas, client, question):
    answer(question, personas.vera)
    theme = Theme.objects.get(slug="beroepsgeheim")
    sign_in(client, personas.vera)
    data = {
        "title": "Mag een coördinator verslagen delen met partners buiten de cel?",
        "body": "<p>Bel Jan op 0470 12 34 56.</p>",
        "theme": str(theme.pk),
        "audience": Audience.PUBLIC,
        "status": ItemStatus.PUBLISHED,
    }
    response = client.post(url(question, "faq/"), data)
    assert response.status_code == 200
    assert "Possible personal data" in response.content.decode()
    assert not Item.objects.filter(kind=ItemKind.FAQ).exists()

    response = client.post(url(question, "faq/"), {**data, "body": "<p>x</p><script>x</script>"})
    assert response.status_code == 200
    assert not Item.objects.filter(kind=ItemKind.FAQ).exists()

    data["body"] = "<p>Verslagen van het casusoverleg blijven binnen de cel (art. 458ter).</p>"
    response = client.post(url(question, "faq/"), data)
    assert response.status_code == 302
    # Messages travel in a cookie: the title (content) is not in it.
    storage = CookieStorage(RequestFactory().get("/"))
    sent = storage._decode(response.cookies["messages"].value)
    assert [str(m.message) for m in sent] == ["The FAQ item is made."]
    item = Item.objects.get(kind=ItemKind.FAQ)
    question.refresh_from_db()
    assert question.faq_item == item
    assert item.status == ItemStatus.PUBLISHED
    assert item.audience == Audience.PUBLIC
    assert list(item.themes.all()) == [theme]
    assert item.created_by == personas.vera
    assert "blijven binnen de cel" in item.body_text
    assert client.get(url(question, "faq/")).status_code == 302  # only one FAQ per question
    assert "Made into the FAQ item" in client.get(url(question)).content.decode()

    if importlib.util.find_spec("vangnet.knowledge.search") is None:
        pytest.skip("vangnet.knowledge.search does not exist yet")
    from vangnet.knowledge.search import items_search

    found = items_search("casusoverleg", user=personas.alice)
    assert item in list(found)


# --- Canned answers ------------------------------------------------------------------------------


def test_staff_keep_canned_answers(personas, client, theme):
    sign_in(client, personas.vera)
    assert "No canned answers yet." in client.get("/helpdesk/canned/").content.decode()
    response = client.post(
        "/helpdesk/canned/new/",
        {
            "title": "Beroepsgeheim",
            "body": "Zie art. 458ter.",
            "theme": str(theme.pk),
            "active": "on",
        },
    )
    assert response.status_code == 302
    canned = CannedAnswer.objects.get()
    assert canned.theme == theme and canned.active
    response = client.post(
        f"/helpdesk/canned/{canned.pk}/", {"title": "Beroepsgeheim", "body": "Nieuwe tekst."}
    )
    assert response.status_code == 302
    canned.refresh_from_db()
    assert canned.body == "Nieuwe tekst." and not canned.active
    assert "Beroepsgeheim" in client.get("/helpdesk/canned/").content.decode()
    assert AuditEvent.objects.filter(action__startswith="helpdesk.canned.").count() == 2


def test_canned_answers_need_a_unique_title_and_a_text(personas, client):
    canned_answer_save(
        canned=None, actor=personas.vera, title="Privacy", body="Tekst", theme=None, active=True
    )
    sign_in(client, personas.vera)
    for data in (
        {"title": "privacy", "body": "Andere tekst"},
        {"title": "Nieuw", "body": ""},
        {"title": "x" * 151, "body": "Tekst"},
    ):
        response = client.post("/helpdesk/canned/new/", data)
        assert response.status_code == 200
    assert CannedAnswer.objects.count() == 1


def test_staff_reply_dates_are_stored_as_given(personas, theme):
    # The demo creates a year of history through the same services: every step keeps the
    # moment it is given, in the database, not just on the instance.
    asked = make_question(personas.alice, now=at("2026-03-02 10:00"))  # a Monday
    waiting = answer(
        asked, personas.vera, now=at("2026-03-03 11:00"), status=QuestionStatus.WAITING
    )
    follow_up = question_asker_reply(
        question=asked,
        author=personas.alice,
        body="Het gaat om de intake.",
        now=at("2026-03-04 09:30"),
    )
    final = answer(asked, personas.vera, now=at("2026-03-05 14:00"))
    question_status_set(
        question=asked,
        status=QuestionStatus.CLOSED,
        actor=personas.vera,
        now=at("2026-03-20 16:00"),
    )
    asked = type(asked).objects.get(pk=asked.pk)
    assert asked.created_at == at("2026-03-02 10:00")
    assert asked.due_at == at("2026-03-04 10:00")  # two working days later
    assert asked.first_response_at == at("2026-03-03 11:00")  # the first reply, not the last
    assert asked.answered_at == at("2026-03-05 14:00")
    assert asked.closed_at == at("2026-03-20 16:00")
    assert not asked.sla_breached()
    stored = {m.pk: m.created_at for m in Message.objects.filter(question=asked)}
    assert stored == {
        waiting.pk: at("2026-03-03 11:00"),
        follow_up.pk: at("2026-03-04 09:30"),
        final.pk: at("2026-03-05 14:00"),
    }
    for moment in (*stored.values(), asked.first_response_at):
        assert isinstance(moment, dt.datetime) and moment.tzinfo is not None


def test_a_late_first_reply_given_in_the_past_counts_as_late(personas, theme):
    asked = make_question(personas.alice, now=at("2026-03-02 10:00"))
    answer(asked, personas.vera, now=at("2026-03-04 10:30"))  # half an hour after the deadline
    asked.refresh_from_db()
    assert asked.first_response_at == at("2026-03-04 10:30")
    assert asked.answered_late and asked.sla_breached()


def test_the_municipality_filter_lists_those_that_asked_kept_like_the_aggregates(
    personas, client, theme, settings
):
    from vangnet.lib.aggregates import aggregates_forget

    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 600
    aggregates_forget()
    make_question(personas.pim)  # Mechelen
    sign_in(client, personas.vera)

    def options():
        form = client.get("/helpdesk/queue/").context["form"]
        return [code for code, _name in form.fields["municipality"].widget.choices if code]

    assert options() == [mechelen().nis_code]
    make_question(personas.walter, municipality=wingene())
    assert options() == [mechelen().nis_code]  # within the cache period
    # Not yet among the options, but a filter on it (a link, another worker) still works.
    filtered = client.get(f"/helpdesk/queue/?municipality={wingene().nis_code}")
    assert [q.municipality_id for q, _sla, _url in filtered.context["rows"]] == [wingene().nis_code]
    unknown = client.get("/helpdesk/queue/?municipality=99999")
    assert unknown.status_code == 200 and "municipality" in unknown.context["form"].errors
    aggregates_forget()
    assert sorted(options()) == sorted([mechelen().nis_code, wingene().nis_code])


def test_the_open_queue_names_its_statuses_in_the_sql_for_the_partial_index(personas, client):
    """A prepared statement's generic plan can use the index of open questions only when the
    statuses are in the SQL text, not bound (lib/prepared.in_constants)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, personas.vera)
    make_question(personas.pim)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/helpdesk/queue/").status_code == 200
    on_status = [
        q["sql"] for q in captured.captured_queries if '"helpdesk_question"."status"' in q["sql"]
    ]
    assert len(on_status) == 2  # the page's count and its rows
    assert all("\"status\" IN ('new', 'in_progress', 'waiting')" in sql for sql in on_status)
