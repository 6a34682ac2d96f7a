"""Helpdesk workflows: asking, answering, notes, assignment, status, FAQ items, statistics.

Every change writes an audit event with ids, counts and status codes only: never the subject, the
text, a file name or a name. E-mails to the asker say *that* there is an answer and link to it;
they never carry the question or the answer.
"""

from __future__ import annotations

import datetime
import logging
import statistics as stats
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from vangnet.audit.services import audit_record
from vangnet.helpdesk.access import asker_can_open, can_ask, is_staff, municipalities_for_asker
from vangnet.helpdesk.files import attachment_encrypt
from vangnet.helpdesk.models import (
    BODY_MAX_LENGTH,
    OPEN_STATUSES,
    SUBJECT_MAX_LENGTH,
    Attachment,
    CannedAnswer,
    Message,
    MessageKind,
    Question,
    QuestionCounter,
    QuestionStatus,
)
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus, Theme
from vangnet.lib.prepared import PreparedPage, in_constants
from vangnet.lib.richtext import richtext_validate
from vangnet.lib.uploads import CheckedDocument, UploadRejected, document_check
from vangnet.lib.workdays import Calendar, working_days_add, working_days_between

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.cells.models import Municipality

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5

# Which status a question may move to from each status (by hand, on the staff page). Only a
# reply makes a new question "waiting for the asker"; see also ``statuses_allowed``.
TRANSITIONS: dict[str, frozenset[str]] = {
    QuestionStatus.NEW: frozenset({QuestionStatus.IN_PROGRESS, QuestionStatus.CLOSED}),
    QuestionStatus.IN_PROGRESS: frozenset(
        {QuestionStatus.WAITING, QuestionStatus.ANSWERED, QuestionStatus.CLOSED}
    ),
    QuestionStatus.WAITING: frozenset(
        {QuestionStatus.IN_PROGRESS, QuestionStatus.ANSWERED, QuestionStatus.CLOSED}
    ),
    QuestionStatus.ANSWERED: frozenset(
        {QuestionStatus.IN_PROGRESS, QuestionStatus.WAITING, QuestionStatus.CLOSED}
    ),
    QuestionStatus.CLOSED: frozenset({QuestionStatus.IN_PROGRESS}),
}

# Statuses that say VVSG has replied: by hand only once a first reply exists.
_AFTER_A_REPLY = frozenset({QuestionStatus.ANSWERED, QuestionStatus.WAITING})


def statuses_allowed(question: Question) -> frozenset[str]:
    """The statuses staff may move ``question`` to by hand now.

    "Answered" and "waiting for the asker" need a reply first: only a reply answers a
    question (and stops the SLA clock).
    """
    allowed = TRANSITIONS.get(question.status, frozenset())
    if question.first_response_at is None:
        allowed = allowed - _AFTER_A_REPLY
    return allowed


# Knowledge items a reply may point the asker to: published, and readable by the asker.
LINKABLE_AUDIENCES = (Audience.PUBLIC, Audience.MEMBERS)


def linkable_items() -> QuerySet[Item]:
    return Item.objects.published().filter(audience__in=LINKABLE_AUDIENCES).order_by("title")


# --- Checks shared by the workflows ------------------------------------------------------------


def _text(value: str, *, max_length: int, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty, code="required")
    if len(value) > max_length:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters.") % {"max": max_length},
            code="max_length",
        )
    return value


def attachments_check(
    uploads: Iterable[UploadedFile],
) -> list[tuple[UploadedFile, CheckedDocument]]:
    """Check every file by content before anything is stored; the first bad one refuses all."""
    files = list(uploads)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("You can add at most %(max)d files.") % {"max": MAX_ATTACHMENTS},
            code="too_many_files",
        )
    checked = []
    for upload in files:
        try:
            checked.append((upload, document_check(upload)))
        except UploadRejected as exc:
            raise ValidationError(exc.message, code=exc.code) from None
    return checked


