"""The VVSG helpdesk: questions from local governments, answered by VVSG staff.

A question belongs to its asker and the municipality it is asked for, not to a cell's case data:
VVSG staff read every question, an asker only their own. Subject, text, replies and notes are
encrypted at rest with the platform data key (they should be anonymous, but may not be). The SLA
clock runs in working time (``lib/workdays.py``): ``due_at`` is fixed when the question arrives,
``first_response_at`` is set by the first reply from VVSG.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Cell, Municipality
from vangnet.keyring.fields import EncryptedTextField
from vangnet.knowledge.models import Item, Theme
from vangnet.lib.choices import label_of

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000


class QuestionStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the asker")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.IN_PROGRESS, QuestionStatus.WAITING)

# What ``Question.sla_state`` says: overdue (no first response after the deadline, still open)
# is what the queue highlights; a late first response is history, shown as text only.
SLA_OVERDUE = "overdue"
SLA_ANSWERED_LATE = "answered_late"


class QuestionQuerySet(models.QuerySet["Question"]):
    def open(self) -> QuestionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime.datetime | None = None) -> QuestionQuerySet:
        """Open questions still waiting for a first response after their deadline.

        The SLA breaches someone can still do something about; a question closed without a
        reply (a duplicate, a withdrawn question) is not one.
        """
        return self.filter(
            status__in=OPEN_STATUSES,
            first_response_at__isnull=True,
            due_at__lt=now or timezone.now(),
        )


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A readable reference for phone calls ("V-2026-0042"); never used in URLs.
    reference = models.CharField(max_length=20, unique=True, editable=False)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="questions"
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("local government"),
    )
    cell = models.ForeignKey(
        Cell, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="questions", verbose_name=_("theme")
    )
    subject = EncryptedTextField(_("subject"), cell_field=None)
    body = EncryptedTextField(_("question"), cell_field=None)
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_questions",
        verbose_name=_("assigned to"),
    )
    # The asker saw the personal-data warning and confirmed the text is anonymous.
    personal_data_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    faq_item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_questions"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["created_at"]),
            # The queue's default view: open questions by deadline, read in index order.
            models.Index(
                fields=["due_at", "created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="helpdesk_question_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_label(self) -> str:
        """``get_status_display()`` for lists (``lib.choices.label_of``)."""
        return label_of(QuestionStatus, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def closed_without_reply(self) -> bool:
        """Closed before any reply (a duplicate, a withdrawn question): outside the SLA."""
        return self.first_response_at is None and self.status == QuestionStatus.CLOSED

    @property
    def answered_late(self) -> bool:
        """The first response came after the deadline."""
        return self.first_response_at is not None and self.first_response_at > self.due_at

    def overdue(self, now: datetime.datetime | None = None) -> bool:
        """Open, without a first response, and past the deadline: a breach to act on."""
        return (
            self.is_open
            and self.first_response_at is None
            and (now or timezone.now()) > self.due_at
        )

    def sla_state(self, now: datetime.datetime | None = None) -> str:
        """``SLA_OVERDUE``, ``SLA_ANSWERED_LATE`` or ``""`` (in time, or not measured)."""
        if self.overdue(now):
            return SLA_OVERDUE
        if self.answered_late:
            return SLA_ANSWERED_LATE
        return ""

    def sla_breached(self, now: datetime.datetime | None = None) -> bool:
        """First response later than promised, or still missing after the deadline.

        A question closed without any reply is not a breach.
        """
        return self.answered_late or self.overdue(now)


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Reply from VVSG")
    ASKER = "asker", _("Message from the asker")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    """A reply to the asker, a follow-up from the asker, or an internal note (staff only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("message"), cell_field=None)
    linked_items = models.ManyToManyField(
        Item, blank=True, related_name="+", verbose_name=_("knowledge items")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.question} {self.kind}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The uploaded file name may carry personal data: it never reaches the disk.
    return f"helpdesk/{instance.question_id}/{instance.id}{instance.extension}"


class Attachment(models.Model):
    """A document attached to a question or a message (PDF, DOCX or ODT, checked by content)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.question} {self.extension}"


class CannedAnswer(models.Model):
    """A reusable reply text for recurring questions, kept by VVSG staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=150, unique=True)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")

    def __str__(self) -> str:
        return self.title


class QuestionCounter(models.Model):
    """The last reference number per year (row-locked when a question is created)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
