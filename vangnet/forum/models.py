"""The forum: closed spaces where local-government colleagues and VVSG exchange experience.

A space admits people by rule, not by a member list, so access follows the cell memberships:
coordinators (and deputies) of any cell, case managers (anyone who is case manager on a case, plus
coordinators), or every member of a cell in one province. VVSG staff see every space and moderate.
Posts are encrypted at rest (platform key) and pass the same personal-data check as helpdesk
questions; a moderator can hide or edit a post, or change a thread's title, always with a reason
that is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Province
from vangnet.keyring.fields import EncryptedTextField

TITLE_MAX_LENGTH = 200
POST_MAX_LENGTH = 10_000


class SpaceKind(models.TextChoices):
    COORDINATORS = "coordinators", _("Coordinators")
    CASE_MANAGERS = "case_managers", _("Case-manager intervision")
    PROVINCE = "province", _("Province")
    MEMBERS = "members", _("All local-government members")


class Space(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(_("who may join"), max_length=20, choices=SpaceKind.choices)
    province = models.CharField(
        _("province"), max_length=5, choices=Province.choices, blank=True, default=""
    )
    position = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum space")
        verbose_name_plural = _("forum spaces")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="province") & ~models.Q(province=""))
                | (~models.Q(kind="province") & models.Q(province="")),
                name="forum_space_province_iff_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Thread(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = EncryptedTextField(_("title"), cell_field=None)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_post_at = models.DateTimeField(default=timezone.now)
    locked = models.BooleanField(_("closed for replies"), default=False)
    # Why a moderator closed the thread (shown on the thread; empty while it is open).
    locked_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-last_post_at"]
        indexes = [models.Index(fields=["space", "-last_post_at"])]

    def __str__(self) -> str:
        return str(self.id)


class Post(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("message"), cell_field=None)
    personal_data_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hidden")
    SHOW = "show", _("Shown again")
    EDIT = "edit", _("Edited")
    TITLE = "title", _("Title edited")


class Moderation(models.Model):
    """What a moderator did to a post or a thread and why (kept; shown on the thread).

    Exactly one of ``post`` and ``thread`` is set: a thread only for a title edit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="moderations"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="moderations"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=ModerationAction.choices)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, thread__isnull=True)
                | models.Q(post__isnull=True, thread__isnull=False),
                name="forum_moderation_post_xor_thread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.post_id or self.thread_id}"


class Subscription(models.Model):
    """A user follows a thread or a whole space; digests count what is new since ``notified_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(space__isnull=True, thread__isnull=False)
                | models.Q(space__isnull=False, thread__isnull=True),
                name="forum_subscription_space_xor_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="forum_subscription_unique_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "space"],
                condition=models.Q(space__isnull=False),
                name="forum_subscription_unique_space",
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk}"
