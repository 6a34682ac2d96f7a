"""The authorization matrix (docs/authorization-matrix.csv) against the application.

Every route of the URLconf must be in the file, with GET and POST where the route answers them;
each row is one test: every actor once, against Mechelen's objects with canaries planted in them
(see vangnet/tests_support/authorization.py). `VANGNET_MATRIX_RECORD=1` rewrites the file from
what the application does, for review in the diff: never to make a failing test pass unread.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vangnet.tests_support import authorization as az

RECORD = os.environ.get("VANGNET_MATRIX_RECORD") == "1"
MATRIX = az.load_matrix() if az.MATRIX_PATH.exists() or not RECORD else {}
ROUTES = dict(az.routes())
ROWS = sorted(MATRIX)
CANARY_IN_PDF = az.CANARY_CELL


def test_the_file_lists_every_route_of_the_urlconf_and_no_other():
    listed = {name for name, _method in MATRIX}
    assert set(ROUTES) - listed == set(), "routes missing from docs/authorization-matrix.csv"
    assert listed - set(ROUTES) == set(), "routes in the matrix that the URLconf lacks"


@pytest.mark.parametrize(("name", "method"), ROWS, ids=[f"{n}-{m}" for n, m in ROWS])
def test_the_route_follows_the_matrix(matrix_world: az.World, name: str, method: str) -> None:
    findings = matrix_world.check(name, ROUTES[name], method, MATRIX[(name, method)])
    _report(name, method, findings)
    assert findings == []


UNLISTED = sorted(
    (name, method) for name in ROUTES for method in az.METHODS if (name, method) not in MATRIX
)


@pytest.mark.parametrize(("name", "method"), UNLISTED, ids=[f"{n}-{m}" for n, m in UNLISTED])
def test_a_method_the_matrix_does_not_list_is_refused_to_everyone(
    matrix_world: az.World, name: str, method: str
) -> None:
    everyone_denied = dict.fromkeys(az.ACTORS, az.DENY)
    findings = matrix_world.check(name, ROUTES[name], method, everyone_denied)
    _report(name, method, findings)
    assert findings == []


def test_a_broken_role_check_makes_the_matrix_fail(
    matrix_world: az.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proof that the matrix test can fail: give every member the coordinator's rights and the
    partner member gets through on a route the matrix keeps for the coordinators."""
    from vangnet.cells.access import CellAccess

    monkeypatch.setattr(CellAccess, "can_manage", property(lambda self: True))
    name = "cells:member_invite"
    findings = matrix_world.check(name, ROUTES[name], "GET", MATRIX[(name, "GET")])
    assert any(
        "as partner: allow (200), the matrix says deny" in finding for finding in findings
    ), findings


def test_a_broken_need_to_know_check_leaks_a_canary(
    matrix_world: az.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proof that the leak check can fire: let the case list show every case of the cell, and
    the partner member sees the victim case's code and link."""
    from vangnet.cases import services
    from vangnet.cases.models import Case

    monkeypatch.setattr(services, "cases_for_user", lambda user, access: Case.objects.all())
    name = "cases:cases"
    findings = matrix_world.check(name, ROUTES[name], "GET", MATRIX[(name, "GET")])
    assert any("as partner: leaked" in finding for finding in findings), findings


def test_a_denied_request_that_writes_is_caught(
    matrix_world: az.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proof that the write check can fire: a view that writes before it refuses."""
    from django.http import Http404

    from vangnet.cases import views
    from vangnet.cases.models import Case

    real = views.case_for_user

    def writes_then_refuses(user: Any, access: Any, case_id: Any) -> Any:
        Case.objects.filter(pk=case_id).update(summary=b"")
        if not access.can_manage:
            raise Http404
        return real(user, access, case_id)

    monkeypatch.setattr(views, "case_for_user", writes_then_refuses)
    name = "cases:case"
    findings = matrix_world.check(name, ROUTES[name], "GET", MATRIX[(name, "GET")])
    assert any("as partner: denied but wrote ['cases_case']" in f for f in findings), findings


def test_every_canary_is_shown_to_someone_who_may_read_it(matrix_world: az.World) -> None:
    """The leak check means something only if each canary does reach the pages of its readers."""
    pages = {
        "coordinator": ["cases:cases", "cases:case", "intake:signals", "intake:signal"],
        "partner": ["meetings:meeting", "meetings:minutes_pdf"],
        "municipal_staff": ["helpdesk:question"],
    }
    shown: set[str] = set()
    for actor, names in pages.items():
        for name in names:
            path = matrix_world.path(name, ROUTES[name])
            response = matrix_world.client(actor).get(path)
            assert response.status_code == 200, (actor, name, response.status_code)
            body = az.content_of(response)
            found = {canary for canary in matrix_world.canaries if canary in body}
            if name == "meetings:minutes_pdf":  # the PDF's text is searched too
                assert CANARY_IN_PDF in found, found
            shown |= found
    assert shown == set(matrix_world.canaries)


@pytest.mark.parametrize(
    "name", ["cases:case", "meetings:meeting", "meetings:item", "meetings:minutes", "meetings:ics"]
)
def test_the_partners_own_case_shows_nothing_of_another_case(
    matrix_world: az.World, name: str
) -> None:
    """Other cases' data: the partner member opens their own case and the meeting that
    discusses it next to the victim case; nothing of the victim case may show."""
    own = {kwarg: value for (scope, kwarg), value in matrix_world.ids.items() if scope == "own"}
    path = "/" + ROUTES[name].replace("<uuid:cell_id>", str(matrix_world.cell.pk))
    for kwarg, value in own.items():
        path = path.replace(f"<uuid:{kwarg}>", value)
    attempt = matrix_world.attempt("partner", "GET", path)
    assert attempt.status == 200, (path, attempt.status)
    assert attempt.leaked == set()


@pytest.mark.skipif(not RECORD, reason="VANGNET_MATRIX_RECORD=1 rewrites the matrix file")
def test_record_the_matrix(matrix_world: az.World) -> None:
    rows, findings = [], []
    for name, pattern in sorted(ROUTES.items()):
        path = matrix_world.path(name, pattern)
        for method in az.METHODS:
            attempts = [matrix_world.attempt(actor, method, path) for actor in az.ACTORS]
            if all(attempt.status == 405 for attempt in attempts if attempt.actor != "anonymous"):
                continue
            rows.append(
                {"route": name, "method": method, "pattern": pattern}
                | {attempt.actor: attempt.verdict for attempt in attempts}
            )
            for attempt in attempts:
                findings += az.findings_of(attempt, attempt.verdict)
    az.write_matrix(rows)
    print("\n".join(findings))
    assert findings == []


def _report(name: str, method: str, findings: list[str]) -> None:
    """For `make verify`: the attempts and findings of this row, one JSON line per row."""
    target = os.environ.get("VANGNET_VERIFY_DIR")
    if not target:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = {
        "route": name,
        "method": method,
        "attempts": len(az.ACTORS),
        "findings": findings,
    }
    with (Path(target) / f"matrix-{worker}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
