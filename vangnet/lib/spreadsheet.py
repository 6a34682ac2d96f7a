"""Exports that spreadsheet programs open: neutralise text that would run as a formula."""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
# Leading characters a spreadsheet program (or openpyxl, which drops C0 control characters)
# may skip before it looks for a formula: whitespace and control characters.
_LEADING_IGNORED = re.compile(r"^[\s\x00-\x1f\x7f]+")


def spreadsheet_safe(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe; other values pass unchanged.

    The check looks past leading whitespace and control characters, so "\\x01=CMD()" (which
    becomes "=CMD()" once a writer drops the control character) is neutralised too.
    """
    if not isinstance(value, str):
        return value
    rest = _LEADING_IGNORED.sub("", value)
    starts_formula = rest[:1] in FORMULA_STARTS or value[:1] in CONTROL_STARTS
    return "'" + value if starts_formula else value