@contextmanager
def _files_removed_on_error() -> Iterator[list[str]]:
    """Collect the names of files stored in the block; delete them if the block fails.

    The database rows roll back with the transaction, the files on disk would not.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove a helpdesk attachment file after an error")
        raise


def _upload_bytes(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return bytes(data)


def _attachments_store(
    question: Question,
    message: Message | None,
    checked: Sequence[tuple[UploadedFile, CheckedDocument]],
    uploaded_by: User,
    stored: list[str],
) -> None:
    """Store the checked files, encrypted (``files.py``); their names are added to ``stored``."""
    for upload, document in checked:
        attachment = Attachment(
            question=question,
            message=message,
            extension=document.extension,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,  # of the plaintext
            uploaded_by=uploaded_by,
        )
        ciphertext = attachment_encrypt(attachment_id=attachment.id, data=_upload_bytes(upload))
        # The name is built from ids by the model's upload_to: the uploaded name is not kept.
        attachment.file.save(
            f"{attachment.id}{document.extension}", ContentFile(ciphertext), save=False
        )
        stored.append(attachment.file.name)
        attachment.save()


def _require_staff(user: User) -> None:
    if not is_staff(user):
        raise PermissionDenied


def _lock(question: Question) -> None:
    """Lock the question's row and reload its workflow fields (two replies at once)."""
    Question.objects.select_for_update(no_key=True).filter(pk=question.pk).first()
    question.refresh_from_db(
        fields=[
            "status",
            "assigned_to",
            "first_response_at",
            "answered_at",
            "closed_at",
            "faq_item",
        ]
    )


def _question_url(question: Question) -> str:
    path = reverse("helpdesk:question", kwargs={"question_id": question.pk})
    return f"{settings.SITE_URL}{path}"


