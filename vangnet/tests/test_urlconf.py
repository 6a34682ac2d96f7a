"""Walk the whole URLconf: outside the public allowlist, nothing answers without full sign-in."""

from __future__ import annotations

import pytest

from vangnet.tests_support.authorization import ABSENT, routes
from vangnet.tests_support.personas import make_user, sign_in_password_only

# Routes a visitor may reach before signing in (all are part of signing in, or harmless).
PUBLIC = {
    "accounts:login",
    "accounts:login_verify",
    "accounts:login_recovery",
    "accounts:login_setup",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "cells:join",
    "scans:respond",
    # Survey answers: a personal single-use link or the survey's revocable anonymous link.
    "surveys:respond",
    "set_language",
    "healthz",
    # The public knowledge base: each reader sees what audiences_for() allows.
    "knowledge:index",
    "knowledge:item",
    "knowledge:file_download",
    # The personal iCal feed: a secret token in the URL (only its hash is stored), revocable.
    "events:feed",
    # Open data: public aggregates (suppressed below the threshold) and their dictionary.
    "insights:opendata",
    "insights:opendata_csv",
    "insights:opendata_json",
    "insights:opendata_dictionary",
}
METHODS = ["get", "post", "put", "patch", "delete", "head", "options"]


def concrete(route: str) -> str:
    """Fill converters with plausible values: a valid UUID, a slug, a number. The UUID is
    fixed (no object has it in a fresh test database): parallel test workers must collect the
    same test ids."""
    import re

    route = re.sub(r"<uuid:[^>]+>", str(ABSENT), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug|path:)?[^>]*>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = routes()
PROTECTED = [(name, concrete(route)) for name, route in ROUTES if name not in PUBLIC]


def test_it_knows_every_public_route():
    names = {name for name, _route in ROUTES}
    assert names >= PUBLIC, PUBLIC - names
    assert len(PROTECTED) >= 8


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("name", "path"), PROTECTED)
def test_it_sends_anonymous_visitors_to_login(client, name, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 302, (name, method, response.status_code)
    assert response["Location"].startswith("/login/"), (name, response["Location"])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("name", "path"), PROTECTED)
def test_it_sends_half_signed_in_visitors_to_login(db, client, name, path, method):
    # One user is enough (no cell needed): building every persona for each of these ~1,400
    # cases was the slowest part of the suite.
    sign_in_password_only(client, make_user("half@example.org", "Half Signed-In"))
    response = getattr(client, method)(path)
    assert response.status_code == 302, (name, method, response.status_code)
    assert response["Location"].startswith("/login/"), (name, response["Location"])
