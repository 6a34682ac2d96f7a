"""The demo support desk: other local governments, knowledge, a helpdesk year, forum, practices.

Everything goes through the services of the knowledge, helpdesk and forum apps, as the pages
would. The helpdesk services take the moment (``now``) of each step, so the year of questions is
built with its own dates; only timestamps that other services set to "now" (publication,
upload, forum posts, notes, practice review) are moved back afterwards, as the meetings part of
the demo does.

Each part is skipped once it exists, so running the demo again changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from vangnet.accounts.models import User
from vangnet.cells.models import (
    SECRECY_TEXT_VERSION,
    Cell,
    LegalBasis,
    Membership,
    Municipality,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.cells.services import cell_create, membership_add
from vangnet.demo.documents import document_upload
from vangnet.demo.knowledge_content import (
    DEMO_ITEMS,
    PLAYBOOK,
    PLAYBOOK_DOCUMENT,
    DemoItem,
    playbook_paragraphs,
)
from vangnet.demo.people import DEMO_DOMAIN, Persona, demo_user_ensure
from vangnet.demo.support_content import (
    CANNED_ANSWERS,
    CLOSINGS,
    DEMO_CELL_MUNICIPALITIES,
    DEMO_PRACTICES,
    DUPLICATE_NOTE,
    FAQ_FROM_QUESTIONS,
    FIRST_NAMES,
    FOLLOW_UPS,
    FORUM_THREADS,
    GREETINGS,
    INTERNAL_NOTES,
    LAST_NAMES,
    OPENINGS,
    OTHER_MUNICIPALITIES,
    QUESTION_COUNT,
    REPLY_CLOSINGS,
    REPLY_OPENINGS,
    REPLY_SIGNATURE,
    SCENARIOS,
    SIGNATURES,
    SMALL_OPENING,
    STAFF_AUTHOR,
    THEME_WEIGHTS,
    WAITING_REPLIES,
    Scenario,
)
from vangnet.forum.access import forum_access
from vangnet.forum.models import Post, Space, Thread
from vangnet.forum.services import post_reply, thread_start
from vangnet.helpdesk.models import CannedAnswer, Message, Question, QuestionStatus
from vangnet.helpdesk.services import (
    canned_answer_save,
    question_asker_reply,
    question_assign,
    question_faq_create,
    question_note_add,
    question_reply,
    question_status_set,
    question_submit,
)
from vangnet.knowledge.models import (
    Audience,
    GoodPractice,
    Item,
    ItemFile,
    ItemStatus,
    Theme,
)
from vangnet.knowledge.services import (
    item_create,
    item_file_add,
    practice_publish,
    practice_submit,
)
from vangnet.lib.workdays import Calendar, working_days_add

RANDOM_SEED = "vangnet-demo-support-desk"


@contextmanager
def mail_silenced() -> Iterator[None]:
    """Send the e-mails of the services nowhere (the demo addresses do not exist)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def support_load(*, staff: User) -> list[Persona]:
    """The support-desk part of the demo; returns the extra personas to print."""
    now = timezone.now()
    askers = _ensure_other_local_governments()
    items = _ensure_knowledge(staff, now)
    _ensure_canned_answers(staff)
    _ensure_helpdesk(staff, items, now)
    _ensure_forum(now)
    _ensure_practices(staff, now)
    example = askers[0]
    return [
        Persona(
            f"gemeente.<gemeente>@{DEMO_DOMAIN}",
            "",
            f"Gemeentelijk medewerker in {len(askers)} andere gemeenten met een vraag aan de "
            f"helpdesk, bv. {example.email}",
        )
    ]


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- Other local governments ------------------------------------------------------------------


def _ensure_other_local_governments() -> list[User]:
    """A cell and one municipal-staff asker for each other municipality that asks questions.

    The helpdesk lets a local-government user ask for the municipalities of their own cells
    only, so each of these municipalities has a (small) cell: no partners, cases or meetings,
    just the member who uses the support desk.
    """
    municipalities = {
        m.name_nl: m
        for m in Municipality.objects.filter(name_nl__in=[n for n, _w in OTHER_MUNICIPALITIES])
    }
    askers = []
    for index, (name, _weight) in enumerate(OTHER_MUNICIPALITIES):
        municipality = municipalities[name]
        cell_name = f"LIVC R {name}"
        cell = Cell.objects.filter(name=cell_name).first()
        if cell is None:
            cell = cell_create(
                name=cell_name,
                nis_codes=[municipality.nis_code],
                legal_basis=LegalBasis.LIVC_LAW_2018,
            )
        full_name = (
            f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"
        )
        user = demo_user_ensure(_email(f"gemeente.{slugify(name)}"), full_name)
        if not Membership.objects.filter(cell=cell, user=user, ended_at__isnull=True).exists():
            membership_add(cell=cell, user=user, role=Role.MUNICIPAL_STAFF)
            # As accepting an invitation does: the new member acknowledged the secrecy duty.
            SecrecyAcknowledgement.objects.create(
                cell=cell,
                user=user,
                context=SecrecyAcknowledgement.Context.JOINING,
                text_version=SECRECY_TEXT_VERSION,
            )
        askers.append(user)
    return askers


