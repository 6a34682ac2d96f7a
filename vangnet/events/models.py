"""Network activities: bodies (working group, intervision, regional platforms) and their events,
registrations with a waiting list, personal calendar feeds and anonymous feedback."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Province


class BodyKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    INTERVISION = "intervision", _("Intervision group")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")


class NetworkBody(models.Model):
    """A standing group of the network, with members, events and shared documents."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=150, unique=True)
    province = models.CharField(_("province"), max_length=5, choices=Province.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network body")
        verbose_name_plural = _("network bodies")

    def __str__(self) -> str:
        return self.name


class BodyRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair")


class BodyMembership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=BodyRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"],
                condition=Q(ended_at__isnull=True),
                name="events_one_active_body_membership",
            )
        ]

    def __str__(self) -> str:
        return f"BodyMembership {self.pk}"


def _body_document_path(instance: BodyDocument, filename: str) -> str:
    # Never the uploaded name (it may carry personal data).
    return f"events/bodies/{instance.body_id}/{instance.id}{instance.extension}"


class BodyDocument(models.Model):
    """A version of a document shared within a body (PDF, DOCX or ODT, checked by content)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_body_document_path)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("body document")
        verbose_name_plural = _("body documents")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "title", "version"], name="events_body_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class EventKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    INTERVISION = "intervision", _("Intervision")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")
    INFO_SESSION = "info_session", _("Info session")
    TRAINING = "training", _("Training")
    STUDY_DAY = "study_day", _("Study day")
    WORK_VISIT = "work_visit", _("Work visit")
    TABLETOP_EXERCISE = "tabletop_exercise", _("Tabletop exercise")


class EventAudience(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("All local-government users")
    COORDINATORS = "coordinators", _("Coordinators and deputy coordinators")
    BODY_MEMBERS = "body_members", _("Members of the event's network body")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class EventSeries(models.Model):
    """Events that belong together, e.g. the four intervision sessions of a year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150)
    body = models.ForeignKey(
        NetworkBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("network body"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("series"),
    )
    body = models.ForeignKey(
        NetworkBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("network body"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=EventAudience.choices,
        default=EventAudience.LOCAL_GOVERNMENT,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    feedback_template = models.ForeignKey(
        "questionnaires.Template",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback survey"),
    )
    materials = models.ManyToManyField(
        "knowledge.Item", blank=True, related_name="+", verbose_name=_("materials")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class Registration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    feedback_given = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="events_one_active_registration",
            )
        ]

    def __str__(self) -> str:
        return f"Registration {self.pk}"


class CalendarFeed(models.Model):
    """A personal iCal feed behind a secret URL; only the token's hash is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="events_one_active_feed",
            )
        ]

    def __str__(self) -> str:
        return f"CalendarFeed {self.pk}"


class FeedbackResponse(models.Model):
    """One anonymous feedback form: no user and no time, so it cannot be linked to a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")

    def __str__(self) -> str:
        return f"FeedbackResponse {self.pk}"


class FeedbackAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    module = models.CharField(max_length=50)
    indicator = models.CharField(max_length=50)
    value = models.SmallIntegerField(null=True, blank=True)  # None: not applicable / text
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"FeedbackAnswer {self.pk}"
