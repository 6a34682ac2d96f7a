"""Working time in Belgium: public holidays, office hours, and a clock that only runs in them.

The helpdesk promises a first response within a number of *working days* (VVSG's office hours,
Monday to Friday, not on the ten Belgian public holidays nor on extra closing days it configures).
``working_time_add`` turns that promise into a deadline; ``working_time_between`` measures how
much working time an answer took, so that statistics do not count weekends and holidays.

Framework-free: the caller passes the calendar (``Calendar``), usually built from settings by
``Calendar.from_settings()``. All datetimes are timezone-aware; computations happen in the
calendar's time zone (Europe/Brussels), so daylight-saving changes are handled.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@lru_cache(maxsize=64)
def belgian_public_holidays(year: int) -> frozenset[datetime.date]:
    """The ten legal public holidays of Belgium (Royal Decree of 18 April 1974)."""
    easter = easter_sunday(year)
    return frozenset(
        {
            datetime.date(year, 1, 1),  # Nieuwjaar
            easter + datetime.timedelta(days=1),  # Paasmaandag
            datetime.date(year, 5, 1),  # Dag van de Arbeid
            easter + datetime.timedelta(days=39),  # O.L.H. Hemelvaart
            easter + datetime.timedelta(days=50),  # Pinkstermaandag
            datetime.date(year, 7, 21),  # Nationale feestdag
            datetime.date(year, 8, 15),  # O.L.V. Hemelvaart
            datetime.date(year, 11, 1),  # Allerheiligen
            datetime.date(year, 11, 11),  # Wapenstilstand
            datetime.date(year, 12, 25),  # Kerstmis
        }
    )


@dataclass(frozen=True)
class Calendar:
    """Office hours on working days, in one time zone, minus holidays and closing days."""

    start: datetime.time = datetime.time(9, 0)
    end: datetime.time = datetime.time(17, 0)
    timezone: str = "Europe/Brussels"
    extra_closed_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("Office hours must end after they start.")

    @classmethod
    def from_settings(cls) -> Calendar:
        from django.conf import settings

        return cls(
            start=settings.VANGNET_HELPDESK_OFFICE_START,
            end=settings.VANGNET_HELPDESK_OFFICE_END,
            timezone=settings.TIME_ZONE,
            extra_closed_days=frozenset(settings.VANGNET_HELPDESK_CLOSED_DAYS),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def day_length(self) -> datetime.timedelta:
        return _combine(datetime.date(2000, 1, 3), self.end) - _combine(
            datetime.date(2000, 1, 3), self.start
        )

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in belgian_public_holidays(day.year)
            and day not in self.extra_closed_days
        )

    def _open_interval(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        zone = self.zone
        return (
            datetime.datetime.combine(day, self.start, tzinfo=zone),
            datetime.datetime.combine(day, self.end, tzinfo=zone),
        )


def _combine(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time)


def working_days_add(
    start: datetime.datetime, days: float, calendar: Calendar
) -> datetime.datetime:
    """The moment ``days`` working days of office time after ``start``.

    A question asked on Friday at 16:00 with two working days allowed is due on Tuesday at
    16:00; one asked on Saturday is due on Tuesday at 17:00 (the clock starts on Monday 9:00).
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    remaining = calendar.day_length * days
    local = start.astimezone(calendar.zone)
    day = local.date()
    while True:
        if calendar.is_working_day(day):
            opens, closes = calendar._open_interval(day)
            begin = max(local, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += datetime.timedelta(days=1)
        local = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=calendar.zone)


def working_time_between(
    start: datetime.datetime, end: datetime.datetime, calendar: Calendar
) -> datetime.timedelta:
    """Office time between two moments (zero when ``end`` is not after ``start``)."""
    if end <= start:
        return datetime.timedelta(0)
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    total = datetime.timedelta(0)
    day = local_start.date()
    while day <= local_end.date():
        if calendar.is_working_day(day):
            opens, closes = calendar._open_interval(day)
            begin, finish = max(opens, local_start), min(closes, local_end)
            if finish > begin:
                total += finish - begin
        day += datetime.timedelta(days=1)
    return total


def working_days_between(
    start: datetime.datetime, end: datetime.datetime, calendar: Calendar
) -> float:
    """Office time between two moments in working days (8 office hours = 1 day by default)."""
    return working_time_between(start, end, calendar) / calendar.day_length


def parse_closed_days(values: Iterable[str]) -> list[datetime.date]:
    """ISO dates from configuration; raises ValueError naming the bad value."""
    days = []
    for value in values:
        try:
            days.append(datetime.date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"Not an ISO date (YYYY-MM-DD): {value!r}") from None
    return days
