"""Forum pages: my spaces, what I follow, a space's threads, a thread, moderation forms.

Every view loads its space, thread or post through ``forum.access`` (one 404 for missing and
forbidden). Moderation is for VVSG staff: a member of the space who is not staff gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.forum import services
from vangnet.forum.access import (
    ForumAccess,
    forum_access,
    post_for_user,
    space_for_user,
    spaces_for_user,
    thread_for_user,
)
from vangnet.forum.forms import (
    PostEditForm,
    ReasonForm,
    ReplyForm,
    ThreadForm,
    ThreadTitleForm,
)
from vangnet.forum.models import Moderation, ModerationAction, Post, Space, Subscription, Thread
from vangnet.lib.typealias import AuthenticatedHttpRequest

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50


def _thread_url(thread: Thread) -> str:
    return reverse("forum:thread", kwargs={"thread_id": thread.pk})


def _space_url(space: Space) -> str:
    return reverse("forum:space", kwargs={"space_id": space.pk})


def _bound(request: AuthenticatedHttpRequest) -> Any:
    """The POST data to bind a form to (an empty POST too: it must show its errors)."""
    return request.POST if request.method == "POST" else None


# Where (un)follow buttons send the user back to: the page they came from.
FROM_FOLLOWING = "following"


@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = forum_access(request.user)
    spaces = spaces_for_user(request.user, access)
    stats = {
        row["space_id"]: row
        for row in Thread.objects.filter(space__in=spaces)
        .order_by()
        .values("space_id")
        .annotate(threads=Count("id"), last=Max("last_post_at"))
    }
    rows = [
        {
            "space": space,
            "threads": stats.get(space.pk, {}).get("threads", 0),
            "last": stats.get(space.pk, {}).get("last"),
        }
        for space in spaces
    ]
    return render(request, "forum/index.html", {"rows": rows, "access": access})


@require_GET
def following(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The spaces and threads I follow (and can still enter), each with a button to unfollow."""
    access = forum_access(request.user)
    subscriptions = (
        Subscription.objects.filter(user=request.user)
        .select_related("space", "thread__space")
        .order_by("created_at")
    )
    spaces: list[Space] = []
    threads: list[Thread] = []
    for subscription in subscriptions:
        if subscription.space is not None and access.allows(subscription.space):
            spaces.append(subscription.space)
        elif subscription.thread is not None and access.allows(subscription.thread.space):
            threads.append(subscription.thread)
    spaces.sort(key=lambda space: (space.position, space.name))
    threads.sort(key=lambda thread: thread.last_post_at, reverse=True)
    context = {"spaces": spaces, "threads": threads, "from_following": FROM_FOLLOWING}
    return render(request, "forum/following.html", context)


@require_GET
def space(request: AuthenticatedHttpRequest, space_id: uuid.UUID) -> HttpResponse:
    access = forum_access(request.user)
    the_space = space_for_user(request.user, space_id, access)
    threads = (
        Thread.objects.filter(space=the_space)
        .select_related("author")
        .annotate(post_count=Count("posts"))
        .order_by("-last_post_at", "-created_at")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "space": the_space,
        "page": page,
        "access": access,
        "subscribed": Subscription.objects.filter(user=request.user, space=the_space).exists(),
    }
    return render(request, "forum/space.html", context)


def _space_subscription(
    request: AuthenticatedHttpRequest, space_id: uuid.UUID, on: bool
) -> HttpResponse:
    the_space = space_for_user(request.user, space_id)
    services.subscription_set(user=request.user, space=the_space, on=on)
    if on:
        messages.success(
            request, _("You follow this space: the digest tells you about new threads.")
        )
    else:
        messages.success(request, _("You no longer follow this space."))
    if request.POST.get("from") == FROM_FOLLOWING:
        return redirect("forum:following")
    return redirect(_space_url(the_space))


@require_POST
def space_subscribe(request: AuthenticatedHttpRequest, space_id: uuid.UUID) -> HttpResponse:
    return _space_subscription(request, space_id, True)


