"""Fixtures of the whole-application tests: the demo world with canaries
(vangnet/tests_support/authorization.py), shared by the authorization matrix and the fuzzing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from vangnet.tests_support import authorization as az


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[az.World]:
    """The demo with canaries, built once per module (and per test worker) inside a
    transaction rolled back after the module; each test runs in a savepoint within it."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = az.build_world()
            world.media = media
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def matrix_world(world: az.World, db: None, settings: Any) -> az.World:
    settings.MEDIA_ROOT = world.media  # the demo's files (each test has its own otherwise)
    return world
