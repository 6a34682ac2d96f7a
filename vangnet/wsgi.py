from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")

application = get_wsgi_application()


def freeze_startup_objects() -> int:
    """Keep what the process loaded at start-up out of the garbage collector's full scans.

    Django, the views (imported here by loading the URLconf) and their modules live as long as
    the process. Left to the collector, every full collection walks all of them again: about
    35 ms, every few dozen requests, which showed as the slowest 5 % of requests in the
    benchmark (docs/performance.md). ``gc.freeze()`` moves them to a permanent generation;
    the collector still handles everything made afterwards. Returns the number frozen.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on request 1
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


freeze_startup_objects()