# --- Knowledge base ---------------------------------------------------------------------------


def _ensure_knowledge(staff: User, now: datetime.datetime) -> dict[str, Item]:
    """Every demo item that is not there yet (by type and title), with its files."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = {
        (item.kind, item.title): item
        for item in Item.objects.filter(title__in=[spec.title for spec in DEMO_ITEMS])
    }
    items: dict[str, Item] = {}
    for number, spec in enumerate(DEMO_ITEMS):
        item = existing.get((spec.kind, spec.title))
        if item is None:
            item = item_create(
                actor=staff,
                kind=spec.kind,
                title=spec.title,
                audience=spec.audience,
                status=ItemStatus.PUBLISHED,
                summary=spec.summary,
                body=" ".join(spec.body.split()),
                themes=[themes[slug] for slug in spec.themes],
                tags=spec.tags,
                related=[items[key] for key in spec.related],
            )
            # Items of the same day in their order in the list (newest first): the playbook
            # reads from its introduction on.
            day = timezone.localdate(now) - datetime.timedelta(days=spec.days_ago)
            published = _at(day, 9) + datetime.timedelta(minutes=len(DEMO_ITEMS) - number)
            _add_files(spec, item, staff, published, number)
            Item.objects.filter(pk=item.pk).update(
                published_at=published,
                created_at=published - datetime.timedelta(days=2),
                updated_at=published,
            )
            item.published_at = published
        items[spec.key] = item
    return items


def _add_files(
    spec: DemoItem, item: Item, staff: User, published: datetime.datetime, number: int
) -> None:
    if spec.file is None:
        return
    paragraphs = list(spec.file.paragraphs)
    earlier = paragraphs[:-2]  # an earlier version lacks the last part the later one added
    if spec is PLAYBOOK_DOCUMENT:
        paragraphs = list(playbook_paragraphs())
        earlier = list(playbook_paragraphs(PLAYBOOK[:-1]))  # the first edition: no evaluation
    versions = spec.file.versions
    for index, note in enumerate(versions):
        latest = index == len(versions) - 1
        content = paragraphs if latest else earlier
        item_file = item_file_add(
            item=item,
            upload=document_upload(spec.file.kind, spec.title, content),
            note=note,
            actor=staff,
        )
        ItemFile.objects.filter(pk=item_file.pk).update(
            uploaded_at=published - datetime.timedelta(days=120 * (len(versions) - 1 - index)),
            # Downloads so far: a realistic count, more for older and member-wide files.
            downloads=(7 + 11 * number) % 60 + (25 if not latest else 0),
        )


# --- Helpdesk ---------------------------------------------------------------------------------


@dataclass
class PlannedQuestion:
    created_at: datetime.datetime
    municipality: str
    asker: str  # local part of the e-mail
    scenario: Scenario
    subject: str
    body: str
    outcome: str = "answered"  # answered, closed, duplicate, follow_up, waiting, in_progress, new
    delay_days: float = 1.0  # working days to the first reply
    note: str = ""  # an internal note by VVSG staff, an hour after the question arrived
    faq: bool = False
    extra: dict[str, int] = field(default_factory=dict)


def _askers_by_municipality() -> dict[str, list[str]]:
    askers: dict[str, list[str]] = {}
    for slug, municipalities in DEMO_CELL_MUNICIPALITIES.items():
        people = [f"gemeente.{slug}", f"coordinator.{slug}"]
        people += ["preventie.mechelen"] if slug == "mechelen" else []
        people += ["adjunct.vlaamse-ardennen"] if slug == "vlaamse-ardennen" else []
        for name, _weight in municipalities:
            askers[name] = people
    for name, _weight in OTHER_MUNICIPALITIES:
        askers[name] = [f"gemeente.{slugify(name)}"]
    return askers


# Fewer questions in the summer and around the new year, more after the summer.
SEASON = {1: 0.9, 2: 1.0, 3: 1.1, 4: 1.0, 5: 1.0, 6: 1.0, 7: 0.5, 8: 0.4, 9: 1.2, 10: 1.2}
SEASON |= {11: 1.1, 12: 0.8}
# The newest questions, still being handled: (hours ago, outcome).
RECENT: tuple[tuple[int, str], ...] = (
    (3, "new"),
    (27, "new"),
    (50, "in_progress"),
    (140, "new"),
    (190, "waiting"),
    (280, "waiting"),
)


def _question_dates(
    rng: random.Random, now: datetime.datetime, count: int
) -> list[datetime.datetime]:
    today = timezone.localdate(now)
    dates: list[datetime.datetime] = []
    while len(dates) < count:
        day = today - datetime.timedelta(days=rng.randint(13, 364))
        if rng.random() > SEASON[day.month] / 1.2:
            continue
        if day.weekday() >= 5 and rng.random() < 0.85:
            day -= datetime.timedelta(days=day.weekday() - 4)  # most arrive on the Friday
        if rng.random() < 0.06:
            hour = rng.randint(19, 21)  # an evening question now and then
        else:
            hour = rng.choices(range(8, 18), weights=(3, 6, 8, 8, 5, 5, 7, 7, 6, 3))[0]
        dates.append(_at(day, hour, rng.randrange(60)))
    return sorted(dates)


def _compose(
    rng: random.Random, scenario: Scenario, asker: str, small: bool = False
) -> tuple[str, str]:
    role = asker.split(".", 1)[0]
    opening = rng.choice((*OPENINGS, SMALL_OPENING) if small else OPENINGS)
    if not scenario.openings:
        opening = ""
    question = f"{opening} {scenario.question}" if opening else scenario.question
    # A question that already asks how other cells do it does not ask it twice.
    closings = [c for c in CLOSINGS if "andere cellen" not in c or "andere" not in question]
    body = (
        f"{rng.choice(GREETINGS)}\n\n{question}\n\n{rng.choice(closings)}\n\n"
        f"Met vriendelijke groeten,\n{rng.choice(SIGNATURES[role])}"
    )
    return rng.choice(scenario.subjects), body


def _reply(rng: random.Random, text: str) -> str:
    return (
        f"{rng.choice(REPLY_OPENINGS)}\n\n{text}\n\n{rng.choice(REPLY_CLOSINGS)}\n\n"
        f"{REPLY_SIGNATURE}"
    )


def _delay(rng: random.Random) -> float:
    """Working days to the first reply: mostly within a day or two, sometimes late."""
    draw = rng.random()
    if draw < 0.35:
        return rng.uniform(0.5, 1.0)
    if draw < 0.78:
        return rng.uniform(1.0, 1.8)
    if draw < 0.88:
        return rng.uniform(1.8, 1.98)
    return rng.uniform(2.1, 4.0)  # later than the two working days promised


def helpdesk_plan(now: datetime.datetime) -> list[PlannedQuestion]:
    """The year of questions, oldest first; the same for the same day (seeded)."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - reproducible demo content, not a secret
    askers = _askers_by_municipality()
    weights = dict(OTHER_MUNICIPALITIES)
    for municipalities in DEMO_CELL_MUNICIPALITIES.values():
        weights |= dict(municipalities)
    # Every municipality asks at least once; the others follow their weight.
    names = list(weights)
    names += rng.choices(names, weights=list(weights.values()), k=QUESTION_COUNT - len(names))
    rng.shuffle(names)
    dates = _question_dates(rng, now, QUESTION_COUNT - len(RECENT))
    dates += [now - datetime.timedelta(hours=hours) for hours, _outcome in reversed(RECENT)]
    by_theme: dict[str, list[Scenario]] = {}
    for scenario in SCENARIOS:
        by_theme.setdefault(scenario.theme, []).append(scenario)
    themes = list(THEME_WEIGHTS)
    plan = []
    for created_at, name in zip(dates, names, strict=True):
        theme = rng.choices(themes, weights=list(THEME_WEIGHTS.values()))[0]
        scenario = rng.choice(by_theme[theme])
        asker = rng.choice(askers[name])
        subject, body = _compose(rng, scenario, asker, small=weights[name] == 1)
        plan.append(
            PlannedQuestion(
                created_at, name, asker, scenario, subject, body, delay_days=_delay(rng)
            )
        )
    # The newest are still open; older ones were answered, some closed or followed up.
    for planned, (_hours, outcome) in zip(plan[-len(RECENT) :], RECENT, strict=True):
        planned.outcome = outcome
        planned.note = INTERNAL_NOTES[2] if outcome == "in_progress" else ""
    older = plan[: -len(RECENT)]
    month_old = [q for q in older if (now - q.created_at).days > 40]
    # Three answered questions become FAQ items: one of each FAQ scenario, a few months old.
    faq_scenarios = {s.key: s for s in SCENARIOS if s.key in FAQ_FROM_QUESTIONS}
    for index, key in enumerate(FAQ_FROM_QUESTIONS):
        planned = month_old[20 + 30 * index]
        planned.scenario = faq_scenarios[key]
        planned.subject, planned.body = _compose(
            rng, planned.scenario, planned.asker, small=weights[planned.municipality] == 1
        )
        planned.faq = True
    candidates = [q for q in month_old if not q.faq]
    for planned in rng.sample(candidates, 12):
        planned.outcome = "closed"
    candidates = [q for q in older if q.outcome == "answered" and not q.faq]
    for planned in rng.sample(candidates, 8):
        planned.outcome = "follow_up"
        planned.extra["follow_up"] = rng.randrange(len(FOLLOW_UPS))
    for planned, note in zip(rng.sample(older, len(INTERNAL_NOTES)), INTERNAL_NOTES, strict=True):
        planned.note = note
    # One question was sent twice by mistake: the copy is closed without a reply.
    original = rng.choice([q for q in month_old if q.outcome == "answered" and not q.faq])
    duplicate = replace(
        original,
        created_at=original.created_at + datetime.timedelta(minutes=25),
        outcome="duplicate",
        note=DUPLICATE_NOTE,
        extra={},
    )
    plan.insert(plan.index(original) + 1, duplicate)
    return sorted(plan, key=lambda planned: planned.created_at)


