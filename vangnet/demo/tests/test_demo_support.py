"""The demo support desk: a year of helpdesk questions, the knowledge base, forum, practices."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.access import cell_for_user
from vangnet.cells.models import Cell, Membership, Role
from vangnet.demo.knowledge_content import DEMO_ITEMS, PLAYBOOK, PLAYBOOK_TAG, QA_TAG
from vangnet.demo.people import DEMO_DOMAIN
from vangnet.demo.support_content import FORUM_THREADS, SCENARIOS
from vangnet.forum.access import forum_access
from vangnet.forum.models import Post, SpaceKind, Thread
from vangnet.helpdesk.access import can_ask
from vangnet.helpdesk.models import (
    Attachment,
    CannedAnswer,
    Message,
    MessageKind,
    Question,
    QuestionStatus,
)
from vangnet.helpdesk.services import statistics_for_year, statistics_years
from vangnet.knowledge.models import (
    Audience,
    GoodPractice,
    Item,
    ItemFile,
    ItemKind,
    ItemStatus,
    PracticeStatus,
)
from vangnet.lib.personaldata import personal_data_find
from vangnet.lib.uploads import document_check
from vangnet.lib.workdays import Calendar, working_days_between
from vangnet.tests_support.personas import sign_in

# The demo is loaded once for the module (read only); its network part (events, coaching) is
# covered by test_demo_events.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_demo")]


def _staff() -> User:
    return User.objects.get(email=f"ondersteuning@{DEMO_DOMAIN}")


# --- Helpdesk ---------------------------------------------------------------------------------


def test_it_loads_a_year_of_questions_from_many_local_governments_with_their_figures():
    now = timezone.now()
    questions = list(Question.objects.select_related("theme"))
    assert len(questions) >= 120
    assert len({q.municipality_id for q in questions}) >= 45
    dates = sorted(q.created_at for q in questions)
    assert now - datetime.timedelta(days=365) <= dates[0] < now - datetime.timedelta(days=300)
    assert now - datetime.timedelta(days=1) < dates[-1] <= now
    # Spread over the year, not bunched: questions in at least ten different months.
    assert len({(d.year, d.month) for d in dates}) >= 10
    assert len({q.theme.slug for q in questions}) >= 8
    # Questions come from municipal staff of other local governments and from the demo cells.
    askers = User.objects.filter(questions__isnull=False).distinct()
    assert askers.filter(email__startswith="gemeente.").count() >= 45
    assert askers.filter(email__startswith="coordinator.").exists()
    # The yearly statistics say it in one sentence, per calendar year.
    total = 0
    for year in statistics_years():
        in_year = Question.objects.filter(created_at__year=year)
        count = in_year.count()
        governments = in_year.values("municipality").distinct().count()
        with translation.override("en"):
            figures = statistics_for_year(year)
            assert figures.sentence == (
                f"{count} questions from {governments} local governments in {year}"
            )
        total += figures.questions
    assert total == len(questions)


def test_vvsg_staff_answer_most_questions_within_a_few_working_days():
    staff = _staff()
    questions = list(Question.objects.all())
    statuses = [q.status for q in questions]
    assert statuses.count(QuestionStatus.ANSWERED) / len(questions) >= 0.8
    assert statuses.count(QuestionStatus.CLOSED) >= 3
    assert 1 <= statuses.count(QuestionStatus.NEW) <= 5
    assert 1 <= statuses.count(QuestionStatus.WAITING) <= 3
    assert statuses.count(QuestionStatus.IN_PROGRESS) >= 1
    replies = Message.objects.filter(kind=MessageKind.REPLY)
    assert set(replies.values_list("author", flat=True)) == {staff.pk}
    assert Message.objects.filter(kind=MessageKind.ASKER).exists()  # some follow-ups
    assert Message.objects.filter(kind=MessageKind.NOTE).exists()
    assert replies.filter(linked_items__isnull=False).exists()
    assert Attachment.objects.exists()
    calendar = Calendar.from_settings()
    responded = [q for q in questions if q.first_response_at is not None]
    days = [working_days_between(q.created_at, q.first_response_at, calendar) for q in responded]
    assert all(0.3 <= d <= 4.01 for d in days)
    late = [q for q in responded if q.sla_breached()]
    assert 0 < len(late) < len(responded) * 0.25  # some breaches, not many
    assert CannedAnswer.objects.count() >= 3
    # Three answered questions became FAQ items.
    with_faq = Question.objects.filter(faq_item__isnull=False).select_related("faq_item")
    assert with_faq.count() == 3
    for question in with_faq:
        assert question.first_response_at is not None
        item = question.faq_item
        assert item is not None
        assert (item.kind, item.status) == (ItemKind.FAQ, ItemStatus.PUBLISHED)
        assert item.published_at is not None and item.published_at < timezone.now()


def test_no_demo_text_is_flagged_by_the_personal_data_detector():
    texts = [text for q in Question.objects.all() for text in (q.subject, q.body)]
    texts += [m.body for m in Message.objects.all()]
    texts += [t.title for t in Thread.objects.all()] + [p.body for p in Post.objects.all()]
    texts += [
        text
        for p in GoodPractice.objects.all()
        for text in (p.title, p.context, p.approach, p.results, p.contact_role)
    ]
    assert len(texts) > 300
    flagged = {text[:60]: personal_data_find(text) for text in texts if personal_data_find(text)}
    assert flagged == {}
    # The content the year is generated from, too.
    sources = [s.question for s in SCENARIOS] + [s.answer for s in SCENARIOS]
    assert not [text for text in sources if personal_data_find(text)]


# --- Knowledge base -------------------------------------------------------------------------


def test_the_knowledge_base_has_the_playbook_the_qa_sheet_templates_and_a_public_part():
    published = Item.objects.published()
    playbook = published.filter(kind=ItemKind.PAGE, tags__name=PLAYBOOK_TAG)
    assert playbook.count() == len(PLAYBOOK) >= 7
    assert published.filter(kind=ItemKind.DOCUMENT, tags__name=PLAYBOOK_TAG).exists()
    assert published.filter(kind=ItemKind.FAQ, tags__name=QA_TAG).count() >= 15
    templates = published.filter(kind=ItemKind.TEMPLATE)
    assert templates.count() >= 5
    for item in (*templates, *published.filter(kind=ItemKind.PUBLICATION)):
        latest = item.files.first()
        assert latest is not None
        with latest.file.open("rb") as stored:
            checked = document_check(SimpleUploadedFile("x", stored.read()))
        assert checked.extension == latest.extension
        assert checked.sha256 == latest.sha256
    # Documents are versioned.
    assert ItemFile.objects.filter(version=2).exists()
    assert published.filter(kind=ItemKind.NEWS).count() >= 6
    assert published.filter(kind=ItemKind.PUBLICATION).count() >= 2
    # Spread over the year, with themes, tags and related items.
    moments = sorted(published.values_list("published_at", flat=True))
    assert moments[-1] - moments[0] > datetime.timedelta(days=200)
    assert published.filter(themes__isnull=False).distinct().count() == published.count()
    assert published.filter(related__isnull=False).distinct().count() >= len(DEMO_ITEMS) // 2
    # The public website part is not empty; most is for members, a little for staff only.
    public = Item.objects.visible_to(None)
    kinds = set(public.values_list("kind", flat=True))
    assert {ItemKind.NEWS, ItemKind.FAQ, ItemKind.PAGE, ItemKind.PUBLICATION} <= kinds
    assert ItemKind.GOOD_PRACTICE in kinds
    assert Item.objects.filter(audience=Audience.MEMBERS).count() > public.count()
    assert Item.objects.filter(audience=Audience.STAFF).exists()


# --- Forum and good practices ---------------------------------------------------------------


def test_local_governments_share_in_the_forum_and_through_good_practices():
    threads = list(Thread.objects.select_related("space"))
    assert len(threads) == len(FORUM_THREADS)
    kinds = {thread.space.kind for thread in threads}
    assert {SpaceKind.COORDINATORS, SpaceKind.CASE_MANAGERS, SpaceKind.PROVINCE} <= kinds
    for thread in threads:
        posts = list(Post.objects.filter(thread=thread).select_related("author"))
        assert len(posts) >= 2
        assert thread.created_at < thread.last_post_at < timezone.now()
        for post in posts:
            assert post.author is not None
            assert forum_access(post.author).allows(thread.space)
    # Three good practices are published, one awaits review by VVSG.
    practices = GoodPractice.objects.select_related("item")
    published = practices.filter(status=PracticeStatus.PUBLISHED)
    assert published.count() == 3
    assert all(p.item is not None and p.item.kind == ItemKind.GOOD_PRACTICE for p in published)
    assert practices.filter(status=PracticeStatus.SUBMITTED).count() == 1


# --- People ---------------------------------------------------------------------------------


def test_municipal_staff_use_the_support_pages_but_not_their_cell(client):
    member = User.objects.get(email=f"gemeente.mechelen@{DEMO_DOMAIN}")
    cell = Cell.objects.get(name="LIVC R Mechelen")
    with scopes_disabled():
        assert Membership.objects.filter(user=member, cell=cell, role=Role.MUNICIPAL_STAFF).exists()
    assert can_ask(member)
    with pytest.raises(Http404):
        cell_for_user(member, cell.pk)
    # The pages show the demo: the public knowledge base, the staff queue, the asker's questions.
    response = client.get("/knowledge/")
    assert response.status_code == 200
    assert "Nieuwe editie van het draaiboek LIVC R" in response.content.decode()
    sign_in(client, _staff())
    for url in ("/helpdesk/queue/", "/helpdesk/statistics/", "/forum/"):
        assert client.get(url).status_code == 200, url
    sign_in(client, member)
    for url in ("/helpdesk/", "/forum/", "/knowledge/"):
        assert client.get(url).status_code == 200, url