def _reference_next(year: int) -> str:
    counter, _created = QuestionCounter.objects.select_for_update(no_key=True).get_or_create(
        year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"V-{year}-{counter.last:04d}"


def sla_deadline(created_at: datetime.datetime) -> datetime.datetime:
    """The first-response deadline for a question asked at ``created_at``."""
    return working_days_add(
        created_at, settings.VANGNET_HELPDESK_FIRST_RESPONSE_DAYS, Calendar.from_settings()
    )


# --- Asking ------------------------------------------------------------------------------------


@transaction.atomic
def question_submit(
    *,
    asker: User,
    municipality: Municipality,
    theme: Theme,
    subject: str,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    personal_data_confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> Question:
    """Store a question from a local-government user; the SLA deadline is fixed now."""
    if not can_ask(asker):
        raise PermissionDenied
    choice = next(
        (
            c
            for c in municipalities_for_asker(asker)
            if c.municipality.nis_code == municipality.nis_code
        ),
        None,
    )
    if choice is None:
        raise ValidationError(_("Choose a municipality of your own cell."), code="municipality")
    subject = _text(
        subject, max_length=SUBJECT_MAX_LENGTH, empty=_("Write a subject for your question.")
    )
    body = _text(body, max_length=BODY_MAX_LENGTH, empty=_("Write your question."))
    checked = attachments_check(attachments)  # before anything is saved

    created_at = now or timezone.now()
    year = timezone.localtime(created_at).year
    question = Question(
        reference=_reference_next(year),
        asker=asker,
        municipality=choice.municipality,
        cell=choice.cell,
        theme=theme,
        subject=subject,
        body=body,
        personal_data_confirmed=personal_data_confirmed,
        created_at=created_at,
        due_at=sla_deadline(created_at),
    )
    question.save()
    with _files_removed_on_error() as stored:
        _attachments_store(question, None, checked, asker, stored)
        audit_record(
            action="helpdesk.question.submitted",
            actor=asker,
            target=question,
            data={
                "theme": theme.slug,
                "municipality": choice.municipality.nis_code,
                "attachments": len(checked),
                "personal_data_confirmed": personal_data_confirmed,
            },
        )
    return question


@transaction.atomic
def question_asker_reply(
    *,
    question: Question,
    author: User,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    personal_data_confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> Message:
    """A follow-up from the asker; an answered or waiting question is back in progress.

    Only the asker, and only while they still work for the question's local government.
    """
    if not asker_can_open(author, question):
        raise PermissionDenied
    _lock(question)
    if question.status == QuestionStatus.CLOSED:
        raise ValidationError(
            _("This question is closed. Ask a new question instead."), code="closed"
        )
    body = _text(body, max_length=BODY_MAX_LENGTH, empty=_("Write your message."))
    checked = attachments_check(attachments)
    message = Message(
        question=question,
        kind=MessageKind.ASKER,
        author=author,
        body=body,
        created_at=now or timezone.now(),
    )
    message.save()
    with _files_removed_on_error() as stored:
        _attachments_store(question, message, checked, author, stored)
        previous = question.status
        if question.status in (QuestionStatus.ANSWERED, QuestionStatus.WAITING):
            question.status = QuestionStatus.IN_PROGRESS
            question.save(update_fields=["status", "updated_at"])
        audit_record(
            action="helpdesk.question.asker_replied",
            actor=author,
            target=question,
            data={
                "message": str(message.pk),
                "attachments": len(checked),
                "from": previous,
                "to": question.status,
                "personal_data_confirmed": personal_data_confirmed,
            },
        )
    return message


# --- Answering (VVSG staff) ----------------------------------------------------------------------


@transaction.atomic
def question_reply(
    *,
    question: Question,
    author: User,
    body: str,
    linked_items: Iterable[Item] = (),
    attachments: Iterable[UploadedFile] = (),
    status: str = QuestionStatus.ANSWERED,
    now: datetime.datetime | None = None,
) -> Message:
    """VVSG answers (or asks something back, ``status=waiting``); the asker gets an e-mail.

    The first reply stops the SLA clock (``first_response_at``). The e-mail holds only the
    reference and a link.
    """
    _require_staff(author)
    if status not in (QuestionStatus.ANSWERED, QuestionStatus.WAITING):
        raise ValidationError(_("Choose answered or waiting for the asker."), code="status")
    _lock(question)
    if question.status == QuestionStatus.CLOSED:
        raise ValidationError(
            _("This question is closed. Reopen it before replying."), code="closed"
        )
    body = _text(body, max_length=BODY_MAX_LENGTH, empty=_("Write a reply."))
    items = list(linked_items)
    allowed = set(
        Item.objects.published()
        .filter(audience__in=LINKABLE_AUDIENCES, pk__in=[item.pk for item in items])
        .values_list("pk", flat=True)
    )
    if any(item.pk not in allowed for item in items):
        raise ValidationError(
            _("Link only published knowledge items that the asker can read."), code="items"
        )
    checked = attachments_check(attachments)

    moment = now or timezone.now()
    message = Message(
        question=question, kind=MessageKind.REPLY, author=author, body=body, created_at=moment
    )
    message.save()
    message.linked_items.set(items)
    with _files_removed_on_error() as stored:
        _attachments_store(question, message, checked, author, stored)
        previous = question.status
        question.status = status
        if question.first_response_at is None:
            question.first_response_at = moment
        if status == QuestionStatus.ANSWERED:
            question.answered_at = moment
        question.save(update_fields=["status", "first_response_at", "answered_at", "updated_at"])
        audit_record(
            action="helpdesk.question.replied",
            actor=author,
            target=question,
            data={
                "message": str(message.pk),
                "linked_items": len(items),
                "attachments": len(checked),
                "from": previous,
                "to": status,
            },
        )
        _answer_mail(question, waiting=status == QuestionStatus.WAITING)
    return message


def _answer_mail(question: Question, *, waiting: bool) -> None:
    asker = question.asker
    if asker is None or not asker.is_active or not asker.email:
        return
    context = {"reference": question.reference, "link": _question_url(question), "waiting": waiting}
    with override(settings.LANGUAGE_CODE):
        if waiting:
            subject = _("VVSG has a question about your question %(reference)s") % context
        else:
            subject = _("Your question %(reference)s has an answer") % context
        body = render_to_string("helpdesk/emails/answer.txt", context)
    email = asker.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]), robust=True)


@transaction.atomic
def question_note_add(
    *, question: Question, author: User, body: str, now: datetime.datetime | None = None
) -> Message:
    """An internal note for VVSG staff; the asker never sees it."""
    _require_staff(author)
    body = _text(body, max_length=BODY_MAX_LENGTH, empty=_("Write a note."))
    message = Message.objects.create(
        question=question,
        kind=MessageKind.NOTE,
        author=author,
        body=body,
        created_at=now or timezone.now(),
    )
    audit_record(
        action="helpdesk.question.note_added",
        actor=author,
        target=question,
        data={"message": str(message.pk)},
    )
    return message