def _ensure_helpdesk(staff: User, items: dict[str, Item], now: datetime.datetime) -> None:
    """A year of questions from local governments, answered by the demo VVSG staff member."""
    if Question.objects.filter(asker__email__endswith=f"@{DEMO_DOMAIN}").exists():
        return
    rng = random.Random(RANDOM_SEED + "-answers")  # noqa: S311 - reproducible demo content
    calendar = Calendar.from_settings()
    municipalities = {m.name_nl: m for m in Municipality.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    for planned in helpdesk_plan(now):
        asker = users[_email(planned.asker)]
        scenario = planned.scenario
        attachments = []
        if scenario.attachment:
            attachments.append(
                document_upload(
                    "pdf",
                    scenario.attachment,
                    ["Ontwerp, nog niet goedgekeurd.", "# Inhoud", scenario.question],
                )
            )
        question = question_submit(
            asker=asker,
            municipality=municipalities[planned.municipality],
            theme=themes[scenario.theme],
            subject=planned.subject,
            body=planned.body,
            attachments=attachments,
            now=planned.created_at,
        )
        _handle(question, planned, staff, asker, items, calendar, now, rng)
        if planned.note:
            note = question_note_add(question=question, author=staff, body=planned.note)
            Message.objects.filter(pk=note.pk).update(
                created_at=planned.created_at + datetime.timedelta(hours=1)
            )


def _handle(
    question: Question,
    planned: PlannedQuestion,
    staff: User,
    asker: User,
    items: dict[str, Item],
    calendar: Calendar,
    now: datetime.datetime,
    rng: random.Random,
) -> None:
    """What VVSG (and sometimes the asker) did with the question since it arrived."""
    outcome = planned.outcome
    if outcome == "new":
        return
    if outcome == "duplicate":
        question_status_set(
            question=question,
            status=QuestionStatus.CLOSED,
            actor=staff,
            now=planned.created_at + datetime.timedelta(hours=2),
        )
        return
    if outcome in ("in_progress", "waiting", "follow_up"):
        # Assigned while it takes more than one reply (answered at once: nobody needed to).
        question_assign(question=question, assignee=staff, actor=staff)
    if outcome == "in_progress":
        question_status_set(
            question=question,
            status=QuestionStatus.IN_PROGRESS,
            actor=staff,
            now=min(now, planned.created_at + datetime.timedelta(hours=2)),
        )
        return
    if outcome == "waiting":
        question_reply(
            question=question,
            author=staff,
            body=_reply(rng, rng.choice(WAITING_REPLIES)),
            status=QuestionStatus.WAITING,
            now=working_days_add(planned.created_at, 0.4, calendar),
        )
        return
    replied = working_days_add(planned.created_at, planned.delay_days, calendar)
    question_reply(
        question=question,
        author=staff,
        body=_reply(rng, planned.scenario.answer),
        # Only what was already published when VVSG answered.
        linked_items=[
            items[key]
            for key in planned.scenario.links
            if (items[key].published_at or now) <= replied
        ],
        now=replied,
    )
    if outcome == "follow_up":
        asked, answer = FOLLOW_UPS[planned.extra["follow_up"]]
        followed = working_days_add(replied, rng.uniform(0.5, 2.5), calendar)
        question_asker_reply(question=question, author=asker, body=asked, now=followed)
        question_reply(
            question=question,
            author=staff,
            body=_reply(rng, answer),
            now=working_days_add(followed, rng.uniform(0.2, 1.0), calendar),
        )
    elif outcome == "closed":
        question_status_set(
            question=question,
            status=QuestionStatus.CLOSED,
            actor=staff,
            now=replied + datetime.timedelta(days=rng.randint(5, 20)),
        )
    if planned.faq:
        title, body = FAQ_FROM_QUESTIONS[planned.scenario.key]
        item = question_faq_create(
            question=question,
            actor=staff,
            title=title,
            body=body,
            audience=Audience.MEMBERS,
            theme=question.theme,
            status=ItemStatus.PUBLISHED,
        )
        published = replied + datetime.timedelta(days=6)
        Item.objects.filter(pk=item.pk).update(
            published_at=published, created_at=published, updated_at=published
        )


def _ensure_canned_answers(staff: User) -> None:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(CannedAnswer.objects.values_list("title", flat=True))
    for title, theme, body in CANNED_ANSWERS:
        if title not in existing:
            canned_answer_save(
                canned=None, actor=staff, title=title, body=body, theme=themes[theme], active=True
            )


# --- Forum ------------------------------------------------------------------------------------


def _ensure_forum(now: datetime.datetime) -> None:
    """A few threads with replies, each by personas who may enter the space."""
    if Thread.objects.filter(author__email__endswith=f"@{DEMO_DOMAIN}").exists():
        return
    rng = random.Random(RANDOM_SEED + "-forum")  # noqa: S311 - reproducible demo content
    spaces = {space.slug: space for space in Space.objects.filter(archived=False)}
    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    for spec in FORUM_THREADS:
        space = spaces.get(spec.space)
        if space is None:
            continue
        people = [spec.author, *(author for author, _text in spec.replies)]
        for local in people:
            if local != STAFF_AUTHOR and not forum_access(users[_email(local)]).allows(space):
                raise ValueError(f"Demo persona {local} may not post in {spec.space}")
        thread = thread_start(
            space=space, author=users[_email(spec.author)], title=spec.title, body=spec.body
        )
        posts = list(Post.objects.filter(thread=thread))  # the opening post
        posts += [
            post_reply(thread=thread, author=users[_email(author)], body=text)
            for author, text in spec.replies
        ]
        moment = _at(timezone.localdate(now) - datetime.timedelta(days=spec.days_ago), 10)
        started = moment
        for index, post in enumerate(posts):
            if index:
                moment = min(now, moment + datetime.timedelta(hours=rng.randint(2, 40)))
            Post.objects.filter(pk=post.pk).update(created_at=moment)
        Thread.objects.filter(pk=thread.pk).update(created_at=started, last_post_at=moment)


# --- Good practices ---------------------------------------------------------------------------


def _ensure_practices(staff: User, now: datetime.datetime) -> None:
    """Good practices submitted by local governments; most reviewed and published by VVSG."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(
        GoodPractice.objects.filter(title__in=[p.title for p in DEMO_PRACTICES]).values_list(
            "title", flat=True
        )
    )
    for number, spec in enumerate(DEMO_PRACTICES):
        if spec.title in existing:
            continue
        practice = practice_submit(
            user=User.objects.get(email=_email(spec.author)),
            municipality=Municipality.objects.get(name_nl=spec.municipality),
            theme=themes[spec.theme],
            title=spec.title,
            context=spec.context,
            approach=spec.approach,
            results=spec.results,
            contact_role=spec.contact_role,
        )
        submitted = _at(timezone.localdate(now) - datetime.timedelta(days=spec.days_ago), 14)
        GoodPractice.objects.filter(pk=practice.pk).update(submitted_at=submitted)
        if not spec.published:
            continue
        item = practice_publish(
            practice=practice,
            reviewer=staff,
            audience=Audience.PUBLIC if number < 2 else Audience.MEMBERS,
        )
        reviewed = submitted + datetime.timedelta(days=6)
        GoodPractice.objects.filter(pk=practice.pk).update(reviewed_at=reviewed)
        Item.objects.filter(pk=item.pk).update(
            published_at=reviewed, created_at=reviewed, updated_at=reviewed
        )
