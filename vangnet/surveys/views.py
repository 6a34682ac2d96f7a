"""Surveys of a cell (/cells/<cell>/surveys/) and of VVSG (/support/surveys/), the public
answer form (/survey/<token>/), results with charts, and CSV/XLSX exports.

A cell never sees VVSG surveys and VVSG never sees a cell's: cell pages load surveys through
the cell's scope; VVSG pages only load surveys without a cell.
"""

from __future__ import annotations

import contextlib
import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scopes_disabled

from vangnet.cells.access import cell_view
from vangnet.cells.models import Cell
from vangnet.lib.personaldata import personal_data_find
from vangnet.lib.spreadsheet import spreadsheet_safe
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest
from vangnet.lib.views import form_page, posted
from vangnet.questionnaires.definition import DefinitionError
from vangnet.questionnaires.services import template_current, template_edit
from vangnet.surveys import services
from vangnet.surveys.forms import SurveyForm
from vangnet.surveys.models import Survey


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


@dataclass(frozen=True)
class Owner:
    """Who runs the surveys on a page: a cell (its managers; the mayor reads) or VVSG."""

    cell: Cell | None
    can_manage: bool

    def url(self, name: str, survey: Survey | None = None) -> str:
        kwargs: dict[str, Any] = {}
        if self.cell is not None:
            kwargs["cell_id"] = self.cell.pk
        if survey is not None:
            kwargs["survey_id"] = survey.pk
        return reverse(f"surveys:{'cell' if self.cell else 'vvsg'}_{name}", kwargs=kwargs)

    def urls(self, survey: Survey) -> dict[str, str]:
        names = ("survey", "open", "send", "close", "link", "link_revoke")
        urls = {name: self.url(name, survey) for name in names}
        urls["csv"] = self.url("export_csv", survey)
        urls["xlsx"] = self.url("export_xlsx", survey)
        return urls


def _cell_owner(request: CellHttpRequest) -> Owner:
    return Owner(cell=request.cell, can_manage=request.cell_access.can_manage)


VVSG = Owner(cell=None, can_manage=True)


def _cell_survey(survey_id: uuid.UUID) -> Survey:
    """Inside the cell's scope: only this cell's surveys exist."""
    return get_object_or_404(Survey.objects.select_related("template", "cell"), pk=survey_id)


def _vvsg_unscoped(owner: Owner) -> contextlib.AbstractContextManager[Any]:
    """VVSG surveys have no cell: their services run with scopes disabled (VVSG pages only)."""
    return scopes_disabled() if owner.cell is None else contextlib.nullcontext()


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_vvsg_staff:
        raise PermissionDenied