@transaction.atomic
def question_assign(*, question: Question, assignee: User | None, actor: User) -> None:
    """Give the question to a VVSG colleague (or to nobody)."""
    _require_staff(actor)
    if assignee is not None and not is_staff(assignee):
        raise ValidationError(_("Only VVSG staff can be assigned a question."), code="assignee")
    _lock(question)
    previous = question.assigned_to_id
    question.assigned_to = assignee
    question.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        action="helpdesk.question.assigned",
        actor=actor,
        target=question,
        data={
            "from": str(previous) if previous else "",
            "to": str(assignee.pk) if assignee else "",
        },
    )


@transaction.atomic
def question_status_set(
    *, question: Question, status: str, actor: User, now: datetime.datetime | None = None
) -> None:
    """Move the question along ``TRANSITIONS`` (see ``statuses_allowed``).

    Closing stamps ``closed_at``, reopening clears it. "Answered" and "waiting for the asker"
    need a reply first: a question without one is answered by replying, not by a status.
    """
    _require_staff(actor)
    _lock(question)
    previous = question.status
    if status in _AFTER_A_REPLY and question.first_response_at is None:
        raise ValidationError(
            _(
                "This question has no reply yet. Send a reply: only a reply answers a question "
                "or asks the asker for more."
            ),
            code="no_reply",
        )
    if status not in statuses_allowed(question):
        raise ValidationError(
            _("A question cannot go from %(from)s to %(to)s.")
            % {
                "from": QuestionStatus(previous).label,
                "to": QuestionStatus(status).label if status in QuestionStatus.values else status,
            },
            code="transition",
        )
    moment = now or timezone.now()
    question.status = status
    if status == QuestionStatus.CLOSED:
        question.closed_at = moment
    elif previous == QuestionStatus.CLOSED:
        question.closed_at = None
    if status == QuestionStatus.ANSWERED and question.answered_at is None:
        question.answered_at = moment
    question.save(update_fields=["status", "closed_at", "answered_at", "updated_at"])
    audit_record(
        action="helpdesk.question.status_changed",
        actor=actor,
        target=question,
        data={"from": previous, "to": status},
    )


@transaction.atomic
def question_faq_create(
    *,
    question: Question,
    actor: User,
    title: str,
    body: str,
    audience: str,
    theme: Theme | None,
    status: str = ItemStatus.DRAFT,
) -> Item:
    """Make an anonymised FAQ item (kind ``faq``) from an answered question.

    ``title`` and ``body`` are written anew by VVSG staff (the form suggests a start from the
    question and the last reply and runs the personal-data check); ``body`` is rich text.
    """
    _require_staff(actor)
    _lock(question)
    if question.first_response_at is None:
        raise ValidationError(
            _("Answer the question before making a FAQ item of it."), code="unanswered"
        )
    if question.faq_item_id is not None:
        raise ValidationError(_("This question already has a FAQ item."), code="exists")
    if status not in (ItemStatus.DRAFT, ItemStatus.PUBLISHED):
        raise ValidationError(_("Choose draft or published."), code="status")
    if audience not in Audience.values:
        raise ValidationError(_("Choose an audience."), code="audience")
    title = _text(title, max_length=200, empty=_("Write a title."))
    body = _text(body, max_length=BODY_MAX_LENGTH * 2, empty=_("Write the answer."))
    richtext_validate(body)
    item = _knowledge_item_create(
        actor=actor,
        kind=ItemKind.FAQ,
        title=title,
        audience=audience,
        status=status,
        body=body,
        themes=[theme] if theme is not None else [],
    )
    question.faq_item = item
    question.save(update_fields=["faq_item", "updated_at"])
    audit_record(
        action="helpdesk.question.faq_created",
        actor=actor,
        target=question,
        data={"item": str(item.pk), "audience": audience, "status": status},
    )
    return item


def _knowledge_item_create(
    *,
    actor: User,
    kind: str,
    title: str,
    audience: str,
    status: str,
    body: str,
    themes: list[Theme],
) -> Item:
    from vangnet.knowledge.services import item_create

    return item_create(
        actor=actor,
        kind=kind,
        title=title,
        audience=audience,
        status=status,
        summary="",
        body=body,
        themes=themes,
        tags=(),
        related=(),
    )


