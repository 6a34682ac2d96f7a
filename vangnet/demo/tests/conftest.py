from __future__ import annotations

from typing import Any

import pytest

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
