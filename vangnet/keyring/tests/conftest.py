from __future__ import annotations

import base64

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled

from vangnet.cells.models import Cell
from vangnet.keyring.services import keyring_cache_clear

OLD_KEY = base64.b64encode(bytes(range(32))).decode()
NEW_KEY = base64.b64encode(bytes(range(100, 132))).decode()
OLD_RING = f"old:{OLD_KEY}"


@pytest.fixture(autouse=True)
def master_keys():
    """A known master key ring for every key ring test, and a cold cache on both ends."""
    with override_settings(VANGNET_MASTER_KEYS=OLD_RING):
        yield
    keyring_cache_clear()


@pytest.fixture(autouse=True)
def across_cells():
    """The key ring's own tests work with an unscoped probe model across cells: row-level
    security (vangnet/lib/rls.py) would otherwise hide every cell's keys and probes."""
    with scopes_disabled():
        yield


@pytest.fixture
def cell(db):
    return Cell.objects.create(name="Cel Antwerpen")


@pytest.fixture
def other_cell(db):
    return Cell.objects.create(name="Cel Gent")
