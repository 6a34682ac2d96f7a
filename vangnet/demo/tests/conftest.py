from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from vangnet.demo import services


@pytest.fixture
def demo_without_support_desk(monkeypatch: Any) -> None:
    """Load the demo without its support-desk part, which ``test_demo_support.py`` covers.

    That part (a year of helpdesk questions, the knowledge base, the forum, the other local
    governments) takes most of the demo's time; the tests of the cells' own work do not need it,
    nor the network part (bodies, events, coaching), which ``test_demo_events.py`` covers.
    """
    monkeypatch.setattr(services, "support_load", lambda *, staff: [])
    monkeypatch.setattr(services, "network_load", lambda *, staff: None)


@pytest.fixture
def demo_without_network(monkeypatch: Any) -> None:
    """Load the demo without its network part (bodies, a year of events, coaching)."""
    monkeypatch.setattr(services, "network_load", lambda *, staff: None)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """The demo stores knowledge files and helpdesk attachments: not in the real media folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def demo_once(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Path]:
    """The demo without its network part, loaded once per module (and per test worker) inside a
    transaction rolled back after the module; each test runs in a savepoint within it. For
    modules whose tests only read the loaded demo. Yields the folder of its stored files."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(services, "network_load", lambda *, staff: None)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", stdout=StringIO())
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded_demo(demo_once: Path, db: None, settings: Any) -> None:
    settings.MEDIA_ROOT = demo_once  # the demo's files (each test has its own otherwise)
