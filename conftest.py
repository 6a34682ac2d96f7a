from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from vangnet.accounts.models import User
from vangnet.cells.models import Role
from vangnet.cells.services import membership_add
from vangnet.lib.aggregates import aggregates_forget
from vangnet.lib.rls import app_role_create_sql, owner_mode, rls_apply
from vangnet.tests_support.personas import Personas, make_personas, make_user

# Lets Django's test flush pass the audit log's append-only triggers (tests only).
pytest_plugins = ["vangnet.audit.testing"]


TEST_APP_ROLE = "vangnet_test_app"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """On PostgreSQL the whole suite runs as an app role bound by row-level security, as
    production does (vangnet/lib/rls.py): a role that owns no table and has no BYPASSRLS. The
    test database is built by the login role (CI: the superuser), which then owns the tables."""
    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock(), owner_mode(), connection.cursor() as cursor:
        cursor.execute(app_role_create_sql(TEST_APP_ROLE, login=False))
        django_settings.VANGNET_DB_APP_ROLE = TEST_APP_ROLE
        rls_apply()
    connection.close()  # the next statement runs as the app role
    yield
    # Dropping the test database takes its owner again.
    django_settings.VANGNET_DB_APP_ROLE = ""
    connection.close()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Path) -> None:
    # Argon2 is deliberately slow; tests that check the hasher set it back explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True
    cache.clear()  # no test sees another test's cached values
    aggregates_forget()
    # Aggregates are computed on each request, so tests see their own changes at once; the
    # cache itself is tested where it is used.
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 0
    # Stored files per test: parallel workers (pytest-xdist) never see each other's files.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def dpo(personas: Personas) -> User:
    """Dora, the data-protection officer of the Mechelen cell (not a persona of every test)."""
    user = make_user("dpo@example.org", "Dora DPO")
    membership_add(cell=personas.mechelen, user=user, role=Role.DPO)
    return user


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """The English UI, for tests that assert English text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