@require_POST
def space_unsubscribe(request: AuthenticatedHttpRequest, space_id: uuid.UUID) -> HttpResponse:
    return _space_subscription(request, space_id, False)


@require_http_methods(["GET", "POST"])
def thread_start(request: AuthenticatedHttpRequest, space_id: uuid.UUID) -> HttpResponse:
    the_space = space_for_user(request.user, space_id)
    form = ThreadForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                space=the_space,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                personal_data_confirmed=form.cleaned_data["personal_data_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread is started."))
            return redirect(_thread_url(thread))
    context = {"space": the_space, "form": form}
    return render(request, "forum/thread_start.html", context)


def _posts_page(thread: Thread, number: str | None) -> Page:
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "moderations",
                queryset=Moderation.objects.filter(
                    action__in=[ModerationAction.HIDE, ModerationAction.EDIT]
                ).order_by("created_at"),
            )
        )
        .order_by("created_at", "id")
    )
    paginator = Paginator(posts, POSTS_PER_PAGE)
    page = paginator.page(paginator.num_pages) if number == "last" else paginator.get_page(number)
    for post in page:
        moderations = list(post.moderations.all())
        hides = [m for m in moderations if m.action == ModerationAction.HIDE]
        post.hide_reason = hides[-1].reason if hides and post.is_hidden else ""  # type: ignore[attr-defined]
        post.edit_reasons = [  # type: ignore[attr-defined]
            m.reason for m in moderations if m.action == ModerationAction.EDIT
        ]
    return page


def _thread_page(
    request: AuthenticatedHttpRequest,
    thread: Thread,
    access: ForumAccess,
    form: ReplyForm | None = None,
    page_number: str | None = None,
) -> HttpResponse:
    page = _posts_page(thread, page_number or request.GET.get("page"))
    if access.is_staff:
        # VVSG staff reading colleagues' posts is recorded, like reading a helpdesk question.
        audit_record(
            action="forum.thread.viewed",
            request=request,
            target=thread,
            data={"page": page.number},
        )
    context = {
        "thread": thread,
        "space": thread.space,
        "page": page,
        "access": access,
        "form": form if form is not None else ReplyForm(),
        "subscribed": Subscription.objects.filter(user=request.user, thread=thread).exists(),
        "title_reasons": list(
            Moderation.objects.filter(thread=thread, action=ModerationAction.TITLE)
            .order_by("created_at")
            .values_list("reason", flat=True)
        ),
    }
    return render(request, "forum/thread.html", context)


