from __future__ import annotations

# Makes the audit tests self-contained; the root conftest.py registers the same fixture for the
# whole suite with `pytest_plugins = ["vangnet.audit.testing"]`.
from vangnet.audit.testing import audit_test_flush_support  # noqa: F401
