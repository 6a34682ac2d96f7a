from __future__ import annotations

from vangnet.demo.exercises import exercises_load
from vangnet.exercises.models import Exercise
from vangnet.exercises.tests.conftest import make_tabletop


def test_the_demo_opens_a_training_cell_for_the_upcoming_tabletop_exercise_once(personas):
    assert exercises_load(staff=personas.vera) is None  # no tabletop event: nothing to do
    event = make_tabletop(personas.vera)
    exercise = exercises_load(staff=personas.vera)
    assert exercise is not None and exercise.event == event and exercise.is_open
    assert exercises_load(staff=personas.vera) == exercise
    assert Exercise.objects.count() == 1
