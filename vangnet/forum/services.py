"""Forum workflows: threads, replies, moderation, subscriptions and the digest.

Titles and posts are encrypted, so nothing here filters or orders on them. Audit events hold
ids and counts only, never a title, a post or a reason (a reason may quote the post).
Access to a space is checked by the views (``forum.access``); the digest checks it again for
every recipient, so nobody hears about a space they have lost.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from vangnet.audit.services import audit_record
from vangnet.forum.access import can_moderate, forum_access
from vangnet.forum.models import (
    POST_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Moderation,
    ModerationAction,
    Post,
    Space,
    Subscription,
    Thread,
)

if TYPE_CHECKING:
    from vangnet.accounts.models import User

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = Moderation._meta.get_field("reason").max_length or 300


def _text(value: str, *, max_length: int, empty: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty)
    if len(value) > max_length:
        raise ValidationError(too_long % {"max": max_length})
    return value


def _body(value: str) -> str:
    return _text(
        value,
        max_length=POST_MAX_LENGTH,
        empty=_("Write a message."),
        too_long=_("A message can be at most %(max)s characters long."),
    )


def _reason(value: str) -> str:
    return _text(
        value,
        max_length=REASON_MAX_LENGTH,
        empty=_("Give the reason: it is kept and shown with the post."),
        too_long=_("A reason can be at most %(max)s characters long."),
    )


def _require_moderator(user: User) -> None:
    if not can_moderate(user):
        raise PermissionDenied


@transaction.atomic
def thread_start(
    *,
    space: Space,
    author: User,
    title: str,
    body: str,
    personal_data_confirmed: bool = False,
) -> Thread:
    """Open a thread with its first post; the author follows the thread from then on."""
    if space.archived:
        raise ValidationError(_("This space is archived."))
    title = _text(
        title,
        max_length=TITLE_MAX_LENGTH,
        empty=_("Give the thread a title."),
        too_long=_("A title can be at most %(max)s characters long."),
    )
    body = _body(body)
    now = timezone.now()
    thread = Thread.objects.create(
        space=space, author=author, title=title, created_at=now, last_post_at=now
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        personal_data_confirmed=personal_data_confirmed,
        created_at=now,
    )
    _subscribe(user=author, thread=thread, now=now)
    audit_record(
        action="forum.thread.started",
        actor=author,
        target=thread,
        data={
            "space": str(space.pk),
            "post": str(post.pk),
            "personal_data_confirmed": personal_data_confirmed,
        },
    )
    return thread


@transaction.atomic
def post_reply(
    *, thread: Thread, author: User, body: str, personal_data_confirmed: bool = False
) -> Post:
    """Add a reply to an open thread; the author follows the thread from then on."""
    # Lock the thread row so a reply cannot slip in while a moderator closes it.
    locked = list(
        Thread.objects.select_for_update().filter(pk=thread.pk).values_list("locked", flat=True)
    )
    if locked != [False]:
        raise ValidationError(_("This thread is closed for replies."))
    body = _body(body)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        personal_data_confirmed=personal_data_confirmed,
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    thread.last_post_at = now
    _subscribe(user=author, thread=thread, now=now)
    audit_record(
        action="forum.post.created",
        actor=author,
        target=post,
        data={"thread": str(thread.pk), "personal_data_confirmed": personal_data_confirmed},
    )
    return post


MODERATION_AUDIT_ACTIONS: dict[str, str] = {
    ModerationAction.HIDE: "forum.post.hidden",
    ModerationAction.SHOW: "forum.post.shown",
    ModerationAction.EDIT: "forum.post.edited",
}


def _moderate(*, post: Post, moderator: User, action: str, reason: str) -> Moderation:
    moderation = Moderation.objects.create(
        post=post, moderator=moderator, action=action, reason=reason
    )
    audit_record(
        action=MODERATION_AUDIT_ACTIONS[action],
        actor=moderator,
        target=post,
        data={"thread": str(post.thread_id), "moderation": str(moderation.pk)},
    )
    return moderation


@transaction.atomic
def post_hide(*, post: Post, moderator: User, reason: str) -> Moderation:
    """Hide a post from members; the reason is kept and shown in its place."""
    _require_moderator(moderator)
    reason = _reason(reason)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."))
    post.hidden_at = timezone.now()
    post.save(update_fields=["hidden_at"])
    return _moderate(post=post, moderator=moderator, action=ModerationAction.HIDE, reason=reason)


@transaction.atomic
def post_show(*, post: Post, moderator: User, reason: str) -> Moderation:
    """Show a hidden post again (with a reason, kept like the hiding)."""
    _require_moderator(moderator)
    reason = _reason(reason)
    if not post.is_hidden:
        raise ValidationError(_("This post is not hidden."))
    post.hidden_at = None
    post.save(update_fields=["hidden_at"])
    return _moderate(post=post, moderator=moderator, action=ModerationAction.SHOW, reason=reason)


@transaction.atomic
def post_edit(
    *,
    post: Post,
    moderator: User,
    body: str,
    reason: str,
    personal_data_confirmed: bool = False,
) -> Moderation:
    """Replace a post's text (e.g. to remove personal data); the reason is shown with it."""
    _require_moderator(moderator)
    reason = _reason(reason)
    body = _body(body)
    post.body = body
    post.edited_at = timezone.now()
    post.personal_data_confirmed = personal_data_confirmed
    post.save(update_fields=["body", "edited_at", "personal_data_confirmed"])
    return _moderate(post=post, moderator=moderator, action=ModerationAction.EDIT, reason=reason)