def _vvsg_survey(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> Survey:
    """A VVSG survey for VVSG staff; 404 for anyone else and for every cell survey."""
    if not request.user.is_vvsg_staff:
        raise Http404
    with scopes_disabled():
        survey = (
            Survey.objects.select_related("template", "body")
            .filter(pk=survey_id, cell__isnull=True)
            .first()
        )
    if survey is None:
        raise Http404
    return survey


# --- Shared page logic ------------------------------------------------------------------------


def _list_page(request: HttpRequest, owner: Owner, surveys: list[Survey]) -> HttpResponse:
    rows = [{"survey": s, "url": owner.url("survey", s)} for s in services.with_counts(surveys)]
    context = {
        "owner": owner,
        "rows": rows,
        "new_url": owner.url("new") if owner.can_manage else "",
        "cell": owner.cell,
        "library_url": reverse("surveys:library") if owner.cell is None else "",
    }
    return render(request, "surveys/list.html", context)


def _new_page(request: AuthenticatedHttpRequest, owner: Owner) -> HttpResponse:
    templates = services.library()
    form = SurveyForm(posted(request), templates=templates, vvsg=owner.cell is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with _vvsg_unscoped(owner):
                survey = services.survey_create(
                    cell=owner.cell,
                    template=data["template"],
                    title=data["title"],
                    intro=data["intro"],
                    audience=data["audience"],
                    body=data.get("body"),
                    anonymous_link=data["anonymous_link"],
                    closes_on=data["closes_on"],
                    user=request.user,
                    request=request,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey is saved as a draft. Open it to send it."))
            return redirect(owner.url("survey", survey))
    return form_page(
        request,
        form,
        title=_("New survey"),
        intro=_(
            "Pick a survey from the library. Answers are anonymous and shown in aggregate "
            "only, after closing and from %(n)d responses."
        )
        % {"n": services.RESULTS_THRESHOLD},
        cancel_url=owner.url("list"),
        status=400 if form.errors else 200,
    )


def _detail_page(
    request: HttpRequest, owner: Owner, survey: Survey, *, new_link: str = ""
) -> HttpResponse:
    language = _lang()
    count = services.response_count(survey)
    visible = services.results_visible(survey, count)
    results = services.survey_results(survey, language) if visible else []
    charts = {
        f"q{index}": {
            "label": r.text,
            "labels": [row["label"] for row in r.rows],
            "data": [row["count"] for row in r.rows],
        }
        for index, r in enumerate(results)
        if r.kind != "text"
    }
    items = [
        {"result": r, "chart": f"q{index}" if r.kind != "text" else ""}
        for index, r in enumerate(results)
    ]
    context = {
        "owner": owner,
        "cell": owner.cell,
        "survey": survey,
        "urls": owner.urls(survey),
        "list_url": owner.url("list"),
        "count": count,
        "invited": len(survey.invited_user_ids or []),
        "visible": visible,
        "items": items,
        "charts": charts,
        "threshold": services.RESULTS_THRESHOLD,
        "new_link": new_link,
        "accepting": services.accepts_answers(survey),
        "has_link": survey.anonymous_token_hash is not None,
        "template_title": survey.template.definition["title"][language],
    }
    return render(request, "surveys/survey.html", context)


def _action(
    request: AuthenticatedHttpRequest, owner: Owner, survey: Survey, name: str
) -> HttpResponse:
    """Run one state change; show the refusal as a message, never a 500."""
    actions = {
        "open": services.survey_open,
        "send": services.survey_invite,
        "close": services.survey_close,
        "link_revoke": services.anonymous_link_revoke,
    }
    try:
        with _vvsg_unscoped(owner):
            result = actions[name](survey=survey, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(owner.url("survey", survey))
    if name == "open":
        messages.success(request, _("The survey is open."))
    elif name == "send":
        messages.success(request, _("%(count)d personal links were sent.") % {"count": result})
    elif name == "close":
        messages.success(request, _("The survey is closed."))
    else:
        messages.success(request, _("The anonymous link no longer works."))
    return redirect(owner.url("survey", survey))


def _link_create(request: AuthenticatedHttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    try:
        with _vvsg_unscoped(owner):
            token = services.anonymous_link_create(
                survey=survey, user=request.user, request=request
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(owner.url("survey", survey))
    # Shown once, in this response only: the server keeps just the hash.
    link = request.build_absolute_uri(reverse("surveys:respond", kwargs={"token": token}))
    return _detail_page(request, owner, survey, new_link=link)


def _export(
    request: AuthenticatedHttpRequest, owner: Owner, survey: Survey, fmt: str
) -> HttpResponse:
    if not services.results_visible(survey):
        messages.error(
            request,
            _("The export is available once the survey is closed with at least %(n)d responses.")
            % {"n": services.RESULTS_THRESHOLD},
        )
        return redirect(owner.url("survey", survey))
    header, rows = services.export_table(survey)
    safe_rows = [[spreadsheet_safe(value) for value in row] for row in rows]
    services.export_recorded(
        survey=survey, fmt=fmt, user=request.user, rows=len(rows), request=request
    )
    stamp = (survey.closed_at or timezone.now()).date().isoformat()
    name = f"bevraging-{survey.template.slug}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(safe_rows)
        return response
    return _xlsx_response(survey, header, safe_rows, name)


def _xlsx_response(
    survey: Survey, header: list[str], rows: list[list[Any]], name: str
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: Any) -> Any:
        # Drop what XLSX cannot hold first, then neutralise: the other order would let
        # "\x01=CMD()" through as the formula "=CMD()".
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return spreadsheet_safe(value)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="responses")
    sheet.append(header)
    for row in rows:
        sheet.append([clean(value) for value in row])
    language = _lang()
    questions = workbook.create_sheet(title="questions")
    questions.append(["column", "kind", "question", "options"])
    for module, indicator in services.questions(survey.template):
        options = "; ".join(
            f"{o['key']} = {o['text'].get(language) or o['text']['nl']}"
            for o in indicator.get("options", [])
        )
        questions.append(
            [
                f"{module['key']}.{indicator['key']}",
                indicator["kind"],
                clean(indicator["text"].get(language) or indicator["text"]["nl"]),
                clean(options),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- A cell's surveys -------------------------------------------------------------------------


@require_GET
@cell_view(require="can_oversee")
def cell_list(request: CellHttpRequest) -> HttpResponse:
    surveys = list(Survey.objects.select_related("template"))
    return _list_page(request, _cell_owner(request), surveys)


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def cell_new(request: CellHttpRequest) -> HttpResponse:
    return _new_page(request, _cell_owner(request))


@require_GET
@cell_view(require="can_oversee")
def cell_survey(request: CellHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, _cell_owner(request), _cell_survey(survey_id))


def _cell_action(name: str) -> Any:
    @require_POST
    @cell_view(require="can_manage")
    def view(request: CellHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
        return _action(request, _cell_owner(request), _cell_survey(survey_id), name)

    view.__name__ = f"cell_{name}"
    return view


cell_open = _cell_action("open")
cell_send = _cell_action("send")
cell_close = _cell_action("close")
cell_link_revoke = _cell_action("link_revoke")


@require_POST
@cell_view(require="can_manage")
def cell_link(request: CellHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return _link_create(request, _cell_owner(request), _cell_survey(survey_id))


@require_GET
@cell_view(require="can_oversee")
def cell_export_csv(request: CellHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return _export(request, _cell_owner(request), _cell_survey(survey_id), "csv")


@require_GET
@cell_view(require="can_oversee")
def cell_export_xlsx(request: CellHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return _export(request, _cell_owner(request), _cell_survey(survey_id), "xlsx")


# --- VVSG surveys -----------------------------------------------------------------------------


@require_GET
def vvsg_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    return _list_page(request, VVSG, list(services.vvsg_surveys()))


@require_http_methods(["GET", "POST"])
def vvsg_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    return _new_page(request, VVSG)


@require_GET
def vvsg_survey(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _vvsg_survey(request, survey_id)
    with scopes_disabled():
        return _detail_page(request, VVSG, survey)


def _vvsg_action(name: str) -> Any:
    @require_POST
    def view(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
        return _action(request, VVSG, _vvsg_survey(request, survey_id), name)

    view.__name__ = f"vvsg_{name}"
    return view


vvsg_open = _vvsg_action("open")
vvsg_send = _vvsg_action("send")
vvsg_close = _vvsg_action("close")
vvsg_link_revoke = _vvsg_action("link_revoke")


@require_POST
def vvsg_link(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _vvsg_survey(request, survey_id)
    with scopes_disabled():
        return _link_create(request, VVSG, survey)


@require_GET
def vvsg_export_csv(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _vvsg_survey(request, survey_id)
    with scopes_disabled():
        return _export(request, VVSG, survey, "csv")


@require_GET
def vvsg_export_xlsx(request: AuthenticatedHttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _vvsg_survey(request, survey_id)
    with scopes_disabled():
        return _export(request, VVSG, survey, "xlsx")


@require_GET
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "surveys/library.html", {"templates": services.library()})


@require_http_methods(["GET", "POST"])
def library_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """VVSG staff edit a library survey; every save is a new version, surveys keep theirs."""
    if not request.user.is_vvsg_staff or slug not in services.LIBRARY:
        raise Http404
    current = template_current(slug, survey=True)
    source = request.POST.get("source", "") if request.method == "POST" else current.source
    error = ""
    if request.method == "POST":
        try:
            template = template_edit(slug=slug, source=source, user=request.user, survey=True)
        except DefinitionError as problem:
            error = str(problem)
        except ValueError:
            error = _("The identifier (slug) on the first line of the definition cannot change.")
        else:
            messages.success(
                request,
                _("Saved as version %(version)d. Existing surveys keep their version.")
                % {"version": template.version},
            )
            return redirect("surveys:library")
    context = {"template": current, "source": source, "error": error}
    return render(request, "surveys/library_edit.html", context, status=400 if error else 200)


# --- The public answer form (personal single-use link or the anonymous link) ----------------


@login_not_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    link = services.link_by_token(token)
    if link is None:
        return render(request, "surveys/respond_invalid.html", status=410)
    survey = link.survey
    errors: list[str] = []
    current: dict[str, Any] = {}
    findings = False
    if request.method == "POST":
        answers, current, errors = services.answers_from_post(request.POST, survey.template)
        texts = [text for _value, _choices, text in answers.values() if text]
        findings = any(personal_data_find(text) for text in texts)
        if findings and request.POST.get("personal_data_confirmed") != "1" and not errors:
            errors.append(
                _(
                    "Your text seems to contain personal data (a name with a date of birth, a "
                    "phone number, an e-mail or street address). Remove it, or tick the box if "
                    "it identifies no one."
                )
            )
        if not errors:
            try:
                services.response_submit(link=link, answers=answers)
            except ValidationError:
                return render(request, "surveys/respond_invalid.html", status=410)
            return render(request, "surveys/respond_thanks.html")
    language = _lang()
    modules = []
    for module in survey.template.definition["modules"]:
        items = []
        for indicator in module["indicators"]:
            name = services.field_name(module, indicator)
            value = current.get(name, [] if indicator["kind"] == "multi" else "")
            items.append(
                {
                    "name": name,
                    "text": indicator["text"][language],
                    "kind": indicator["kind"],
                    "allow_na": indicator["allow_na"],
                    "current": value,
                    "options": [
                        {
                            "key": o["key"],
                            "text": o["text"][language],
                            "checked": o["key"] in value
                            if isinstance(value, list)
                            else o["key"] == value,
                        }
                        for o in indicator.get("options", [])
                    ],
                }
            )
        modules.append(
            {
                "key": module["key"],
                "title": module["title"][language],
                "intro": module["intro"][language] if module["intro"] != module["title"] else "",
                "items": items,
            }
        )
    context = {
        "survey": survey,
        "description": survey.template.definition["description"][language],
        "modules": modules,
        "errors": errors,
        "anonymous_link": link.invitation is None,
        "confirm_personal_data": findings,
        "likert": [(str(k), v) for k, v in services.likert_labels().items()],
        "max_text": services.MAX_TEXT,
    }
    return render(request, "surveys/respond.html", context, status=400 if errors else 200)
