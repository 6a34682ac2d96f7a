from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.cells.models import CELL_ROLES, Cell, Membership
from vangnet.demo.services import DEMO_SCAN_TEXTS, demo_cells
from vangnet.demo.tests.test_demo_cases import MIN_NEEDLE, plain_text_found
from vangnet.scans.models import (
    Answer,
    ImprovementAction,
    RespondentInvitation,
    Response,
    Round,
)
from vangnet.scans.services import applicable_modules, free_texts, trend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_support_desk")]

MECHELEN = "LIVC R Mechelen"
WINGENE = "LIVC R Wingene"


def _counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (Round, RespondentInvitation, Response, Answer, ImprovementAction)
        }


def test_it_loads_the_scan_rounds_idempotently():
    call_command("demo", stdout=StringIO())
    first = _counts()
    assert first["Round"] == 6
    assert first["ImprovementAction"] == 2
    call_command("demo", stdout=StringIO())
    assert _counts() == first


def test_each_cell_has_two_past_closed_rounds_with_anonymous_responses():
    call_command("demo", stdout=StringIO())
    now = timezone.now()
    with scopes_disabled():
        for cell in demo_cells():
            rounds = list(Round.objects.filter(cell=cell).order_by("closed_at"))
            assert len(rounds) == 2
            first, second = rounds
            assert all(not r.is_open for r in rounds)
            assert all(r.opened_at < r.closed_at < now for r in rounds)
            # About thirteen months and about one month ago.
            assert 360 < (now - first.closed_at).days < 430
            assert 20 < (now - second.closed_at).days < 60
            # Municipal staff are no members of the cell's work: round_invite leaves them out.
            active = Membership.objects.filter(
                cell=cell, ended_at__isnull=True, role__in=CELL_ROLES
            )
            for scan_round in rounds:
                responses = Response.objects.filter(round=scan_round)
                assert 4 <= responses.count() <= 6
                assert responses.filter(is_coordinator=True).count() == 1
                assert set(responses.values_list("role", flat=True)) <= {"coordinator", "partner"}
                # One link per member, as round_invite makes them; only the respondents used it.
                invitations = RespondentInvitation.objects.filter(round=scan_round)
                # Used links are deleted: the unused ones remain.
                invited = active.values("user_id").distinct().count()
                assert invitations.count() == invited - responses.count()
                for invitation in invitations:
                    assert invitation.is_coordinator == (invitation.role == "coordinator")
                scored = Answer.objects.filter(response__round=scan_round, value__isnull=False)
                assert scored.exists()


def test_the_trend_shows_two_rounds_with_scores_that_improve():
    call_command("demo", stdout=StringIO())
    latest = {}
    for cell in demo_cells():
        with scope(cell=cell.pk):
            entries = trend(cell)
            assert len(entries) == 2
            (first, before), (second, after) = entries
            assert first.closed_at < second.closed_at
            for scan_round, results in entries:
                keys = {m["key"] for m in applicable_modules(scan_round)}
                assert set(results) == keys
                assert all(results[key].score is not None for key in keys)
                assert all(4 <= results[key].respondents <= 6 for key in keys)
            improved = [key for key in after if after[key].score > before[key].score]
            assert len(improved) >= 3, cell.name
            latest[cell.name] = {key: result.score for key, result in after.items()}
    # Wingene, with only police and prevention as partners, is weaker on working together.
    for module in ("collaboration", "information_sharing"):
        others = [scores[module] for name, scores in latest.items() if name != WINGENE]
        assert latest[WINGENE][module] < min(others) - 15, module


def test_mechelens_latest_round_has_an_improvement_plan_and_is_shared():
    call_command("demo", stdout=StringIO())
    with scopes_disabled():
        for cell in demo_cells():
            first, second = Round.objects.filter(cell=cell).order_by("closed_at")
            assert not first.shared_with_vvsg
            assert second.shared_with_vvsg == (cell.name == MECHELEN)
            assert not ImprovementAction.objects.filter(round=first).exists()
            actions = ImprovementAction.objects.filter(round=second)
            if cell.name != MECHELEN:
                assert not actions.exists()
                continue
            assert actions.count() == 2
            modules = {m["key"] for m in applicable_modules(second)}
            for action in actions:
                assert action.module in modules
                assert action.due_date > timezone.localdate()
                assert action.created_at > second.closed_at


def test_the_free_texts_are_readable_in_the_results_only():
    call_command("demo", stdout=StringIO())
    assert all(len(text) >= MIN_NEEDLE for text in DEMO_SCAN_TEXTS)
    shown = []
    for cell in demo_cells():
        with scope(cell=cell.pk):
            for scan_round in Round.objects.filter(cell=cell):
                shown += [text for texts in free_texts(scan_round).values() for text in texts]
    assert sorted(shown) == sorted(DEMO_SCAN_TEXTS)
    assert plain_text_found(DEMO_SCAN_TEXTS) == set()


def test_a_cell_that_already_has_rounds_is_skipped():
    call_command("demo", stdout=StringIO())
    with scopes_disabled():
        cell = Cell.objects.get(name=WINGENE)
        Round.objects.filter(cell=cell).order_by("closed_at").first().delete()
        call_command("demo", stdout=StringIO())
        assert Round.objects.filter(cell=cell).count() == 1
        assert Round.objects.count() == 5
