"""Business days: Monday to Friday, without the institute's holidays (the Holiday table).

Every function takes an optional `holidays` set so that callers doing many computations,
and tests, can pass the calendar in; by default it is read from the database for the range
the computation can touch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from microintern.cycles.models import Holiday

SATURDAY = 5
# N business days never span more than this many calendar days: 2 weekend days per week plus
# generous room for clustered holidays (the last week of December).
_CALENDAR_DAYS_PER_BUSINESS_DAY = 2


def holidays_between(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    return frozenset(
        Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True)
    )


def _calendar(
    start: dt.date, business_days: int, holidays: Collection[dt.date] | None
) -> Collection[dt.date]:
    if holidays is not None:
        return holidays
    span = dt.timedelta(days=14 + business_days * _CALENDAR_DAYS_PER_BUSINESS_DAY)
    return holidays_between(start - span, start + span)


def is_business_day(day: dt.date, holidays: Collection[dt.date] | None = None) -> bool:
    if day.weekday() >= SATURDAY:
        return False
    if holidays is None:
        return not Holiday.objects.filter(date=day).exists()
    return day not in holidays


def next_business_day(day: dt.date, holidays: Collection[dt.date] | None = None) -> dt.date:
    """The first business day strictly after `day`."""
    return add_business_days(day, 1, holidays)


def add_business_days(day: dt.date, n: int, holidays: Collection[dt.date] | None = None) -> dt.date:
    """The Nth business day strictly after `day` (n >= 1); `day` itself never counts."""
    if n < 1:
        raise ValueError("n must be at least 1.")
    calendar = _calendar(day, n, holidays)
    counted = 0
    current = day
    while counted < n:
        current += dt.timedelta(days=1)
        if current.weekday() < SATURDAY and current not in calendar:
            counted += 1
    return current


def business_days_between(
    start: dt.date, end: dt.date, holidays: Collection[dt.date] | None = None
) -> int:
    """Business days in the half-open interval (start, end]: after start, up to and including end.

    So business_days_between(d, add_business_days(d, n)) == n. Negative when end < start.
    """
    if end < start:
        return -business_days_between(end, start, holidays)
    calendar = holidays if holidays is not None else holidays_between(start, end)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < SATURDAY and current not in calendar:
            count += 1
    return count