@require_GET
def thread(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    access = forum_access(request.user)
    the_thread = thread_for_user(request.user, thread_id, access)
    return _thread_page(request, the_thread, access)


@require_POST
def reply(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    access = forum_access(request.user)
    the_thread = thread_for_user(request.user, thread_id, access)
    if the_thread.locked:
        messages.error(request, _("This thread is closed for replies."))
        return redirect(_thread_url(the_thread))
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_reply(
                thread=the_thread,
                author=request.user,
                body=form.cleaned_data["body"],
                personal_data_confirmed=form.cleaned_data["personal_data_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(f"{_thread_url(the_thread)}?page=last#post-{post.pk}")
    # Back on the last page, under the newest posts, where the reply would have landed.
    return _thread_page(request, the_thread, access, form=form, page_number="last")


def _thread_subscription(
    request: AuthenticatedHttpRequest, thread_id: uuid.UUID, on: bool
) -> HttpResponse:
    the_thread = thread_for_user(request.user, thread_id)
    services.subscription_set(user=request.user, thread=the_thread, on=on)
    if on:
        messages.success(request, _("You follow this thread: the digest tells you about replies."))
    else:
        messages.success(request, _("You no longer follow this thread."))
    if request.POST.get("from") == FROM_FOLLOWING:
        return redirect("forum:following")
    return redirect(_thread_url(the_thread))


@require_POST
def thread_subscribe(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    return _thread_subscription(request, thread_id, True)


@require_POST
def thread_unsubscribe(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    return _thread_subscription(request, thread_id, False)


# -- Moderation (VVSG staff) ------------------------------------------------------------------


def _moderation_page(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    thread: Thread,
    post: Post | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "thread": thread,
        "post": post,
        "cancel_url": _thread_url(thread),
    }
    return render(request, "forum/moderate.html", context)


def _moderate_post(
    request: AuthenticatedHttpRequest,
    post_id: uuid.UUID,
    *,
    form_class: type[ReasonForm] | type[PostEditForm],
    action: Callable[..., Any],
    title: str,
    submit: str,
    done: str,
) -> HttpResponse:
    access = forum_access(request.user)
    post = post_for_user(request.user, post_id, access)
    if not access.can_moderate:
        raise PermissionDenied
    thread = post.thread
    initial = {"body": post.body} if form_class is PostEditForm else None
    form = form_class(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            action(post=post, moderator=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(f"{_thread_url(thread)}#post-{post.pk}")
    elif request.method == "GET":
        audit_record(
            action="forum.post.viewed",
            request=request,
            target=post,
            data={"thread": str(thread.pk)},
        )
    return _moderation_page(request, form, title=title, submit=submit, thread=thread, post=post)


@require_http_methods(["GET", "POST"])
def post_hide(request: AuthenticatedHttpRequest, post_id: uuid.UUID) -> HttpResponse:
    return _moderate_post(
        request,
        post_id,
        form_class=ReasonForm,
        action=services.post_hide,
        title=_("Hide a post"),
        submit=_("Hide the post"),
        done=_("The post is hidden. Members see the reason in its place."),
    )


@require_http_methods(["GET", "POST"])
def post_show(request: AuthenticatedHttpRequest, post_id: uuid.UUID) -> HttpResponse:
    return _moderate_post(
        request,
        post_id,
        form_class=ReasonForm,
        action=services.post_show,
        title=_("Show a hidden post again"),
        submit=_("Show the post"),
        done=_("The post is visible again."),
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedHttpRequest, post_id: uuid.UUID) -> HttpResponse:
    return _moderate_post(
        request,
        post_id,
        form_class=PostEditForm,
        action=services.post_edit,
        title=_("Edit a post"),
        submit=_("Save the post"),
        done=_("The post is changed. The reason is shown with it."),
    )


def _moderate_thread(
    request: AuthenticatedHttpRequest,
    thread_id: uuid.UUID,
    *,
    form_class: type[ReasonForm] | type[ThreadTitleForm] = ReasonForm,
    action: Callable[..., Any],
    title: str,
    submit: str,
    done: str,
) -> HttpResponse:
    access = forum_access(request.user)
    the_thread = thread_for_user(request.user, thread_id, access)
    if not access.can_moderate:
        raise PermissionDenied
    initial = {"title": the_thread.title} if form_class is ThreadTitleForm else None
    form = form_class(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action(thread=the_thread, moderator=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(_thread_url(the_thread))
    elif request.method == "GET" and form_class is ThreadTitleForm:
        # The form shows the current title: a read of the thread's text, like the thread page.
        audit_record(
            action="forum.thread.viewed",
            request=request,
            target=the_thread,
            data={"form": "title"},
        )
    return _moderation_page(request, form, title=title, submit=submit, thread=the_thread)


@require_http_methods(["GET", "POST"])
def thread_title_edit(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    return _moderate_thread(
        request,
        thread_id,
        form_class=ThreadTitleForm,
        action=services.thread_title_edit,
        title=_("Edit the title of a thread"),
        submit=_("Save the title"),
        done=_("The title is changed. The reason is shown on the thread."),
    )


@require_http_methods(["GET", "POST"])
def thread_lock(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    return _moderate_thread(
        request,
        thread_id,
        action=services.thread_lock,
        title=_("Close a thread for replies"),
        submit=_("Close the thread"),
        done=_("The thread is closed for replies."),
    )


@require_http_methods(["GET", "POST"])
def thread_unlock(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    return _moderate_thread(
        request,
        thread_id,
        action=services.thread_unlock,
        title=_("Open a thread for replies again"),
        submit=_("Open the thread"),
        done=_("The thread is open for replies again."),
    )
