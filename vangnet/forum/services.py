"""Forum workflows: threads, replies, moderation, subscriptions and the digest.

Titles and posts are encrypted, so nothing here filters or orders on them. Audit events hold
ids and counts only, never a title, a post or a reason (a reason may quote the post).
Access to a space is checked by the views (``forum.access``); the digest checks it again for
every recipient, so nobody hears about a space they have lost.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
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


def _title(value: str) -> str:
    return _text(
        value,
        max_length=TITLE_MAX_LENGTH,
        empty=_("Give the thread a title."),
        too_long=_("A title can be at most %(max)s characters long."),
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
    title = _title(title)
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
        Thread.objects.select_for_update(no_key=True)
        .filter(pk=thread.pk)
        .values_list("locked", flat=True)
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
def thread_title_edit(
    *,
    thread: Thread,
    moderator: User,
    title: str,
    reason: str,
    personal_data_confirmed: bool = False,
) -> Moderation:
    """Replace a thread's title (e.g. to remove personal data); the reason is shown on the thread.

    The old title is not kept anywhere. The audit event holds ids only, never a title or reason.
    """
    _require_moderator(moderator)
    reason = _reason(reason)
    title = _title(title)
    if title == thread.title:
        raise ValidationError(_("This is already the title of the thread."))
    thread.title = title
    thread.save(update_fields=["title"])
    moderation = Moderation.objects.create(
        thread=thread, moderator=moderator, action=ModerationAction.TITLE, reason=reason
    )
    audit_record(
        action="forum.thread.title_edited",
        actor=moderator,
        target=thread,
        data={
            "space": str(thread.space_id),
            "moderation": str(moderation.pk),
            "personal_data_confirmed": personal_data_confirmed,
        },
    )
    return moderation


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

# A post or thread is reported once it is this old. ``created_at`` is taken inside the
# transaction that writes the row, so a reply written just before a run can be committed (and
# become visible) just after the run read the database; counting only up to ``now - grace`` and
# moving ``notified_at`` to that same cut-off means such a late commit is counted by the next
# run instead of falling between two digests. Five minutes is far longer than any request takes.
DIGEST_GRACE = datetime.timedelta(minutes=5)


@dataclass
class SpaceNews:
    name: str
    position: int
    threads: int = 0
    posts: int = 0


@dataclass
class Digest:
    spaces: dict[str, SpaceNews] = field(default_factory=dict)
    # The subscriptions it covers and their ``notified_at`` when the digest was built.
    subscriptions: dict[uuid.UUID, datetime.datetime] = field(default_factory=dict)

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


@dataclass(frozen=True)
class DigestRun:
    """What one run did: mails sent and failed, subscriptions removed for lost access."""

    sent: int = 0
    failed: int = 0
    removed: int = 0


def _subscription_counts(cutoff: datetime.datetime) -> list[dict[str, Any]]:
    """Every active user's subscriptions with what is new in them, in one query.

    New replies (thread subscriptions) and new threads with at least one visible post (space
    subscriptions) are counted in correlated subqueries on the ``(thread, created_at)`` and
    ``(space, -last_post_at)`` indexes, so the query count does not grow with users, threads or
    posts. Hidden posts and the subscriber's own posts and threads do not count.
    """
    not_own_post = Q(author__isnull=True) | ~Q(author_id=OuterRef("user_id"))
    new_posts = (
        Post.objects.filter(
            not_own_post,
            thread_id=OuterRef("thread_id"),
            created_at__gt=OuterRef("notified_at"),
            created_at__lte=cutoff,
            hidden_at__isnull=True,
        )
        .order_by()
        .values("thread_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    visible_post = Post.objects.filter(thread_id=OuterRef("pk"), hidden_at__isnull=True)
    new_threads = (
        Thread.objects.filter(
            Q(author__isnull=True) | ~Q(author_id=OuterRef("user_id")),
            Exists(visible_post),
            space_id=OuterRef("space_id"),
            created_at__gt=OuterRef("notified_at"),
            created_at__lte=cutoff,
        )
        .order_by()
        .values("space_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Subscription.objects.filter(user__is_active=True)
        .annotate(
            new_posts=Coalesce(Subquery(new_posts), 0),
            new_threads=Coalesce(Subquery(new_threads), 0),
        )
        .order_by("user_id", "created_at")
        .values(
            "pk",
            "user_id",
            "space_id",
            "thread__space_id",
            "notified_at",
            "new_posts",
            "new_threads",
        )
    )


def _digest_mail(user: User, digest: Digest) -> None:
    context = {
        "rows": digest.rows,
        "url": settings.SITE_URL + reverse("forum:index"),
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("Vangnet: new activity in the forum")
        body = render_to_string("forum/emails/digest.txt", context)
    send_mail(subject, body, None, [user.email])


def _as_read(subscriptions: dict[uuid.UUID, datetime.datetime]) -> Q:
    """Match the subscriptions only while their ``notified_at`` is what the digest read."""
    match = Q(pk__in=[])
    for pk, notified_at in subscriptions.items():
        match |= Q(pk=pk, notified_at=notified_at)
    return match


def _digest_claim(digest: Digest, cutoff: datetime.datetime) -> bool:
    """Move the digest's subscriptions to ``cutoff`` if no other run did so first (one UPDATE)."""
    with transaction.atomic():
        moved = Subscription.objects.filter(_as_read(digest.subscriptions)).update(
            notified_at=cutoff
        )
        if moved == len(digest.subscriptions):
            return True
        transaction.set_rollback(True)  # another run handled (some of) them: leave it all
        return False


