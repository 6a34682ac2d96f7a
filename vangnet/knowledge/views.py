"""The knowledge base: public pages, VVSG staff editing and the good-practice flow.

Public pages (index, item, file download) answer anonymous visitors and signed-in users alike,
each seeing what ``audiences_for`` allows. Staff pages without an object answer 403 to others;
staff pages about an object answer 404 (no hint that it exists). Good practices are submitted by
local-government users (403 for others) and reviewed by VVSG staff.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.knowledge import services
from vangnet.knowledge.access import (
    audiences_for,
    audiences_for_request,
    item_for_reader,
    item_for_staff,
    practice_for_reviewer,
    require_local_government_user,
    require_staff,
)
from vangnet.knowledge.forms import (
    FileForm,
    ItemForm,
    PracticeForm,
    PublishPracticeForm,
    ReturnPracticeForm,
    SearchForm,
    practice_initial,
)
from vangnet.knowledge.models import (
    Audience,
    GoodPractice,
    Item,
    ItemFile,
    ItemStatus,
    PracticeStatus,
)
from vangnet.knowledge.search import PAGE_SIZE, query_problem, search, search_page
from vangnet.lib.pagination import CountedPaginator
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.lib.uploads import UploadRejected
from vangnet.lib.views import form_page, posted

STAFF_PAGE_SIZE = 50
logger = logging.getLogger(__name__)


# --- Public pages ------------------------------------------------------------------------------


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Browse and search the items this reader may see (published only)."""
    user = request.user
    # The page's one membership query, shared with the navigation.
    audiences = audiences_for_request(request)
    is_staff = user.is_authenticated and user.is_vvsg_staff
    form = SearchForm(request.GET or None)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # invalid filters are reported in the form and ignored
        data = form.cleaned_data
    # The text as typed, so that a refused query (too long, a NUL character) is explained
    # rather than silently dropped; search() runs it only when query_problem() accepts it.
    raw_query: str = request.GET.get("q", "")
    kind = data.get("kind") or None
    theme = data.get("theme")
    tag = (data.get("tag") or "").strip()
    problem = query_problem(raw_query) if raw_query else None
    items: Any
    count: int | None = None
    limited_to: int | None = None
    prepared = (
        search_page(
            raw_query,
            audiences=audiences,
            number=request.GET.get("page"),
            kind=kind,
            theme=theme,
            tag=tag,
        )
        if raw_query
        else None
    )
    if prepared is not None:
        page = prepared
    elif raw_query:
        result = search(raw_query, user=user, kind=kind, theme=theme, tag=tag, audiences=audiences)
        items, count, limited_to = result.items, result.count, result.limited_to
    else:
        items = (
            Item.objects.visible_to(user, audiences=audiences)
            .published()
            .order_by("-published_at", "title")
        )
        if kind:
            items = items.filter(kind=kind)
        if theme is not None:
            items = items.filter(themes=theme)
        if tag:
            items = items.tagged(tag)
    if prepared is None:
        # The list shows titles and summaries: the texts (up to 100,000 characters each) and
        # the search vector stay in the database.
        listed = items.prefetch_related("themes").defer("body", "body_text", "search_vector")
        paginator = CountedPaginator(listed, PAGE_SIZE, count=count)
        page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "items": page.object_list,
        "query": raw_query.strip() if problem is None else "",
        "problem": problem,
        "limited_to": limited_to,
        "tag": tag,
        "filtered": bool(raw_query or kind or theme or tag),
        "is_staff": is_staff,
        "is_local": not is_staff and Audience.MEMBERS in audiences,
    }
    return render(request, "knowledge/index.html", context)


@login_not_required
@require_GET
def item_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    audiences = audiences_for(request.user)
    item = item_for_reader(request.user, item_id, audiences=audiences)
    related = (
        Item.objects.visible_to(request.user, audiences=audiences)
        .published()
        .filter(related=item)
        .exclude(pk=item.pk)
        .order_by("title")
    )
    context = {
        "item": item,
        "files": list(item.files.all()),
        "themes": list(item.themes.all()),
        "tags": list(item.tags.all()),
        "related": list(related),
        "is_staff": request.user.is_authenticated and request.user.is_vvsg_staff,
    }
    return render(request, "knowledge/item.html", context)


