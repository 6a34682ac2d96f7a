"""Home pages per role, the cell switcher and the cell's own page."""

from __future__ import annotations

import logging
import uuid
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.accounts.services import mfa_pending_start, user_create
from vangnet.accounts.views import NEXT_KEY
from vangnet.audit.services import audit_record
from vangnet.cells import services
from vangnet.cells.access import CellAccess, cell_for_user, cell_view, memberships_for_request
from vangnet.cells.forms import (
    AcknowledgeForm,
    DocumentForm,
    FrameworkForm,
    InviteForm,
    PhenomenonForm,
    ProfileForm,
    RegisterForm,
)
from vangnet.cells.history import HISTORY_LABELS
from vangnet.cells.models import (
    SECRECY_TEXT_VERSION,
    Cell,
    CellDocument,
    CellProfile,
    Framework,
    FrameworkPhenomenon,
    Invitation,
    Membership,
    Municipality,
    Role,
)
from vangnet.knowledge.access import is_local_government_user
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest
from vangnet.lib.uploads import UploadRejected
from vangnet.lib.views import form_page
from vangnet.network.models import Organisation

CURRENT_CELL_KEY = "vn_current_cell"
logger = logging.getLogger(__name__)


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each role to its own home: VVSG staff to support, cell members to their cell."""
    if request.user.is_vvsg_staff:
        return redirect("cells:support_home")
    memberships = memberships_for_request(request)
    if not memberships:
        if is_local_government_user(request.user):
            # Municipal staff: no cell pages, but the support desk is theirs.
            return redirect("helpdesk:index")
        return render(request, "cells/no_cell.html")
    cell_ids = [str(m.cell_id) for m in memberships]
    current = request.session.get(CURRENT_CELL_KEY)
    return redirect("cells:cell_home", cell_id=current if current in cell_ids else cell_ids[0])


def _attention(access: CellAccess) -> dict[str, int] | None:
    """What needs follow-up: counts only, for those who run the cell (no names, no codes)."""
    from vangnet.cases.access import CASE_ROLES
    from vangnet.cases.reminders import overdue_counts
    from vangnet.intake.models import Signal

    if not access.roles & CASE_ROLES:
        return None
    actions, reviews = overdue_counts(access.cell, timezone.localdate())
    to_screen = Signal.objects.filter(screened_at__isnull=True).count()
    return {"actions": actions, "reviews": reviews, "to_screen": to_screen}


def _rhythm(access: CellAccess) -> dict[str, object] | None:
    """Months since the last meeting of each kind, for those who run the cell."""
    from vangnet.meetings.models import MeetingKind
    from vangnet.meetings.services import rhythm

    if not access.can_oversee:
        return None
    data = rhythm(access.cell, timezone.localdate())
    months = data["months"]
    return {
        "rows": [(label, months[value]) for value, label in MeetingKind.choices],
        "nudge": not data["has_open_cases"],
        "network_months": months[MeetingKind.NETWORK],
    }


@require_POST
def cell_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = cell_for_user(request.user, request.POST.get("cell", ""))
    request.session[CURRENT_CELL_KEY] = str(access.cell.pk)
    return redirect("cells:cell_home", cell_id=access.cell.pk)


@require_GET
@cell_view
def cell_home(request: CellHttpRequest) -> HttpResponse:
    cell = request.cell
    request.session[CURRENT_CELL_KEY] = str(cell.pk)
    from vangnet.network.services import coverage_for_cell

    # The home page names who runs the cell and counts the rest (the members page lists all).
    audit_record(action="cells.members.viewed", request=request, cell=cell, target=cell)
    active = Membership.objects.filter(ended_at__isnull=True)
    roles_of_users = list(active.order_by().values_list("role", "user_id"))
    per_role = Counter(role for role, _user in roles_of_users)
    leads = _active_members(active.filter(role__in=LEAD_ROLES))
    context = {
        "cell": cell,
        "access": request.cell_access,
        "framework": Framework.objects.select_related("approved_by").first(),
        "profile": CellProfile.objects.first(),
        "phenomena": FrameworkPhenomenon.objects.filter(disabled_at__isnull=True),
        "municipalities": list(cell.municipalities.all()),
        "leads": leads,
        "member_roles": [
            (label, per_role[value]) for value, label in Role.choices if value in per_role
        ],
        # People, not memberships: someone with two roles is one member.
        "member_total": len({user for _role, user in roles_of_users}),
        "deputies": [m for m in leads if m.role == Role.DEPUTY_COORDINATOR],
        "coverage": coverage_for_cell(cell),
        "attention": _attention(request.cell_access),
        "rhythm": _rhythm(request.cell_access),
    }
    return render(request, "cells/cell_home.html", context)


@require_GET
def support_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """VVSG's start page: which municipalities have a cell on the platform. No case data."""
    if not request.user.is_vvsg_staff:
        raise Http404
    with scopes_disabled():  # the one cross-cell flag VVSG may read: is the map shared?
        shared = set(
            CellProfile.objects.filter(
                map_shared_with_vvsg=True, cell__in=Cell.objects.real()
            ).values_list("cell_id", flat=True)
        )
    # Exercise sandboxes are not cells on the platform for VVSG's overview (Cell.objects.real()).
    cells = (
        Cell.objects.real()
        .annotate(municipality_count=Count("municipalities"))
        .prefetch_related("municipalities")
    )
    covered = Municipality.objects.filter(cells__in=Cell.objects.real()).distinct().count()
    from vangnet.scans.models import Round

    with scopes_disabled():  # rounds a cell explicitly shared with VVSG (audited toggle)
        shared_rounds = list(
            Round.objects.filter(
                shared_with_vvsg=True, cell__in=Cell.objects.real()
            ).select_related("cell")
        )
    context = {
        "cells": cells,
        "shared": shared,
        "shared_rounds": shared_rounds,
        "covered": covered,
        "total_municipalities": Municipality.objects.count(),
    }
    return render(request, "cells/support_home.html", context)


