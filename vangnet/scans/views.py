"""Scan rounds for the cell, the public answer form, results beside the facts, VVSG views."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from vangnet.audit.services import audit_record
from vangnet.cells.access import cell_view
from vangnet.cells.models import Cell
from vangnet.lib.aggregates import aggregate_cached
from vangnet.lib.typealias import AuthenticatedHttpRequest, CellHttpRequest
from vangnet.lib.views import form_page
from vangnet.questionnaires.definition import DefinitionError
from vangnet.questionnaires.scoring import answer_score
from vangnet.questionnaires.services import DEFAULT_SCAN, template_current, template_edit
from vangnet.scans import services
from vangnet.scans.forms import ImprovementForm, RoundForm, answers_from_post
from vangnet.scans.health import cell_health
from vangnet.scans.models import Answer, Round


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _round_url(scan_round: Round) -> str:
    return reverse("scans:round", kwargs={"cell_id": scan_round.cell_id, "round_id": scan_round.pk})


@require_GET
@cell_view(require="can_oversee")
def scans(request: CellHttpRequest) -> HttpResponse:
    rounds = list(Round.objects.select_related("template"))
    last = next((r.closed_at for r in rounds if r.closed_at), None)
    context = {
        "cell": request.cell,
        "access": request.cell_access,
        "rounds": rounds,
        "health": cell_health(request.cell, timezone.localdate(), last_scan_at=last),
        "trend": _trend_chart(request.cell),
    }
    return render(request, "scans/scans.html", context)


def _trend_chart(cell: Cell) -> dict[str, Any] | None:
    history = services.trend(cell)
    if not history:
        return None
    modules = history[-1][0].template.definition["modules"]
    language = _lang()
    return {
        "labels": [r.closed_at.date().isoformat() for r, _res in history if r.closed_at],
        "datasets": [
            {
                "label": m["title"][language],
                "data": [res[m["key"]].score if m["key"] in res else None for _r, res in history],
            }
            for m in modules
        ],
    }


@require_http_methods(["GET", "POST"])
@cell_view(require="can_manage")
def round_new(request: CellHttpRequest) -> HttpResponse:
    form = RoundForm(
        request.POST or None,
        initial={
            "title": _("Self-evaluation %(date)s")
            % {"date": timezone.localdate().strftime("%Y-%m")}
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            scan_round = services.round_open(
                cell=request.cell, opened_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_round_url(scan_round))
    return form_page(
        request,
        form,
        title=_("Open a self-evaluation round"),
        cancel_url=reverse("scans:scans", kwargs={"cell_id": request.cell.pk}),
    )


def _indicator_means(scan_round: Round) -> dict[tuple[str, str], float]:
    """Mean score per (module, indicator) over all answers (for facts side by side)."""
    definition = {
        (m["key"], i["key"]): i
        for m in scan_round.template.definition["modules"]
        for i in m["indicators"]
    }
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for module, indicator, value in Answer.objects.filter(response__round=scan_round).values_list(
        "module", "indicator", "value"
    ):
        spec = definition.get((module, indicator))
        if spec is None:
            continue
        score = answer_score(spec, value)
        if score is not None:
            scores[(module, indicator)].append(score)
    return {key: round(statistics.fmean(values), 1) for key, values in scores.items()}


def results_context(scan_round: Round, *, with_texts: bool) -> dict[str, Any]:
    language = _lang()
    if scan_round.closed_at is not None:
        # A closed round's answers no longer change: its scores are computed once per period.
        results, means = aggregate_cached(
            f"scans:round:{scan_round.pk}",
            lambda: (services.round_results(scan_round), _indicator_means(scan_round)),
        )
    else:
        results, means = services.round_results(scan_round), _indicator_means(scan_round)
    bench = services.benchmark(scan_round)
    bands = services.band_texts(scan_round, results, language)
    modules = services.applicable_modules(scan_round)
    today = timezone.localdate()
    health = aggregate_cached(
        f"scans:health:{scan_round.cell_id}:{today.isoformat()}",
        lambda: cell_health(scan_round.cell, today),
    )
    rows = []
    for module in modules:
        key = module["key"]
        facts = [
            {
                "text": i["text"][language],
                "mean": means.get((key, i["key"])),
                "fact": health.fact_values.get(i["fact"], ""),
            }
            for i in module["indicators"]
            if i.get("fact")
        ]
        rows.append(
            {
                "module": module,
                "title": module["title"][language],
                "result": results[key],
                "band": bands.get(key, ""),
                "flanders": bench[key]["flanders"],
                "size_band": bench[key]["size_band"],
                "facts": facts,
            }
        )
    radar: dict[str, Any] = {
        "labels": [row["title"] for row in rows],
        "datasets": [{"label": scan_round.title, "data": [row["result"].score for row in rows]}],
    }
    if any(row["flanders"] is not None for row in rows):
        radar["datasets"].append(
            {"label": _("Flemish average"), "data": [row["flanders"] for row in rows]}
        )
    if any(row["size_band"] is not None for row in rows):
        radar["datasets"].append(
            {"label": _("Cells of the same size"), "data": [row["size_band"] for row in rows]}
        )
    titles = {m["key"]: m["title"][language] for m in modules}
    done, total = services.progress(scan_round)
    visible = services.results_visible(scan_round, done)
    if not visible:
        rows = []
        radar = {"labels": [], "datasets": []}
    return {
        "visible": visible,
        "anonymity_minimum": services.ANONYMITY_MINIMUM,
        "round": scan_round,
        "rows": rows,
        "radar": radar,
        "done": done,
        "total": total,
        # (module title, its free-text answers), in the order free_texts gives the modules.
        "texts": [
            (titles.get(key, ""), answers)
            for key, answers in (
                services.free_texts(scan_round) if with_texts and visible else {}
            ).items()
        ],
        "improvements": services.round_improvements(scan_round),
        "benchmark_minimum": services.BENCHMARK_MINIMUM,
    }


@require_GET
@cell_view(require="can_oversee")
def round_detail(request: CellHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    scan_round = services.round_find(round_id)
    if scan_round is None:
        raise Http404
    context = results_context(scan_round, with_texts=True)
    context.update(
        {
            "cell": request.cell,
            "access": request.cell_access,
            "improvement_form": ImprovementForm(
                modules=[(r["module"]["key"], r["title"]) for r in context["rows"]]
            ),
        }
    )
    return render(request, "scans/round.html", context)


@require_POST
@cell_view(require="can_manage")
def round_invite(request: CellHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    scan_round = get_object_or_404(Round, pk=round_id)
    try:
        count = services.round_invite(scan_round=scan_round, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d personal links were sent.") % {"count": count})
    return redirect(_round_url(scan_round))


@require_POST
@cell_view(require="can_manage")
def round_close(request: CellHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    scan_round = get_object_or_404(Round, pk=round_id)
    try:
        services.round_close(scan_round=scan_round, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_round_url(scan_round))


@require_POST
@cell_view(require="can_manage")
def round_share(request: CellHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    scan_round = get_object_or_404(Round, pk=round_id)
    try:
        services.sharing_set(
            scan_round=scan_round,
            shared=request.POST.get("shared") == "1",
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_round_url(scan_round))


@require_POST
@cell_view(require="can_manage")
def improvement_add(request: CellHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    scan_round: Round = get_object_or_404(Round.objects.select_related("template"), pk=round_id)
    modules = [(m["key"], m["title"][_lang()]) for m in services.applicable_modules(scan_round)]
    form = ImprovementForm(request.POST, modules=modules)
    if form.is_valid():
        services.improvement_add(
            scan_round=scan_round, user=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("The improvement action is added."))
    else:
        messages.error(request, _("Fill in the action, the owner, a due date and a category."))
    return redirect(_round_url(scan_round))


# --- The public answer form (personal single-use link, no account) ---------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None or not invitation.round.is_open:
        return render(request, "scans/respond_invalid.html", status=410)
    scan_round = invitation.round
    modules = services.applicable_modules(scan_round)
    errors: list[str] = []
    if request.method == "POST":
        answers, errors = answers_from_post(request.POST, modules)
        if not errors:
            try:
                services.response_submit(invitation=invitation, answers=answers)
            except ValidationError:
                return render(request, "scans/respond_invalid.html", status=410)
            return render(request, "scans/respond_thanks.html")
    language = _lang()
    context = {
        "round": scan_round,
        "cell_name": scan_round.cell.name,
        "modules": [
            {
                "key": m["key"],
                "title": m["title"][language],
                "intro": m["intro"][language],
                "blocks": [
                    {
                        "situation": s,
                        "vignette": m["vignettes"].get(s, {}).get(language, "") if s else "",
                        "indicators": [
                            {
                                "name": f"a__{m['key']}__{s}__{i['key']}",
                                "text": i["text"][language],
                                "kind": i["kind"],
                                "allow_na": i["allow_na"],
                                "current": request.POST.get(f"a__{m['key']}__{s}__{i['key']}", ""),
                            }
                            for i in m["indicators"]
                        ],
                    }
                    for s in (m["situations"] or [""])
                ],
            }
            for m in modules
        ],
        "errors": errors,
        "likert": [
            ("1", _("Strongly disagree")),
            ("2", _("Disagree")),
            ("3", _("Neutral")),
            ("4", _("Agree")),
            ("5", _("Strongly agree")),
        ],
    }
    return render(request, "scans/respond.html", context)


# --- VVSG -------------------------------------------------------------------------------------


@require_GET
def shared_round(request: AuthenticatedHttpRequest, round_id: uuid.UUID) -> HttpResponse:
    """VVSG staff see a round's results and plan only when the cell shared them."""
    if not request.user.is_vvsg_staff:
        raise Http404
    from django_scopes import scopes_disabled

    with scopes_disabled():
        scan_round = (
            Round.objects.select_related("template", "cell")
            # Never a tabletop-exercise sandbox, even if a round there was marked shared.
            .filter(pk=round_id, shared_with_vvsg=True, cell__is_sandbox=False)
            .first()
        )
    if scan_round is None:
        raise Http404
    with scope(cell=scan_round.cell_id):
        audit_record(
            action="scans.round.viewed_by_vvsg",
            request=request,
            cell=scan_round.cell_id,
            target=scan_round,
        )
        context = results_context(scan_round, with_texts=False)
        context["cell"] = scan_round.cell
        context["vvsg"] = True
        return render(request, "scans/round.html", context)


@require_http_methods(["GET", "POST"])
def template_editor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """VVSG staff edit the scan template; every save is a new version."""
    if not request.user.is_vvsg_staff:
        raise Http404
    current = template_current(DEFAULT_SCAN)
    source = (
        request.POST.get("source", current.source) if request.method == "POST" else (current.source)
    )
    error = ""
    if request.method == "POST":
        try:
            template = template_edit(slug=DEFAULT_SCAN, source=source, user=request.user)
        except (DefinitionError, ValueError) as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                _("Saved as version %(version)d. Open rounds keep their version.")
                % {"version": template.version},
            )
            return redirect("scans:template_editor")
    context = {"template": current, "source": source, "error": error}
    return render(request, "scans/template_editor.html", context, status=400 if error else 200)