@login_not_required
@require_GET
def file_download(request: HttpRequest, item_id: uuid.UUID, file_id: uuid.UUID) -> FileResponse:
    item = item_for_reader(request.user, item_id)
    item_file = get_object_or_404(ItemFile, pk=file_id, item=item)
    try:
        handle = item_file.file.open("rb")
    except OSError:
        logger.error("Stored file missing for knowledge file %s", item_file.pk)
        raise Http404 from None
    services.item_file_downloaded(item_file=item_file)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item_file.download_name,
        content_type=item_file.content_type,
    )


# --- VVSG staff: items -------------------------------------------------------------------------


@require_GET
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff list: drafts by default, or the published or archived items."""
    require_staff(request.user)
    status = request.GET.get("status", ItemStatus.DRAFT)
    if status not in ItemStatus.values:
        status = ItemStatus.DRAFT
    items = Item.objects.filter(status=status).order_by("-updated_at")
    page = Paginator(items, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": page.object_list,
        "status": status,
        "statuses": ItemStatus.choices,
        "to_review": GoodPractice.objects.filter(status=PracticeStatus.SUBMITTED).count(),
    }
    return render(request, "knowledge/manage.html", context)


@require_http_methods(["GET", "POST"])
def item_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        item = services.item_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The item is saved."))
        return redirect("knowledge:item", item_id=item.pk)
    return form_page(
        request,
        form,
        title=_("New knowledge item"),
        intro=_("Items of the audience 'everyone' appear on the public website once published."),
        cancel_url=reverse("knowledge:manage"),
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = item_for_staff(request.user, item_id)
    form = ItemForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        services.item_update(item=item, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The item is saved."))
        return redirect("knowledge:item", item_id=item.pk)
    return form_page(
        request,
        form,
        title=_("Edit “%(title)s”") % {"title": item.title},
        cancel_url=reverse("knowledge:item", kwargs={"item_id": item.pk}),
    )


@require_POST
def item_publish(request: AuthenticatedHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = item_for_staff(request.user, item_id)
    services.item_publish(item=item, actor=request.user)
    messages.success(request, _("The item is published."))
    return redirect("knowledge:item", item_id=item.pk)


@require_POST
def item_archive(request: AuthenticatedHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = item_for_staff(request.user, item_id)
    services.item_archive(item=item, actor=request.user)
    messages.success(request, _("The item is archived: only VVSG staff see it now."))
    return redirect("knowledge:item", item_id=item.pk)


@require_http_methods(["GET", "POST"])
def file_upload(request: AuthenticatedHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = item_for_staff(request.user, item_id)
    title = _("Upload a new version")
    cancel_url = reverse("knowledge:item", kwargs={"item_id": item.pk})
    if not item.has_files:
        messages.warning(request, _("Only documents, templates and publications have files."))
        return redirect(cancel_url)
    if _body_too_large(request):
        # Answer an oversized upload with a clear message instead of a rejected file later.
        # This is no protection against large bodies: by the time the view runs, the CSRF
        # middleware has already read the multipart POST (Django spooled the file to a
        # temporary file), and DATA_UPLOAD_MAX_MEMORY_SIZE does not count files. The real guard
        # is the web server's request-body limit (e.g. nginx client_max_body_size).
        form = FileForm(data={})
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("The file is too large: at most 20 MB is allowed."))
        return form_page(request, form, title=title, cancel_url=cancel_url, status=413)
    form = FileForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item_file = services.item_file_add(
                item=item,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except UploadRejected as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request, _("Version %(version)d is uploaded.") % {"version": item_file.version}
            )
            return redirect(cancel_url)
    return form_page(
        request,
        form,
        title=title,
        intro=_("The new file becomes the next version of “%(title)s”; earlier ones are kept.")
        % {"title": item.title},
        submit=_("Upload"),
        cancel_url=cancel_url,
    )


def _body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    # Room for the other form fields and the multipart boundaries.
    return length > settings.VANGNET_MAX_UPLOAD_BYTES + 64 * 1024


# --- Good practices: local governments ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def practice_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_local_government_user(request.user)
    municipalities = services.practice_municipalities(request.user)
    initial: dict[str, Any] = {}
    source_id = request.GET.get("from", "")
    if source_id:
        source = _own_practice(request, source_id)
        if source is not None:
            initial = practice_initial(source)
    form = PracticeForm(posted(request), initial=initial, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.practice_submit(
                user=request.user,
                municipality=data["municipality"],
                theme=data["theme"],
                title=data["title"],
                context=data["context"],
                approach=data["approach"],
                results=data["results"],
                contact_role=data["contact_role"],
                personal_data_confirmed=data["personal_data_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. VVSG reviews your good practice before it is published.")
            )
            return redirect("knowledge:practice_mine")
    context = {"form": form, "cancel_url": reverse("knowledge:practice_mine")}
    return render(request, "knowledge/practice_submit.html", context)


def _own_practice(request: AuthenticatedHttpRequest, practice_id: str) -> GoodPractice | None:
    try:
        pk = uuid.UUID(practice_id)
    except ValueError:
        return None
    return GoodPractice.objects.filter(pk=pk, submitted_by=request.user).first()


@require_GET
def practice_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_local_government_user(request.user)
    practices = (
        GoodPractice.objects.filter(submitted_by=request.user)
        .select_related("municipality", "theme", "item")
        .order_by("-submitted_at")
    )
    page = Paginator(practices, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "practices": page.object_list,
        # A published practice links to its item only if the author may open it (not when
        # VVSG published it for its own staff only).
        "audiences": audiences_for(request.user),
    }
    return render(request, "knowledge/practice_mine.html", context)


# --- Good practices: VVSG review ---------------------------------------------------------------


@require_GET
def practice_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    practices = (
        GoodPractice.objects.filter(status=PracticeStatus.SUBMITTED)
        .select_related("municipality", "theme")
        .order_by("submitted_at")
    )
    page = Paginator(practices, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "knowledge/practice_queue.html", {"page": page, "practices": page.object_list}
    )


@require_GET
def practice_review(request: AuthenticatedHttpRequest, practice_id: uuid.UUID) -> HttpResponse:
    practice = practice_for_reviewer(request.user, practice_id)
    return _review_page(request, practice, PublishPracticeForm(), ReturnPracticeForm())


def _review_page(
    request: AuthenticatedHttpRequest,
    practice: GoodPractice,
    publish_form: PublishPracticeForm,
    return_form: ReturnPracticeForm,
) -> HttpResponse:
    audit_record(action="knowledge.practice.viewed", request=request, target=practice)
    context = {
        "practice": practice,
        "publish_form": publish_form,
        "return_form": return_form,
        "open": practice.status == PracticeStatus.SUBMITTED,
    }
    return render(request, "knowledge/practice_review.html", context)


@require_POST
def practice_publish(request: AuthenticatedHttpRequest, practice_id: uuid.UUID) -> HttpResponse:
    practice = practice_for_reviewer(request.user, practice_id)
    form = PublishPracticeForm(request.POST)
    if not form.is_valid():
        return _review_page(request, practice, form, ReturnPracticeForm())
    try:
        item = services.practice_publish(
            practice=practice, reviewer=request.user, audience=form.cleaned_data["audience"]
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("knowledge:practice_review", practice_id=practice.pk)
    messages.success(request, _("The good practice is published."))
    return redirect("knowledge:item", item_id=item.pk)


@require_POST
def practice_return(request: AuthenticatedHttpRequest, practice_id: uuid.UUID) -> HttpResponse:
    practice = practice_for_reviewer(request.user, practice_id)
    form = ReturnPracticeForm(request.POST)
    if not form.is_valid():
        return _review_page(request, practice, PublishPracticeForm(), form)
    try:
        services.practice_return(
            practice=practice, reviewer=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("knowledge:practice_review", practice_id=practice.pk)
    messages.success(request, _("The good practice is returned to its author with your note."))
    return redirect("knowledge:practice_queue")