# --- Profile and framework -----------------------------------------------------------------


def _home(request: CellHttpRequest) -> str:
    return reverse("cells:cell_home", kwargs={"cell_id": request.cell.pk})


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def profile_edit(request: CellHttpRequest) -> HttpResponse:
    profile = CellProfile.objects.get()
    form = ProfileForm(request.POST or None, instance=CellProfile.objects.get())
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, changes=form.cleaned_data, updated_by=request.user)
        messages.success(request, _("The cell profile is saved."))
        return redirect("cells:cell_home", cell_id=request.cell.pk)
    return form_page(request, form, title=_("Cell profile"), cancel_url=_home(request))


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def framework_edit(request: CellHttpRequest) -> HttpResponse:
    framework = Framework.objects.get()
    form = FrameworkForm(request.POST or None, instance=Framework.objects.get())
    if request.method == "POST" and form.is_valid():
        services.framework_update(
            framework=framework, changes=form.cleaned_data, updated_by=request.user
        )
        messages.success(request, _("The framework is saved. The mayor has to approve it again."))
        return redirect("cells:cell_home", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Framework"),
        intro=_("After a change the mayor approves the framework again."),
        cancel_url=_home(request),
    )


@require_POST
@cell_view(require="can_approve")
def framework_approve(request: CellHttpRequest) -> HttpResponse:
    try:
        services.framework_approve(
            framework=Framework.objects.get(),
            approved_by=request.user,
            seen_version=request.POST.get("version", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You approved the framework."))
    return redirect("cells:cell_home", cell_id=request.cell.pk)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def phenomenon_add(request: CellHttpRequest) -> HttpResponse:
    form = PhenomenonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phenomenon_enable(
                cell=request.cell, enabled_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The phenomenon is switched on."))
            return redirect("cells:cell_home", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Switch on a phenomenon"),
        intro=_(
            "An LIVC R prevents terrorist offences. Other risk behaviour can only be discussed "
            "when a separate legal basis allows it (art. 458ter Sw.)."
        ),
        submit=_("Switch on"),
        cancel_url=_home(request),
    )


@require_POST
@cell_view(require="can_manage")
def phenomenon_disable(request: CellHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(FrameworkPhenomenon, pk=item_id, disabled_at__isnull=True)
    services.phenomenon_disable(item=item, disabled_by=request.user)
    messages.success(request, _("The phenomenon is switched off."))
    return redirect("cells:cell_home", cell_id=request.cell.pk)


@require_POST
@cell_view(require="can_manage")
def map_sharing(request: CellHttpRequest) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    try:
        services.map_sharing_set(
            profile=CellProfile.objects.get(), shared=shared, changed_by=request.user
        )
    except ValidationError as error:  # a training cell shares nothing with VVSG
        messages.error(request, " ".join(error.messages))
    else:
        if shared:
            messages.success(
                request, _("VVSG can now see the partner map, without contact persons.")
            )
        else:
            messages.success(request, _("VVSG can no longer see the partner map."))
    return redirect("network:map", cell_id=request.cell.pk)


# --- Documents -----------------------------------------------------------------------------


@require_GET
@cell_view
def documents(request: CellHttpRequest) -> HttpResponse:
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "documents": CellDocument.objects.select_related("uploaded_by"),
    }
    return render(request, "cells/documents.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def document_upload(request: CellHttpRequest) -> HttpResponse:
    if _body_too_large(request):
        # Refuse before Django reads the body: nothing is written to disk.
        form = DocumentForm(data={})
        form.is_valid()
        form.errors.clear()  # only the size matters here, not the empty fields
        form.add_error(None, _("The file is too large: at most 20 MB is allowed."))
        return form_page(request, form, title=_("Upload a document"), status=413)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                cell=request.cell,
                kind=data["kind"],
                title=data["title"],
                upload=data["file"],
                approved_on=data["approved_on"],
                uploaded_by=request.user,
            )
        except UploadRejected as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("cells:documents", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Upload a document"),
        intro=_("A new upload of the same kind becomes the next version; earlier ones are kept."),
        submit=_("Upload"),
        cancel_url=reverse("cells:documents", kwargs={"cell_id": request.cell.pk}),
    )


def _body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    # Room for the other form fields and the multipart boundaries.
    return length > settings.VANGNET_MAX_UPLOAD_BYTES + 64 * 1024


@require_GET
@cell_view
def document_download(request: CellHttpRequest, document_id: uuid.UUID) -> FileResponse:
    document = get_object_or_404(CellDocument, pk=document_id)
    audit_record(
        action="cells.document.downloaded", request=request, cell=request.cell, target=document
    )
    filename = f"{document.get_kind_display()} v{document.version}{document.extension}"
    try:
        handle = document.file.open("rb")
    except OSError:
        logger.error("Stored file missing for document %s", document.pk)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=document.content_type,
    )
    return response


# --- Members and invitations ---------------------------------------------------------------


@require_GET
@cell_view
def members(request: CellHttpRequest) -> HttpResponse:
    access = request.cell_access
    audit_record(
        action="cells.members.viewed", request=request, cell=request.cell, target=request.cell
    )
    context = {
        "cell": request.cell,
        "access": access,
        "members": _active_members(),
        "invitations": (
            Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True).select_related(
                "organisation"
            )
            if access.can_manage
            else []
        ),
        "now": timezone.now(),
    }
    return render(request, "cells/members.html", context)


# Named on the cell's home page: the chair and those who run the cell.
LEAD_ROLES = (Role.MAYOR, Role.COORDINATOR, Role.DEPUTY_COORDINATOR)


def _active_members(memberships: QuerySet[Membership] | None = None) -> list[Membership]:
    """Active memberships (or those given), by role and then name."""
    if memberships is None:
        memberships = Membership.objects.filter(ended_at__isnull=True)
    rank = {role: index for index, role in enumerate(Role.values)}
    return sorted(
        memberships.select_related("user", "organisation"),
        key=lambda m: (rank.get(m.role, len(rank)), m.user.full_name),
    )


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def member_invite(request: CellHttpRequest) -> HttpResponse:
    roles = request.cell_access.roles
    form = InviteForm(
        request.POST or None,
        organisations=Organisation.objects.all(),
        roles=services.invitable_roles(roles),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                cell=request.cell,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                invited_by=request.user,
                by_roles=roles,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation is sent by e-mail."))
            return redirect("cells:members", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Invite a member"),
        intro=_(
            "The person receives a link by e-mail that works once. On joining they set up "
            "two-step sign-in and acknowledge the secrecy duty."
        ),
        submit=_("Send invitation"),
        cancel_url=reverse("cells:members", kwargs={"cell_id": request.cell.pk}),
    )


@require_POST
@cell_view(require="can_manage")
def member_end(request: CellHttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, ended_at__isnull=True)
    try:
        services.membership_end(
            membership=membership,
            ended_by=request.user,
            by_roles=request.cell_access.roles,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The membership has ended; access to the cell stops at once."))
    return redirect("cells:members", cell_id=request.cell.pk)


@require_POST
@cell_view(require="can_manage")
def invitation_revoke(request: CellHttpRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, used_at__isnull=True, revoked_at__isnull=True
    )
    services.invitation_revoke(invitation=invitation, revoked_by=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("cells:members", cell_id=request.cell.pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: register (new person) or sign in (existing account), then accept."""
    invitation = services.invitation_by_token(token)
    if invitation is None or not invitation.is_open(timezone.now()):
        return render(request, "cells/join_invalid.html", status=410)
    accept_url = reverse("cells:invitation_accept", kwargs={"invitation_id": invitation.pk})
    if request.user.is_authenticated:
        if request.user.email != invitation.email:
            return render(request, "cells/join_other_account.html", status=403)
        return redirect(accept_url)
    if User.objects.filter(email=invitation.email).exists():
        request.session[NEXT_KEY] = accept_url
        return render(request, "cells/join_sign_in.html", {"invitation": invitation})
    form = RegisterForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        if User.objects.filter(email=invitation.email).exists():  # registered meanwhile
            return redirect(request.path)
        user = user_create(
            email=invitation.email,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        mfa_pending_start(request=request, user=user)
        request.session[NEXT_KEY] = accept_url
        return redirect("accounts:login_setup")
    return render(request, "cells/join_register.html", {"invitation": invitation, "form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, invitation_id: uuid.UUID) -> HttpResponse:
    with scopes_disabled():
        invitation: Invitation = get_object_or_404(
            Invitation.objects.select_related("cell"),
            pk=invitation_id,
            email=request.user.email,
        )
    if not invitation.is_open(timezone.now()):
        return render(request, "cells/join_invalid.html", status=410)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError:
            return render(request, "cells/join_invalid.html", status=410)
        messages.success(request, _("Welcome to %(cell)s.") % {"cell": invitation.cell.name})
        return redirect("cells:cell_home", cell_id=invitation.cell_id)
    context = {"invitation": invitation, "form": form, "text_version": SECRECY_TEXT_VERSION}
    return render(request, "cells/invitation_accept.html", context)


# --- History and handover ------------------------------------------------------------------


@require_GET
@cell_view(require="can_oversee")
def history(request: CellHttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    from vangnet.audit.models import AuditEvent

    events = AuditEvent.objects.filter(
        cell_id=request.cell.pk, action__in=list(HISTORY_LABELS)
    ).order_by("-position")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actors = dict(
        (str(pk), name)
        for pk, name in User.objects.filter(
            pk__in={e.actor_id for e in page if e.actor_id}
        ).values_list("pk", "full_name")
    )
    rows = [
        {
            "when": event.occurred_at,
            "who": actors.get(event.actor_id, ""),
            "what": HISTORY_LABELS.get(event.action, event.action),
        }
        for event in page
    ]
    audit_record(action="cells.history.viewed", request=request, cell=request.cell)
    context = {"cell": request.cell, "rows": rows, "page": page}
    return render(request, "cells/history.html", context)


@require_GET
@cell_view(require="can_oversee")
def handover(request: CellHttpRequest) -> HttpResponse:
    """A printable overview of the cell for a new coordinator."""
    from vangnet.network.services import coverage_for_cell, partner_map_data

    audit_record(action="cells.handover.viewed", request=request, cell=request.cell)
    context = {
        "cell": request.cell,
        "framework": Framework.objects.select_related("approved_by").get(),
        "profile": CellProfile.objects.get(),
        "phenomena": FrameworkPhenomenon.objects.filter(disabled_at__isnull=True),
        "members": _active_members(),
        "organisations": Organisation.objects.prefetch_related("contacts"),
        "map": partner_map_data(request.cell),
        "coverage": coverage_for_cell(request.cell),
        "documents": CellDocument.objects.all(),
        "municipalities": list(request.cell.municipalities.all()),
        "printed_at": timezone.now(),
    }
    return render(request, "cells/handover.html", context)
