"""The WSGI entry point: loads the views at start-up and freezes them out of the collector."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_freezes_the_start_up_objects_with_every_view_loaded() -> None:
    script = (
        "import gc, sys\n"
        "import vangnet.wsgi as w\n"
        "views = 'vangnet.cases.views' in sys.modules\n"
        "print(gc.get_freeze_count(), views, callable(w.application))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vangnet.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, views_loaded, callable_app = result.stdout.split()
    assert int(frozen) > 10_000
    assert views_loaded == "True" and callable_app == "True"