def _digest_release(digest: Digest, cutoff: datetime.datetime) -> None:
    """Put ``notified_at`` back after a failed mail, so the next run tries again."""
    Subscription.objects.filter(pk__in=list(digest.subscriptions), notified_at=cutoff).update(
        notified_at=Case(
            *(When(pk=pk, then=Value(at)) for pk, at in digest.subscriptions.items()),
            default=F("notified_at"),
        )
    )


def digest_send(*, now: datetime.datetime | None = None) -> DigestRun:
    """Mail every subscriber once with what is new since their last digest.

    The mail holds counts and space names only (never a title or a post) and a link to the
    forum. Posts that are hidden or written by the recipient do not count. Subscriptions to a
    space the recipient can no longer enter are removed (they could not even unfollow them).
    News is counted up to ``now - DIGEST_GRACE`` (see there) and ``notified_at`` moves to that
    cut-off, so a second run sends nothing new.

    The database work comes first and holds no lock while mail is sent: each recipient's
    subscriptions are claimed with one conditional UPDATE (only if ``notified_at`` is still what
    was read, so two overlapping runs do not both send), then the mail goes out; when the mail
    server fails, ``notified_at`` is put back and the next run tries again.
    """
    from vangnet.accounts.models import User

    now = now or timezone.now()
    cutoff = now - DIGEST_GRACE
    rows = _subscription_counts(cutoff)
    users = {user.pk: user for user in User.objects.filter(pk__in={r["user_id"] for r in rows})}
    spaces = {space.pk: space for space in Space.objects.all()}

    lost: list[uuid.UUID] = []
    quiet: list[uuid.UUID] = []
    digests: dict[uuid.UUID, Digest] = {}
    for user_id, user_rows in groupby(rows, key=itemgetter("user_id")):
        access = forum_access(users[user_id])
        digest = Digest()
        for row in user_rows:
            space = spaces[row["space_id"] or row["thread__space_id"]]
            if not access.allows(space):
                lost.append(row["pk"])
                continue
            digest.subscriptions[row["pk"]] = row["notified_at"]
            digest.add(space, threads=row["new_threads"], posts=row["new_posts"])
        if digest.rows:
            digests[user_id] = digest
        else:
            quiet += digest.subscriptions

    removed = 0
    if lost:
        removed, _detail = Subscription.objects.filter(pk__in=lost).delete()
        audit_record(action="forum.subscription.removed", data={"subscriptions": removed})
    if quiet:  # nothing new: move on, so what is hidden or already old now is never counted
        Subscription.objects.filter(pk__in=quiet, notified_at__lt=cutoff).update(notified_at=cutoff)

    sent = failed = 0
    for user_id, digest in digests.items():
        if not _digest_claim(digest, cutoff):
            continue
        try:
            _digest_mail(users[user_id], digest)
        except Exception:  # one failing address must not stop the other digests
            logger.exception("A forum digest could not be sent (user %s)", user_id)
            _digest_release(digest, cutoff)
            failed += 1
        else:
            sent += 1
    if sent or failed:
        audit_record(action="forum.digest.sent", data={"mails": sent, "failed": failed})
    return DigestRun(sent=sent, failed=failed, removed=removed)
