"""Helpdesk pages: my questions, ask, one question (asker and staff), queue, canned answers,
statistics. Every view: access check -> form -> service -> render or redirect."""

from __future__ import annotations

import datetime
import io
import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.services import audit_record
from vangnet.helpdesk import services
from vangnet.helpdesk.access import (
    asker_municipality_codes,
    attachment_for_user,
    can_ask,
    is_staff,
    municipalities_for_asker,
    question_for_user,
    require_staff,
)
from vangnet.helpdesk.files import DecryptionError, attachment_decrypt
from vangnet.helpdesk.forms import (
    ALL,
    ASSIGNED_ME,
    ASSIGNED_NOBODY,
    OPEN,
    AssignForm,
    CannedAnswerForm,
    FaqForm,
    FollowUpForm,
    NoteForm,
    QuestionForm,
    QueueFilterForm,
    ReplyForm,
    StatusForm,
    YearForm,
)
from vangnet.helpdesk.models import (
    Attachment,
    CannedAnswer,
    MessageKind,
    Question,
    QuestionStatus,
)
from vangnet.knowledge.access import audiences_for
from vangnet.knowledge.models import Item
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.lib.urls import RowUrl
from vangnet.lib.views import form_page, posted

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def _question_url(question: Question) -> str:
    return reverse("helpdesk:question", kwargs={"question_id": question.pk})


def item_url(item: Item) -> str:
    """The knowledge item's page ("" if the knowledge app does not route it)."""
    try:
        return reverse("knowledge:item", kwargs={"item_id": item.pk})
    except NoReverseMatch:
        return ""


def _not_available(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "helpdesk/not_available.html", status=403)


def _files_to_select_again(request: AuthenticatedHttpRequest, form: Any) -> None:
    """A form shown again cannot keep its uploaded files: ask for them at the field."""
    if request.FILES and "attachments" in form.fields:
        form.add_error("attachments", _("Select your files again."))


# --- Askers ----------------------------------------------------------------------------------


