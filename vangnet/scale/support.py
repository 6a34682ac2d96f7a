"""VVSG's support desk: the knowledge base and two years of helpdesk questions."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import TYPE_CHECKING

from vangnet.helpdesk.models import Message, MessageKind, Question, QuestionCounter, QuestionStatus
from vangnet.helpdesk.services import sla_deadline
from vangnet.knowledge.models import (
    Audience,
    Item,
    ItemKind,
    ItemStatus,
    Tag,
    Theme,
    search_vector_refresh,
)
from vangnet.lib.richtext import richtext_to_text
from vangnet.scale import texts
from vangnet.scale.world import CellPlan, World, new_id

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.scale.services import Scale

QUESTION_DAYS = 730
RECENT_EVERY = 40
KIND_WEIGHTS = {
    ItemKind.NEWS: 25,
    ItemKind.PUBLICATION: 10,
    ItemKind.GOOD_PRACTICE: 10,
    ItemKind.FAQ: 25,
    ItemKind.DOCUMENT: 10,
    ItemKind.TEMPLATE: 10,
    ItemKind.PAGE: 10,
}


# --- Knowledge base ------------------------------------------------------------------------------


def knowledge_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("knowledge")
    themes = list(Theme.objects.order_by("position", "slug"))
    tags = [_tag(rng, name) for name in texts.TAGS]
    items, theme_links, tag_links = [], [], []
    for _ in range(scale.knowledge_items):
        item = _item(world, rng)
        items.append(item)
        for theme in rng.sample(themes, rng.randint(1, 2)):
            theme_links.append(Item.themes.through(item_id=item.pk, theme_id=theme.pk))
        for tag in rng.sample(tags, rng.randint(0, 3)):
            tag_links.append(Item.tags.through(item_id=item.pk, tag_id=tag.pk))
        world.event(
            item.created_at,
            "knowledge.item.created",
            actor=item.created_by,
            target=item,
            data={"kind": item.kind, "audience": item.audience, "status": item.status},
        )
    counts = {
        "knowledge items": world.insert(Item, items),
        "item themes": world.insert(Item.themes.through, theme_links),
        "item tags": world.insert(Item.tags.through, tag_links),
    }
    # bulk_create skips Item.save(), which keeps the stored search vector up to date.
    search_vector_refresh(Item.objects.filter(search_vector__isnull=True))
    return counts


def _tag(rng: random.Random, name: str) -> Tag:
    tag_id = new_id(rng)  # drawn even when the tag exists, so later ids do not shift
    existing = Tag.objects.filter(name__iexact=name).first()
    return existing or Tag.objects.create(id=tag_id, name=name)


def _item(world: World, rng: random.Random) -> Item:
    kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
    topic = rng.choice(texts.KNOWLEDGE_TOPICS)
    day = world.day_between(rng, world.start_day, world.today - datetime.timedelta(days=1))
    created = world.office_moment(rng, day)
    body = "".join(
        f"<p>{texts.sentences(rng, texts.KNOWLEDGE_SENTENCES, rng.randint(3, 6))} "
        f"Meer over {topic}.</p>"
        for _ in range(rng.randint(2, 5))
    )
    published = rng.random() < 0.97
    author = rng.choice(world.staff)
    return Item(
        id=new_id(rng),
        kind=kind,
        title=f"{rng.choice(texts.KNOWLEDGE_TITLES).format(t=topic)} ({day.year})",
        summary=f"Wat elke LIVC R moet weten over {topic}.",
        body=body,
        body_text=richtext_to_text(body),
        audience=rng.choices(Audience.values, [30, 60, 10])[0],
        status=ItemStatus.PUBLISHED if published else ItemStatus.DRAFT,
        published_at=created if published else None,
        created_by=author,
        created_at=created,
        updated_by=author,
        updated_at=created,
    )


# --- Helpdesk ------------------------------------------------------------------------------------


class _Thread:
    """One question and its messages, built in time order."""

    def __init__(self, rng: random.Random, question: Question) -> None:
        self.rng, self.question = rng, question
        self.messages: list[Message] = []

    def add(self, kind: str, author: User, at: datetime.datetime, body: str) -> Message:
        message = Message(
            id=new_id(self.rng),
            question=self.question,
            kind=kind,
            author=author,
            body=body,
            created_at=at,
        )
        self.messages.append(message)
        return message


def helpdesk_generate(world: World, scale: Scale) -> dict[str, int]:
    rng = world.rng("helpdesk")
    themes = list(Theme.objects.order_by("position", "slug"))
    questions, messages = [], []
    cells = world.cells
    for k in range(scale.questions):
        plan = rng.choices(cells, [p.weight for p in cells])[0]
        asker = rng.choice(plan.municipal_staff) if rng.random() < 0.7 else plan.coordinator
        # A few arrived in the last days: the queue is never empty, even at the tiny scale.
        days = rng.randint(1, 3) if k % RECENT_EVERY == 0 else rng.randint(1, QUESTION_DAYS)
        day = world.today - datetime.timedelta(days=days)
        thread = _question(world, rng, asker, plan, day)
        question = thread.question
        question.theme = rng.choice(themes)
        questions.append(question)
        messages += thread.messages
    counters = _references(questions)
    for question in questions:
        world.event(
            question.created_at,
            "helpdesk.question.submitted",
            actor=question.asker,
            target=question,
            data={
                "theme": question.theme.slug,
                "municipality": question.municipality_id,
                "attachments": 0,
                "personal_data_confirmed": False,
            },
        )
    world.questions = [(q.pk, q.created_at) for q in questions]
    return {
        "questions": world.insert(Question, questions),
        "messages": world.insert(Message, messages),
        "question counters": _counters_save(counters),
    }


def _question(
    world: World, rng: random.Random, asker: User, plan: CellPlan, day: datetime.date
) -> _Thread:
    created = world.office_moment(rng, day)
    question = Question(
        id=new_id(rng),
        asker=asker,
        municipality=rng.choice(plan.municipalities),
        cell_id=plan.cell.pk,
        subject=rng.choice(texts.QUESTION_SUBJECTS),
        body=texts.sentences(rng, texts.QUESTION_BODIES, rng.randint(2, 3)),
        created_at=created,
        due_at=sla_deadline(created),
        updated_at=created,
    )
    thread = _Thread(rng, question)
    age = (world.end - created).days
    if age > 30:
        status = rng.choices(["answered", "closed", "waiting"], [60, 35, 5])[0]
    elif age > 3:
        status = rng.choices(["new", "in_progress", "answered", "waiting"], [30, 30, 30, 10])[0]
    else:
        status = rng.choice(["new", "in_progress"])
    question.status = status
    if status != QuestionStatus.NEW:
        question.assigned_to = rng.choice(world.staff)
    if rng.random() < 0.3 and question.assigned_to is not None:
        note_at = world.past(created + datetime.timedelta(hours=rng.uniform(1, 30)))
        thread.add(MessageKind.NOTE, question.assigned_to, note_at, "Navragen bij de jurist.")
    replied = status in (QuestionStatus.ANSWERED, QuestionStatus.WAITING) or (
        status == QuestionStatus.CLOSED and rng.random() < 0.9
    )
    if replied:
        _reply(world, rng, thread)
    elif status == QuestionStatus.CLOSED:  # a duplicate, closed without a reply
        question.closed_at = world.past(created + datetime.timedelta(days=rng.randint(1, 5)))
        question.updated_at = question.closed_at
    return thread


def _reply(world: World, rng: random.Random, thread: _Thread) -> None:
    question = thread.question
    staff = question.assigned_to or rng.choice(world.staff)
    # Mostly in time; about one in eight after the deadline.
    late = rng.uniform(0.1, 1.4)
    at = world.past(question.created_at + (question.due_at - question.created_at) * late)
    message = thread.add(MessageKind.REPLY, staff, at, rng.choice(texts.REPLIES))
    question.first_response_at = at
    if question.status != QuestionStatus.WAITING:
        question.answered_at = at
    question.updated_at = at
    if question.status == QuestionStatus.CLOSED:
        question.closed_at = world.past(at + datetime.timedelta(days=rng.randint(1, 14)))
        question.updated_at = question.closed_at
    if question.status == QuestionStatus.ANSWERED and rng.random() < 0.2 and question.asker:
        follow = world.past(at + datetime.timedelta(hours=rng.uniform(2, 72)))
        thread.add(MessageKind.ASKER, question.asker, follow, "Bedankt, dit helpt ons verder.")
    world.event(
        at,
        "helpdesk.question.replied",
        actor=staff,
        target=question,
        data={
            "message": str(message.pk),
            "linked_items": 0,
            "attachments": 0,
            "from": QuestionStatus.NEW.value,
            "to": question.status,
        },
    )


def _references(questions: list[Question]) -> Counter[int]:
    """References V-<year>-<nnnn> in order of arrival, continuing the yearly counters."""
    last = Counter({c.year: c.last for c in QuestionCounter.objects.all()})
    issued: Counter[int] = Counter()
    for question in sorted(questions, key=lambda q: (q.created_at, q.pk)):
        year = question.created_at.year
        issued[year] += 1
        question.reference = f"V-{year}-{last[year] + issued[year]:04d}"
    return last + issued


def _counters_save(counters: Counter[int]) -> int:
    for year, last in counters.items():
        QuestionCounter.objects.update_or_create(year=year, defaults={"last": last})
    return len(counters)
