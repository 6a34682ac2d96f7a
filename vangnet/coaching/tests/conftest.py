from __future__ import annotations

import datetime
from typing import Any

import pytest

from vangnet.coaching import services
from vangnet.coaching.models import Trajectory


@pytest.fixture(autouse=True)
def _media_and_language(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    # Assertions read the English source texts; the site default is Dutch.
    settings.LANGUAGE_CODE = "en"


def make_trajectory(personas: Any, *, cells: list | None = None, **kwargs: Any) -> Trajectory:
    values: dict[str, Any] = {
        "coach": personas.vera,
        "title": "Heropstart Mechelen",
        "category": "reactivate",
        "cells": cells if cells is not None else [personas.mechelen],
        "started_on": datetime.date(2026, 1, 15),
        "actor": personas.vera,
    }
    values.update(kwargs)
    return services.trajectory_create(**values)


@pytest.fixture
def trajectory(personas: Any) -> Trajectory:
    return make_trajectory(personas)
