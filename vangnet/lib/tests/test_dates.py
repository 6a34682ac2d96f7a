from __future__ import annotations

import datetime as dt

from vangnet.lib.dates import add_months


def test_it_adds_months_and_clips_to_the_end_of_the_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 5, 15), 24) == dt.date(2028, 5, 15)
    assert add_months(dt.date(2026, 5, 15), -6) == dt.date(2025, 11, 15)
