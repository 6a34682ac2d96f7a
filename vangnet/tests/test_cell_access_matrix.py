"""Every route inside a cell, for every kind of outsider and for a member without the role.

A new route under /cells/<cell_id>/ must be classified here, or the first test fails. Municipal
staff (Mona) are members of the cell for the support desk only: for the cell they are outsiders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from vangnet.tests.test_urlconf import ROUTES, concrete
from vangnet.tests_support.personas import Personas, make_personas, sign_in


@pytest.fixture(scope="module")
def _module_personas(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Personas]:
    """The personas, built once for this module's ~1,000 cases (building them per test was
    the slowest part of the suite): inside a transaction rolled back after the module, while
    each test runs in a savepoint within it, as Django's ``setUpTestData``. The tests here
    only sign in and request pages; nothing they do outlives their savepoint."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_personas()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def personas(_module_personas: Personas, db: None) -> Personas:
    return _module_personas


# Routes that need a role beyond membership: the CellAccess property they require.
REQUIRES = {
    "cells:profile_edit": "can_manage",
    "cells:framework_edit": "can_manage",
    "cells:framework_approve": "can_approve",
    "cells:phenomenon_add": "can_manage",
    "cells:phenomenon_disable": "can_manage",
    "cells:map_sharing": "can_manage",
    "cells:history": "can_oversee",
    "cells:handover": "can_oversee",
    "privacy:office": "can_review_privacy",
    "privacy:access_log": "can_review_privacy",
    "privacy:register_pdf": "can_review_privacy",
    "privacy:register_docx": "can_review_privacy",
    "privacy:access_log_export": "can_review_privacy",
    "privacy:access_review_sign": "can_review_privacy",
    "breaches:breaches": "can_review_privacy",
    "breaches:new": "can_review_privacy",
    "breaches:breach": "can_review_privacy",
    "breaches:edit": "can_review_privacy",
    "breaches:notify": "can_review_privacy",
    "breaches:close": "can_review_privacy",
    "breaches:draft": "can_review_privacy",
    "breaches:draft_text": "can_review_privacy",
    "privacy:subject_requests": "can_review_privacy",
    "privacy:subject_request_new": "can_review_privacy",
    "privacy:subject_request": "can_review_privacy",
    "privacy:subject_request_extend": "can_review_privacy",
    "privacy:subject_request_decide": "can_review_privacy",
    "privacy:subject_request_confirm": "can_manage",
    "privacy:subject_request_export_json": "can_manage",
    "privacy:subject_request_export_pdf": "can_manage",
    "privacy:subject_request_erase": "can_manage",
    "cells:document_upload": "can_manage",
    "cells:member_invite": "can_manage",
    "cells:member_end": "can_manage",
    "cells:invitation_revoke": "can_manage",
    "network:organisation_add": "can_manage",
    "network:organisation_edit": "can_manage",
    "network:contact_add": "can_manage",
    "network:contact_remove": "can_manage",
    "network:link_add": "can_manage",
    "network:link_remove": "can_manage",
    "intake:signal_screen": "can_manage",
    "intake:signal_open_case": "can_manage",
    "cases:find": "can_manage",
    "cases:edit": "can_manage",
    "cases:factors": "can_manage",
    "cases:participant_add": "can_manage",
    "cases:participant_remove": "can_manage",
    "cases:action_add": "can_manage",
    "cases:close": "can_manage",
    "cases:legal_hold": "can_manage",
    "cases:export": "can_manage",
    "meetings:new": "can_manage",
    "meetings:propose": "can_manage",
    "meetings:topic_add": "can_manage",
    "meetings:invite": "can_manage",
    "meetings:attendance": "can_manage",
    "meetings:minutes_approve": "can_manage",
    "meetings:item_remove": "can_manage",
    "meetings:item_move": "can_manage",
    "meetings:item_action_add": "can_manage",
    "meetings:carry_over": "can_manage",
    "meetings:sheet_save": "can_manage",
    "meetings:sheet_submit": "can_manage",
    "meetings:sheet_sent": "can_manage",
    "meetings:sheet_reopen": "can_manage",
    "scans:scans": "can_oversee",
    "scans:new": "can_manage",
    "scans:round": "can_oversee",
    "scans:invite": "can_manage",
    "scans:close": "can_manage",
    "scans:share": "can_manage",
    "scans:improvement_add": "can_manage",
    "coaching:cell_trajectories": "can_oversee",
    "coaching:cell_trajectory": "can_oversee",
    "coaching:cell_document_download": "can_oversee",
    "surveys:cell_list": "can_oversee",
    "surveys:cell_new": "can_manage",
    "surveys:cell_survey": "can_oversee",
    "surveys:cell_open": "can_manage",
    "surveys:cell_send": "can_manage",
    "surveys:cell_close": "can_manage",
    "surveys:cell_link": "can_manage",
    "surveys:cell_link_revoke": "can_manage",
    "surveys:cell_export_csv": "can_oversee",
    "surveys:cell_export_xlsx": "can_oversee",
}
# Routes every member may use.
MEMBERS = {
    "cells:cell_home",
    "cells:documents",
    "cells:document_download",
    "cells:members",
    "network:partners",
    "network:map",
    "network:map_data",
    "network:map_csv",
    # Signals and cases: open to members, then narrowed per object (own signals; need-to-know
    # for cases, see vangnet/cases/tests/test_case_access.py).
    "intake:signals",
    "intake:signal_new",
    "intake:signal",
    "intake:signal_police",
    "intake:trends",
    "intake:trend_new",
    "cases:cases",
    "cases:case",
    "cases:action_status",
    "cases:access_log",
    # Meetings: every member, with case items filtered per reader (meetings/tests).
    "meetings:meetings",
    "meetings:meeting",
    "meetings:ics",
    "meetings:secrecy",
    "meetings:minutes",
    "meetings:minutes_pdf",
    "meetings:item",
    "meetings:sheet_vote",
}
CELL_ROUTES = [(name, route) for name, route in ROUTES if route.startswith("cells/<uuid:cell_id>/")]


