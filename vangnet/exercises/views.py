"""VVSG staff run a tabletop exercise: open the sandbox, follow progress (counts only),
change participants' roles, re-sync late registrants and wipe. They never see its content."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scopes_disabled

from vangnet.cells.models import Membership
from vangnet.events.access import event_for_staff, require_staff
from vangnet.exercises import services
from vangnet.exercises.forms import OpenForm, RoleForm
from vangnet.exercises.models import Exercise
from vangnet.exercises.scenarios import scenario_get
from vangnet.lib.typealias import AuthenticatedHttpRequest
from vangnet.lib.views import posted


def _exercise(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> Exercise:
    event = event_for_staff(request.user, event_id)  # 404 for anyone but VVSG staff
    exercise = Exercise.objects.select_related("event", "cell").filter(event=event).first()
    if exercise is None:
        raise Http404
    return exercise


@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    exercises = list(Exercise.objects.select_related("event").order_by("-opened_at")[:200])
    language = get_language()
    for exercise in exercises:
        scenario = scenario_get(exercise.scenario)
        exercise.scenario_title = (  # type: ignore[attr-defined]
            scenario.title.for_language(language) if scenario else exercise.scenario
        )
    return render(request, "exercises/index.html", {"exercises": exercises})


@require_POST
def open_exercise(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = event_for_staff(request.user, event_id)
    form = OpenForm(posted(request))
    if not form.is_valid():
        messages.error(request, _("Choose a scenario from the library."))
        return redirect("events:detail", event_id=event.pk)
    try:
        services.exercise_open(
            event=event, scenario=form.cleaned_data["scenario"], user=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("events:detail", event_id=event.pk)
    messages.success(request, _("The training cell is open; the participants got an e-mail."))
    return redirect("exercises:detail", event_id=event.pk)


@require_GET
def detail(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    exercise = _exercise(request, event_id)
    scenario = scenario_get(exercise.scenario)
    participants: list[Membership] = []
    if exercise.is_open:
        # Who takes part and in which role: no content of the training cell.
        with scopes_disabled():
            participants = list(
                Membership.objects.filter(cell=exercise.cell, ended_at__isnull=True)
                .select_related("user", "organisation")
                .order_by("user__full_name", "role")
            )
        for membership in participants:
            membership.role_form = RoleForm(  # type: ignore[attr-defined]
                initial={"role": membership.role}, auto_id=f"id_{membership.pk}_%s"
            )
    context = {
        "exercise": exercise,
        "event": exercise.event,
        "scenario": scenario,
        "language": get_language(),
        "progress": services.exercise_progress(exercise),
        "participants": participants,
    }
    return render(request, "exercises/detail.html", context)


@require_POST
def sync(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    exercise = _exercise(request, event_id)
    try:
        added, ended = services.exercise_sync(exercise=exercise, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Participants updated: %(added)d added, %(ended)d removed.")
            % {"added": added, "ended": ended},
        )
    return redirect("exercises:detail", event_id=exercise.event_id)


@require_POST
def role(
    request: AuthenticatedHttpRequest, event_id: uuid.UUID, membership_id: uuid.UUID
) -> HttpResponse:
    exercise = _exercise(request, event_id)
    if not exercise.is_open:
        raise Http404
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(pk=membership_id, cell=exercise.cell, ended_at__isnull=True)
            .first()
        )
    if membership is None:
        raise Http404
    form = RoleForm(posted(request))
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("exercises:detail", event_id=exercise.event_id)
    try:
        services.exercise_role_set(
            exercise=exercise,
            membership=membership,
            role=form.cleaned_data["role"],
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role in the training cell was changed."))
    return redirect("exercises:detail", event_id=exercise.event_id)


@require_http_methods(["GET", "POST"])
def wipe(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    exercise = _exercise(request, event_id)
    if request.method == "POST":
        if services.exercise_wipe(exercise=exercise, user=request.user, request=request):
            messages.success(request, _("The training cell and everything in it were wiped."))
        else:
            messages.info(request, _("This training cell was already wiped."))
        return redirect("exercises:detail", event_id=exercise.event_id)
    return render(request, "exercises/wipe.html", {"exercise": exercise, "event": exercise.event})