def question_audit_view(*, question: Question, user: User) -> None:
    """VVSG staff reading a question (its text may hold personal data): one audit event."""
    audit_record(action="helpdesk.question.viewed", actor=user, target=question)


# --- Canned answers ------------------------------------------------------------------------------


@transaction.atomic
def canned_answer_save(
    *,
    canned: CannedAnswer | None,
    actor: User,
    title: str,
    body: str,
    theme: Theme | None,
    active: bool,
) -> CannedAnswer:
    """Create (``canned=None``) or change a canned answer."""
    _require_staff(actor)
    title = _text(title, max_length=150, empty=_("Write a title."))
    body = _text(body, max_length=BODY_MAX_LENGTH, empty=_("Write the text."))
    duplicate = CannedAnswer.objects.filter(title__iexact=title)
    if canned is not None:
        duplicate = duplicate.exclude(pk=canned.pk)
    if duplicate.exists():
        raise ValidationError(
            {"title": _("There is already a canned answer with this title.")}, code="unique"
        )
    created = canned is None
    canned = canned or CannedAnswer()
    canned.title = title
    canned.body = body
    canned.theme = theme
    canned.active = active
    canned.save()
    audit_record(
        action="helpdesk.canned.created" if created else "helpdesk.canned.changed",
        actor=actor,
        target=canned,
        data={"active": active},
    )
    return canned


# --- Statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatistics:
    """The helpdesk's figures for one calendar year (Belgian time), without any content.

    Response times are in working days (office hours on working days, see ``lib/workdays.py``)
    from the question to the first reply. The SLA figures count every question whose outcome
    is known: those with a first reply, and those still without one after their deadline
    (``overdue``). Questions closed without any reply (duplicates, withdrawn questions) are
    left out (``closed_without_reply``), as are unanswered questions still within their
    deadline.

    - ``within_sla_share``: first replies in time / (questions with a first reply + overdue).
    - ``median_response_days`` and ``mean_response_days``: over the same questions; an overdue
      question counts with the working time it has waited so far (a lower bound), so waiting
      questions pull the figures up instead of disappearing from them.
    - ``sla_breaches``: late first replies plus overdue questions.
    """

    year: int
    questions: int
    local_governments: int
    per_theme: list[tuple[str, int]] = field(default_factory=list)
    per_month: list[tuple[int, int]] = field(default_factory=list)
    responded: int = 0
    overdue: int = 0
    closed_without_reply: int = 0
    median_response_days: float | None = None
    mean_response_days: float | None = None
    within_sla: int = 0
    within_sla_share: float | None = None
    sla_breaches: int = 0
    open_questions: int = 0

    @property
    def measured(self) -> int:
        """The questions the SLA share and the response times are computed over."""
        return self.responded + self.overdue

    @property
    def sentence(self) -> str:
        """E.g. "133 questions from 53 local governments in 2023"."""
        questions = ngettext("%(count)d question", "%(count)d questions", self.questions) % {
            "count": self.questions
        }
        governments = ngettext(
            "%(count)d local government", "%(count)d local governments", self.local_governments
        ) % {"count": self.local_governments}
        return _("%(questions)s from %(governments)s in %(year)d") % {
            "questions": questions,
            "governments": governments,
            "year": self.year,
        }


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def statistics_years() -> list[int]:
    """The years that have questions, newest first."""
    return sorted({d.year for d in Question.objects.dates("created_at", "year")}, reverse=True)


