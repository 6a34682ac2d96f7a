from __future__ import annotations

import pytest

from vangnet.knowledge.models import Theme


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Pages and mails in English, so assertions do not depend on the Dutch translation.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def theme(db) -> Theme:
    return Theme.objects.get(slug="beroepsgeheim")
