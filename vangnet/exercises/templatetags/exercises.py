from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from vangnet.events.models import Event
from vangnet.exercises.forms import OpenForm
from vangnet.exercises.models import Exercise
from vangnet.exercises.services import may_open, participant_exercise

register = template.Library()


@register.inclusion_tag("exercises/_event_panel.html", takes_context=True)
def exercise_panel(context: dict[str, Any], event: Event) -> dict[str, Any]:
    """On the event page: VVSG opens or follows the training cell; a participant gets a link."""
    request = context.get("request")
    user = getattr(request, "user", None)
    result: dict[str, Any] = {"event": event, "language": get_language()}
    if user is None or not user.is_authenticated:
        return result
    if user.is_vvsg_staff:
        exercise = Exercise.objects.filter(event=event).first()
        result["staff"] = True
        result["exercise"] = exercise
        if exercise is None and may_open(event):
            result["open_form"] = OpenForm()
        return result
    if event.kind == "tabletop_exercise":
        result["participant_exercise"] = participant_exercise(event, user)
    return result