@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The asker's own questions; VVSG staff go to the queue.

    Only for the local governments the asker still works for: after their membership ended,
    the page is not available (their questions stay, for VVSG and the statistics).
    """
    user = request.user
    if is_staff(user):
        return redirect("helpdesk:queue")
    if not can_ask(user):
        return _not_available(request)
    questions = (
        Question.objects.filter(asker=user, municipality__in=asker_municipality_codes(user))
        .select_related("theme", "municipality")
        .order_by("-created_at")
    )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/index.html",
        {
            "questions": page,
            "page": page,
            "can_ask": True,
            "sla_days": settings.VANGNET_HELPDESK_FIRST_RESPONSE_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if is_staff(user):
        return redirect("helpdesk:queue")
    if not can_ask(user):
        return _not_available(request)
    form = QuestionForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        municipalities=municipalities_for_asker(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_submit(
                asker=user,
                municipality=data["municipality"],
                theme=data["theme"],
                subject=data["subject"],
                body=data["body"],
                attachments=data["attachments"],
                personal_data_confirmed=data["personal_data_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your question %(reference)s was sent to VVSG.")
                % {"reference": question.reference},
            )
            return redirect(_question_url(question))
    if request.method == "POST":
        _files_to_select_again(request, form)
    return render(
        request,
        "helpdesk/ask.html",
        {
            "form": form,
            "title": _("Ask VVSG a question"),
            "submit": _("Send the question"),
            "cancel_url": reverse("helpdesk:index"),
            "multipart": True,
        },
    )


# --- One question ----------------------------------------------------------------------------


def _attachment_numbers(question: Question) -> dict[uuid.UUID, int]:
    ids = Attachment.objects.filter(question=question).order_by("uploaded_at", "id")
    return {pk: n for n, pk in enumerate(ids.values_list("pk", flat=True), start=1)}


def _question_page(
    request: AuthenticatedHttpRequest,
    question: Question,
    *,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """The question page; ``forms`` are bound forms shown again with their errors.

    Every rendering for VVSG staff (also after an invalid POST) is an audited read.
    """
    staff = is_staff(request.user)
    if staff:
        services.question_audit_view(question=question, user=request.user)
    forms = forms or {}
    # The asker sees the linked items they can still read: published, in their audiences.
    links = Item.objects.order_by("title")
    if not staff:
        links = links.published().filter(audience__in=audiences_for(request.user))
    thread = question.messages.select_related("author").prefetch_related(
        Prefetch("linked_items", queryset=links), "attachments"
    )
    if not staff:
        thread = thread.exclude(kind=MessageKind.NOTE)
    numbers = _attachment_numbers(question)
    entries = [
        {
            "message": message,
            "links": [(item, item_url(item)) for item in message.linked_items.all()],
            "attachments": [(a, numbers.get(a.pk, 0)) for a in message.attachments.all()],
        }
        for message in thread
    ]
    context: dict[str, Any] = {
        "question": question,
        "staff": staff,
        "entries": entries,
        "question_attachments": [
            (a, numbers.get(a.pk, 0)) for a in question.attachments.filter(message__isnull=True)
        ],
        "sla_state": question.sla_state(),
        "is_asker": question.asker_id is not None and question.asker_id == request.user.pk,
    }
    if staff:
        canned_answers = list(CannedAnswer.objects.filter(active=True).select_related("theme"))
        reply_initial: dict[str, Any] = {}
        chosen = request.GET.get("canned", "")
        if chosen and "reply_form" not in forms:
            canned = next((c for c in canned_answers if str(c.pk) == chosen), None)
            if canned is not None:
                reply_initial["body"] = canned.body
        context.update(
            {
                "canned_answers": canned_answers,
                "canned_chosen": chosen,
                "reply_form": forms.get("reply_form") or ReplyForm(initial=reply_initial),
                "note_form": forms.get("note_form") or NoteForm(),
                "assign_form": forms.get("assign_form")
                or AssignForm(initial={"assignee": question.assigned_to_id}),
                "status_form": forms.get("status_form") or StatusForm(question=question),
                "faq_url": item_url(question.faq_item) if question.faq_item else "",
                "can_make_faq": question.first_response_at is not None
                and question.faq_item_id is None,
            }
        )
    elif context["is_asker"]:
        follow_up_form = forms.get("follow_up_form")
        if follow_up_form is not None and follow_up_form.errors:
            # Also when the question was closed meanwhile: the error, and the text kept.
            context["follow_up_form"] = follow_up_form
        elif question.status != QuestionStatus.CLOSED:
            context["follow_up_form"] = FollowUpForm()
    return render(request, "helpdesk/question.html", context)


@require_GET
def question_detail(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id)
    return _question_page(request, question)


@require_POST
def question_follow_up(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id)
    if question.asker_id != request.user.pk:
        raise Http404
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.question_asker_reply(
                question=question,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
                personal_data_confirmed=form.cleaned_data["personal_data_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message was sent to VVSG."))
            return redirect(_question_url(question))
    _files_to_select_again(request, form)
    return _question_page(request, question, forms={"follow_up_form": form})


@require_POST
def question_reply(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id, staff_only=True)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_reply(
                question=question,
                author=request.user,
                body=data["body"],
                linked_items=data["linked_items"],
                attachments=data["attachments"],
                status=data["status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reply was sent; the asker gets an e-mail."))
            return redirect(_question_url(question))
    _files_to_select_again(request, form)
    return _question_page(request, question, forms={"reply_form": form})


@require_POST
def question_note(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id, staff_only=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.question_note_add(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect(_question_url(question))
    return _question_page(request, question, forms={"note_form": form})


@require_POST
def question_assign(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id, staff_only=True)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.question_assign(
                question=question, assignee=form.cleaned_data["assignee"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assignment is saved."))
            return redirect(_question_url(question))
    return _question_page(request, question, forms={"assign_form": form})


@require_POST
def question_status(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id, staff_only=True)
    form = StatusForm(request.POST, question=question)
    if form.is_valid():
        try:
            services.question_status_set(
                question=question, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status is changed."))
            return redirect(_question_url(question))
    return _question_page(request, question, forms={"status_form": form})


def _faq_suggestion(question: Question) -> dict[str, Any]:
    """A starting point for the FAQ item; staff must rewrite it anonymously."""
    last_reply = question.messages.filter(kind=MessageKind.REPLY).order_by("-created_at").first()
    body = linebreaks(question.body, autoescape=True)
    if last_reply is not None:
        body += f"\n<h2>{_('Answer')}</h2>\n" + linebreaks(last_reply.body, autoescape=True)
    return {"title": question.subject, "body": body, "theme": question.theme_id}


@require_http_methods(["GET", "POST"])
def question_faq(request: AuthenticatedHttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = question_for_user(request.user, question_id, staff_only=True)
    if question.faq_item_id is not None or question.first_response_at is None:
        messages.error(
            request,
            _("This question already has a FAQ item.")
            if question.faq_item_id
            else _("Answer the question before making a FAQ item of it."),
        )
        return redirect(_question_url(question))
    if request.method == "POST":
        form = FaqForm(request.POST)
    else:
        services.question_audit_view(question=question, user=request.user)
        form = FaqForm(initial=_faq_suggestion(question))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_faq_create(
                question=question,
                actor=request.user,
                title=data["title"],
                body=data["body"],
                audience=data["audience"],
                theme=data["theme"],
                status=data["status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Not the title: messages travel in a cookie, and the title is content.
            messages.success(request, _("The FAQ item is made."))
            return redirect(_question_url(question))
    return render(
        request,
        "helpdesk/faq_form.html",
        {
            "form": form,
            "title": _("Make a FAQ item of %(reference)s") % {"reference": question.reference},
            "intro": _(
                "A suggestion from the question and the last reply is filled in. Rewrite it so "
                "that nobody can be recognised: it becomes a knowledge item other local "
                "governments read."
            ),
            "submit": _("Make the FAQ item"),
            "cancel_url": _question_url(question),
            "multipart": False,
        },
    )


@require_GET
def attachment_download(
    request: AuthenticatedHttpRequest, question_id: uuid.UUID, attachment_id: uuid.UUID
) -> FileResponse:
    question = question_for_user(request.user, question_id)
    attachment = attachment_for_user(request.user, question, attachment_id)
    number = _attachment_numbers(question).get(attachment.pk, 1)
    audit_record(
        action="helpdesk.attachment.downloaded",
        request=request,
        target=attachment,
        data={"question": str(question.pk)},
    )
    try:
        with attachment.file.open("rb") as handle:
            ciphertext = handle.read()
    except OSError:
        logger.error("Stored file missing for helpdesk attachment %s", attachment.pk)
        raise Http404 from None
    try:
        content = attachment_decrypt(attachment_id=attachment.pk, ciphertext=ciphertext)
    except DecryptionError:
        logger.error("Stored file of helpdesk attachment %s does not decrypt", attachment.pk)
        raise Http404 from None
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"bijlage-{number}{attachment.extension}",
        content_type=attachment.content_type,
    )


# --- VVSG staff ------------------------------------------------------------------------------


@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every question for VVSG staff, filtered, by first-response deadline."""
    require_staff(request.user)
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, initial={"status": OPEN})
    form.is_valid()  # invalid filters are ignored one by one
    data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors}
    status = data.get("status") or OPEN
    page = services.queue_page(
        number=request.GET.get("page"),
        open_only=status == OPEN,
        status=status if status not in (OPEN, ALL) else None,
        theme=data.get("theme"),
        assigned_to=request.user if data.get("assigned") == ASSIGNED_ME else None,
        unassigned=data.get("assigned") == ASSIGNED_NOBODY,
        municipality=data.get("municipality") or None,
        overdue_at=now if data.get("breached") else None,
    )
    question_url = RowUrl("helpdesk:question", "question_id")
    rows = [(question, question.sla_state(now), question_url(question.pk)) for question in page]
    # The queue shows subjects: reading them is audited like opening a question.
    audit_record(action="helpdesk.queue.viewed", request=request, data={"questions": len(rows)})
    return render(request, "helpdesk/queue.html", {"form": form, "rows": rows, "page": page})


