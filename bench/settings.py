"""Benchmark settings: the production settings plus a query counter and the floor page.

The runner (`bench/run.py`) sets `VANGNET_ENV=production` and the secrets before Django loads,
so everything below `vangnet.settings` is exactly what a deployment runs. The two additions:

- `bench.middleware.QueryCountMiddleware`, outermost, so that the queries of every middleware
  (session, session guard, audit) are counted, returned in the `X-Bench-Queries` header;
- `bench.urls`, the project's URLs plus `/bench/floor/`, which exists only here.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from vangnet.settings import *  # noqa: F403
from vangnet.settings import MIDDLEWARE, PRODUCTION

if not PRODUCTION:
    raise ImproperlyConfigured(
        "bench.settings measures production settings: VANGNET_ENV=production"
    )

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