def _thread_set_locked(*, thread: Thread, moderator: User, reason: str, locked: bool) -> None:
    _require_moderator(moderator)
    reason = _reason(reason)
    if thread.locked == locked:
        raise ValidationError(
            _("This thread is already closed.") if locked else _("This thread is already open.")
        )
    thread.locked = locked
    thread.locked_reason = reason if locked else ""
    thread.save(update_fields=["locked", "locked_reason"])
    # The reason is not kept in the audit log (it may quote the thread); only that it was given.
    audit_record(
        action="forum.thread.locked" if locked else "forum.thread.unlocked",
        actor=moderator,
        target=thread,
        data={"space": str(thread.space_id)},
    )


@transaction.atomic
def thread_lock(*, thread: Thread, moderator: User, reason: str) -> None:
    """Close a thread for replies."""
    _thread_set_locked(thread=thread, moderator=moderator, reason=reason, locked=True)


@transaction.atomic
def thread_unlock(*, thread: Thread, moderator: User, reason: str) -> None:
    """Open a closed thread for replies again."""
    _thread_set_locked(thread=thread, moderator=moderator, reason=reason, locked=False)


def _subscribe(*, user: User, thread: Thread, now: datetime.datetime) -> None:
    Subscription.objects.get_or_create(
        user=user, thread=thread, defaults={"notified_at": now, "created_at": now}
    )


@transaction.atomic
def subscription_set(
    *, user: User, space: Space | None = None, thread: Thread | None = None, on: bool
) -> bool:
    """Follow (``on``) or stop following a space or a thread; return whether anything changed."""
    if (space is None) == (thread is None):
        raise ValueError("subscription_set takes exactly one of space and thread")
    if on:
        _subscription, changed = Subscription.objects.get_or_create(
            user=user, space=space, thread=thread
        )
    else:
        deleted, _detail = Subscription.objects.filter(
            user=user, space=space, thread=thread
        ).delete()
        changed = deleted > 0
    if changed:
        target = space if space is not None else thread
        audit_record(
            action="forum.subscription.started" if on else "forum.subscription.ended",
            actor=user,
            target=target,
            data={"kind": "space" if space is not None else "thread"},
        )
    return changed


# -- Digest ----------------------------------------------------------------------------------


@dataclass
class SpaceNews:
    name: str
    position: int
    threads: int = 0
    posts: int = 0


@dataclass
class Digest:
    spaces: dict[str, SpaceNews] = field(default_factory=dict)

    def add(self, space: Space, *, threads: int = 0, posts: int = 0) -> None:
        news = self.spaces.setdefault(
            str(space.pk), SpaceNews(name=space.name, position=space.position)
        )
        news.threads += threads
        news.posts += posts

    @property
    def rows(self) -> list[SpaceNews]:
        return sorted(
            (n for n in self.spaces.values() if n.threads or n.posts),
            key=lambda n: (n.position, n.name),
        )


def _digest_for(user: User, subscriptions: list[Subscription], now: datetime.datetime) -> Digest:
    """Count what is new for one user in the spaces they may still enter (counts only)."""
    access = forum_access(user)
    digest = Digest()
    for subscription in subscriptions:
        if subscription.thread is not None:
            space = subscription.thread.space
            if not access.allows(space):
                continue
            posts = (
                Post.objects.filter(
                    thread=subscription.thread,
                    created_at__gt=subscription.notified_at,
                    created_at__lte=now,
                    hidden_at__isnull=True,
                )
                .exclude(author=user)
                .count()
            )
            digest.add(space, posts=posts)
        elif subscription.space is not None:
            space = subscription.space
            if not access.allows(space):
                continue
            threads = (
                Thread.objects.filter(
                    space=space,
                    created_at__gt=subscription.notified_at,
                    created_at__lte=now,
                    posts__hidden_at__isnull=True,  # at least one visible post
                )
                .exclude(author=user)
                .distinct()
                .count()
            )
            digest.add(space, threads=threads)
    return digest


def _digest_mail(user: User, digest: Digest) -> None:
    context = {
        "rows": digest.rows,
        "url": settings.SITE_URL + reverse("forum:index"),
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: new activity in the forum")
        body = render_to_string("forum/emails/digest.txt", context)
    send_mail(subject, body, None, [user.email])


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Mail every subscriber once with what is new since their last digest; return the count.

    The mail holds counts and space names only (never a title or a post) and a link to the
    forum. Posts that are hidden or written by the recipient do not count, nor do spaces the
    recipient can no longer enter. After a successful mail (or when there is nothing new) the
    subscriptions' ``notified_at`` moves to ``now``, so a second run sends nothing; when the
    mail server fails, it stays, and the next run tries again. Each user's subscriptions are
    row-locked while they are handled, so two overlapping runs do not both send.
    """
    from vangnet.accounts.models import User

    now = now or timezone.now()
    user_ids = list(
        Subscription.objects.filter(user__is_active=True)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        try:
            with transaction.atomic():
                subscriptions = list(
                    Subscription.objects.select_for_update(of=("self",))
                    .filter(user=user)
                    .select_related("space", "thread__space")
                    .order_by("created_at")
                )
                digest = _digest_for(user, subscriptions, now)
                if digest.rows:
                    _digest_mail(user, digest)
                    sent += 1
                Subscription.objects.filter(
                    pk__in=[s.pk for s in subscriptions], notified_at__lt=now
                ).update(notified_at=now)
        except Exception:  # one failing address must not stop the other digests
            logger.exception("A forum digest could not be sent (user %s)", user.pk)
    if sent:
        audit_record(action="forum.digest.sent", data={"mails": sent})
    return sent