def statistics_for_year(year: int, *, now: datetime.datetime | None = None) -> YearStatistics:
    """Counts for ``year``: two queries (themes, and the questions' ids and timestamps)."""
    now = now or timezone.now()
    start, end = _year_bounds(year)
    rows = list(
        Question.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "municipality_id", "theme_id", "status", "created_at", "due_at", "first_response_at"
        )
    )
    themes = list(Theme.objects.order_by("position", "name").values_list("pk", "name"))
    calendar = Calendar.from_settings()
    zone = timezone.get_default_timezone()

    theme_counts = Counter(theme_id for _m, theme_id, *_rest in rows)
    month_counts = Counter(created.astimezone(zone).month for *_a, created, _d, _f in rows)
    response_days: list[float] = []
    responded = 0
    overdue = 0
    closed_without_reply = 0
    within = 0
    late = 0
    open_count = 0
    for _municipality, _theme, status, created, due, first in rows:
        if status in OPEN_STATUSES:
            open_count += 1
        if first is not None:
            responded += 1
            response_days.append(working_days_between(created, first, calendar))
            if first <= due:
                within += 1
            else:
                late += 1
        elif status == QuestionStatus.CLOSED:
            closed_without_reply += 1  # a duplicate or a withdrawn question: no SLA
        elif due < now:
            overdue += 1  # still waiting: counted with the time waited so far
            response_days.append(working_days_between(created, now, calendar))
    return YearStatistics(
        year=year,
        questions=len(rows),
        local_governments=len({municipality for municipality, *_rest in rows}),
        per_theme=[(name, theme_counts.get(pk, 0)) for pk, name in themes],
        per_month=[(month, month_counts.get(month, 0)) for month in range(1, 13)],
        responded=responded,
        overdue=overdue,
        closed_without_reply=closed_without_reply,
        median_response_days=stats.median(response_days) if response_days else None,
        mean_response_days=stats.fmean(response_days) if response_days else None,
        within_sla=within,
        within_sla_share=within / len(response_days) if response_days else None,
        sla_breaches=late + overdue,
        open_questions=open_count,
    )


def queue_overdue_filter(now: datetime.datetime) -> Q:
    """Open questions without a first reply after their deadline (``Question.overdue``)."""
    return Q(status__in=OPEN_STATUSES, first_response_at__isnull=True, due_at__lt=now)


# --- The staff queue -------------------------------------------------------------------------

# The earliest deadlines first, 25 at a time (a screenful, as helpdesks show their queues);
# every row costs rendering time on a page VVSG staff reload all day (issue 11).
QUEUE_PAGE_SIZE = 25


def _queue(open_only: bool, unassigned: bool, /, **filters: Any) -> QuerySet[Question]:
    """The queue's rows in deadline order, filtered on the ``filters`` given (status, theme,
    assigned_to, municipality: ids and codes)."""
    # Only what the queue shows (subjects, never the question itself) and what its deadline
    # flags need: rows of four models each, so every column left out counts.
    questions = Question.objects.select_related("municipality", "theme", "assigned_to").only(
        "reference",
        "subject",
        "status",
        "created_at",
        "due_at",
        "first_response_at",
        "municipality",
        "municipality__name_nl",
        "theme",
        "theme__name",
        "assigned_to",
        "assigned_to__full_name",
    )
    if open_only:
        # Written into the SQL: the partial index of open questions serves every execution.
        questions = questions.filter(in_constants("status", OPEN_STATUSES))
    if unassigned:
        questions = questions.filter(assigned_to__isnull=True)
    for name in ("status", "theme_id", "assigned_to_id", "municipality_id"):
        if name in filters:
            questions = questions.filter(**{name: filters[name]})
    if "overdue_at" in filters:
        questions = questions.filter(queue_overdue_filter(filters["overdue_at"]))
    return questions.order_by("due_at", "created_at")


# Compiled once per process and filter combination (lib/prepared.py); "only overdue" compares
# with the current time, which is no value a compiled query may keep: it is asked as built.
_queue_pages = PreparedPage[Question](_queue, QUEUE_PAGE_SIZE)


def queue_page(
    *,
    number: Any,
    open_only: bool,
    status: str | None = None,
    theme: Theme | None = None,
    assigned_to: User | None = None,
    unassigned: bool = False,
    municipality: Any = None,
    overdue_at: datetime.datetime | None = None,
) -> Page:
    """A page of the staff queue, by first-response deadline, with the filters given."""
    filters: dict[str, Any] = {}
    if status is not None:
        filters["status"] = status
    if theme is not None:
        filters["theme_id"] = theme.pk
    if assigned_to is not None:
        filters["assigned_to_id"] = assigned_to.pk
    if municipality is not None:
        filters["municipality_id"] = getattr(municipality, "pk", municipality)
    if overdue_at is not None:
        filters["overdue_at"] = overdue_at
        questions = _queue(open_only, unassigned, **filters)
        return Paginator(questions, QUEUE_PAGE_SIZE).get_page(number)
    return _queue_pages.get_page(number, open_only, unassigned, **filters)