def cell_path(route: str, cell_id) -> str:
    return concrete(route.replace("<uuid:cell_id>", str(cell_id)))


def test_it_classifies_every_cell_route():
    names = {name for name, _route in CELL_ROUTES}
    assert names == set(REQUIRES) | MEMBERS


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "route"), CELL_ROUTES)
@pytest.mark.parametrize("outsider", ["walter", "vera", "olaf", "mona"])
def test_it_answers_404_to_everyone_outside_the_cell(
    personas, client, outsider, name, route, method
):
    sign_in(client, getattr(personas, outsider))
    response = getattr(client, method)(cell_path(route, personas.mechelen.pk))
    assert response.status_code in (404, 405), (name, method, response.status_code)
    assert b"Pim Partner" not in response.content


@pytest.mark.parametrize(("name", "route"), CELL_ROUTES)
def test_it_answers_404_for_a_cell_that_does_not_exist(personas, client, name, route):
    sign_in(client, personas.alice)
    assert client.get(cell_path(route, uuid.uuid4())).status_code in (404, 405)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "route"), [r for r in CELL_ROUTES if r[0] in REQUIRES])
def test_it_refuses_a_partner_member_what_needs_a_role(personas, client, name, route, method):
    sign_in(client, personas.pim)
    response = getattr(client, method)(cell_path(route, personas.mechelen.pk))
    assert response.status_code in (403, 405), (name, method, response.status_code)


@pytest.mark.parametrize(("name", "route"), [r for r in CELL_ROUTES if r[0] in REQUIRES])
def test_it_gives_each_role_exactly_its_routes(personas, client, name, route):
    expected = REQUIRES[name]
    for user, allowed in (
        (personas.alice, expected in ("can_manage", "can_oversee", "can_review_privacy")),
        (personas.bob, expected in ("can_approve", "can_oversee", "can_review_privacy")),
        (personas.ilse, False),  # police information officer
    ):
        sign_in(client, user)
        path = cell_path(route, personas.mechelen.pk)
        response = client.get(path)
        if response.status_code == 405:  # a POST-only action
            response = client.post(path)
        if allowed:
            # Through the role check: the page, a redirect after the action, or a 404 for a
            # sub-object that does not exist.
            assert response.status_code in (200, 302, 404), (name, user.email)
        else:
            assert response.status_code == 403, (name, user.email, response.status_code)
