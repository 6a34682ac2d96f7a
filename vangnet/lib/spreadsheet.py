"""Exports that spreadsheet programs open: neutralise text that would run as a formula."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe; other values pass unchanged."""
    if not isinstance(value, str):
        return value
    starts_formula = value.lstrip()[:1] in FORMULA_STARTS or value[:1] in CONTROL_STARTS
    return "'" + value if starts_formula else value