@require_GET
def canned_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    answers = CannedAnswer.objects.select_related("theme")
    return render(request, "helpdesk/canned_list.html", {"answers": answers})


def _canned_form_page(
    request: AuthenticatedHttpRequest, canned: CannedAnswer | None
) -> HttpResponse:
    initial = CannedAnswerForm.initial_for(canned) if canned else {}
    form = CannedAnswerForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.canned_answer_save(
                canned=canned,
                actor=request.user,
                title=data["title"],
                body=data["body"],
                theme=data["theme"],
                active=data["active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The canned answer is saved."))
            return redirect("helpdesk:canned_list")
    return form_page(
        request,
        form,
        title=_("Edit canned answer") if canned else _("New canned answer"),
        intro=_("Write it so it fits many questions; adapt it to each asker before sending."),
        cancel_url=reverse("helpdesk:canned_list"),
    )


@require_http_methods(["GET", "POST"])
def canned_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    return _canned_form_page(request, None)


@require_http_methods(["GET", "POST"])
def canned_edit(request: AuthenticatedHttpRequest, canned_id: uuid.UUID) -> HttpResponse:
    if not is_staff(request.user):
        raise Http404
    canned = get_object_or_404(CannedAnswer, pk=canned_id)
    return _canned_form_page(request, canned)


@require_GET
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    years = services.statistics_years()
    current = timezone.localdate().year
    if not years:
        years = [current]
    form = YearForm(
        request.GET if "year" in request.GET else None, years=years, initial={"year": years[0]}
    )
    year = form.cleaned_data["year"] if form.is_valid() else years[0]
    figures = services.statistics_for_year(year)
    return render(
        request,
        "helpdesk/statistics.html",
        {
            "form": form,
            "year": year,
            "figures": figures,
            "months": [(datetime.date(year, month, 1), n) for month, n in figures.per_month],
            "sla_days": settings.VANGNET_HELPDESK_FIRST_RESPONSE_DAYS,
        },
    )
