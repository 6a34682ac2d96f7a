"""Partner organisations, the partner map and its exports."""

from __future__ import annotations

import csv
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_view
from vangnet.cells.models import Cell, CellProfile
from vangnet.lib.spreadsheet import spreadsheet_safe
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest
from vangnet.lib.views import form_page
from vangnet.network import services
from vangnet.network.forms import ContactForm, LinkForm, OrganisationForm
from vangnet.network.models import (
    CollaborationLink,
    ContactPerson,
    Organisation,
    OrganisationStatus,
    Sector,
)


def _partners(request: CellHttpRequest) -> str:
    return reverse("network:partners", kwargs={"cell_id": request.cell.pk})


@require_GET
@cell_view
def partners(request: CellHttpRequest) -> HttpResponse:
    audit_record(action="network.partners.viewed", request=request, cell=request.cell)
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "organisations": Organisation.objects.prefetch_related("contacts"),
        "links": CollaborationLink.objects.select_related("source", "target"),
        "coverage": services.coverage_for_cell(request.cell),
    }
    return render(request, "network/partners.html", context)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def organisation_add(request: CellHttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(
                cell=request.cell, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation is added."))
            return redirect("network:partners", cell_id=request.cell.pk)
    return form_page(
        request, form, title=_("Add a partner organisation"), cancel_url=_partners(request)
    )


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def organisation_edit(request: CellHttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    form = OrganisationForm(
        request.POST or None, instance=get_object_or_404(Organisation, pk=organisation_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, changes=form.cleaned_data, updated_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("network:partners", cell_id=request.cell.pk)
    return form_page(request, form, title=organisation.name, cancel_url=_partners(request))


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def contact_add(request: CellHttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_add(organisation=organisation, added_by=request.user, **form.cleaned_data)
        messages.success(request, _("The contact person is added."))
        return redirect("network:partners", cell_id=request.cell.pk)
    return form_page(
        request,
        form,
        title=_("Contact person at %(name)s") % {"name": organisation.name},
        cancel_url=_partners(request),
    )


@require_POST
@cell_view(require="can_manage")
def contact_remove(request: CellHttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = get_object_or_404(ContactPerson, pk=contact_id)
    services.contact_remove(contact=contact, removed_by=request.user)
    messages.success(request, _("The contact person is removed."))
    return redirect("network:partners", cell_id=request.cell.pk)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def link_add(request: CellHttpRequest) -> HttpResponse:
    form = LinkForm(request.POST or None, organisations=Organisation.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.link_add(cell=request.cell, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The collaboration link is added."))
            return redirect("network:partners", cell_id=request.cell.pk)
    return form_page(
        request, form, title=_("Add a collaboration link"), cancel_url=_partners(request)
    )


@require_POST
@cell_view(require="can_manage")
def link_remove(request: CellHttpRequest, link_id: uuid.UUID) -> HttpResponse:
    link = get_object_or_404(CollaborationLink, pk=link_id)
    services.link_remove(link=link, removed_by=request.user)
    messages.success(request, _("The collaboration link is removed."))
    return redirect("network:partners", cell_id=request.cell.pk)


def _map_context(
    cell: Cell, data_url: str, csv_url: str, *, for_vvsg: bool = False
) -> dict[str, object]:
    data = services.partner_map_data(cell, for_vvsg=for_vvsg)
    return {
        "cell": cell,
        "data_url": data_url,
        "csv_url": csv_url,
        "nodes": data["nodes"],
        "edges": data["edges"],
        "sectors": Sector.choices,
        "statuses": OrganisationStatus.choices,
    }


@require_GET
@cell_view
def partner_map(request: CellHttpRequest) -> HttpResponse:
    cell_id = request.cell.pk
    context = _map_context(
        request.cell,
        reverse("network:map_data", kwargs={"cell_id": cell_id}),
        reverse("network:map_csv", kwargs={"cell_id": cell_id}),
    )
    context["access"] = request.cell_access
    context["profile"] = CellProfile.objects.first()
    return render(request, "network/map.html", context)


@require_GET
@cell_view
def partner_map_data(request: CellHttpRequest) -> JsonResponse:
    return JsonResponse(services.partner_map_data(request.cell))


def _csv_response(cell: Cell, *, for_vvsg: bool = False) -> HttpResponse:
    data = services.partner_map_data(cell, for_vvsg=for_vvsg)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnerkaart.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            "type",
            "id",
            "name",
            "sector",
            "participation",
            "status",
            "socio_preventive",
            "source",
            "target",
            "kind",
        ]
    )
    for node in data["nodes"]:
        writer.writerow(
            [
                "organisation",
                node["id"],
                _csv_safe(node["name"]),
                node["sector"],
                node["participation"],
                node["status"],
                node["socio_preventive"],
                "",
                "",
                "",
            ]
        )
    for edge in data["edges"]:
        writer.writerow(
            [
                "link",
                edge["id"],
                _csv_safe(edge["label"]),
                "",
                "",
                "",
                "",
                edge["source"],
                edge["target"],
                edge["kind"],
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # Spreadsheet programs run cells that start with these characters as formulas.
    return str(spreadsheet_safe(value))


@require_GET
@cell_view
def partner_map_csv(request: CellHttpRequest) -> HttpResponse:
    audit_record(action="network.map.exported", request=request, cell=request.cell)
    return _csv_response(request.cell)


# --- VVSG: a shared map, without contact persons --------------------------------------------


def _shared_cell(request: AuthenticatedHttpRequest, cell_id: uuid.UUID) -> Cell:
    """The cell if the user is VVSG staff and the cell shares its map; 404 otherwise."""
    if not request.user.is_vvsg_staff:
        raise Http404
    cell = Cell.objects.real().filter(pk=cell_id).first()  # never an exercise sandbox
    if cell is None:
        raise Http404
    with scope(cell=cell.pk):
        shared = CellProfile.objects.filter(map_shared_with_vvsg=True).exists()
    if not shared:
        raise Http404
    return cell


@require_GET
def shared_map(request: AuthenticatedHttpRequest, cell_id: uuid.UUID) -> HttpResponse:
    cell = _shared_cell(request, cell_id)
    with scope(cell=cell.pk):
        audit_record(action="network.map.viewed_by_vvsg", request=request, cell=cell)
        context = _map_context(
            cell,
            reverse("network:shared_map_data", kwargs={"cell_id": cell.pk}),
            reverse("network:shared_map_csv", kwargs={"cell_id": cell.pk}),
            for_vvsg=True,
        )
        return render(request, "network/map.html", context)


@require_GET
def shared_map_data(request: AuthenticatedHttpRequest, cell_id: uuid.UUID) -> JsonResponse:
    cell = _shared_cell(request, cell_id)
    with scope(cell=cell.pk):
        return JsonResponse(services.partner_map_data(cell, for_vvsg=True))


@require_GET
def shared_map_csv(request: AuthenticatedHttpRequest, cell_id: uuid.UUID) -> HttpResponse:
    cell = _shared_cell(request, cell_id)
    with scope(cell=cell.pk):
        audit_record(action="network.map.exported_by_vvsg", request=request, cell=cell)
        return _csv_response(cell, for_vvsg=True)
