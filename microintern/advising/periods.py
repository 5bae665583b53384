"""Days and weeks in Eastern time, for the adviser's day and week and the dashboard's
counts (a week starts on Monday)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate(now)
    start = dt.datetime.combine(today, dt.time(0), tzinfo=timezone.get_current_timezone())
    return start, dt.datetime.combine(
        today + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone()
    )


def week_bounds(now: dt.datetime, weeks_ahead: int = 0) -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_ahead)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(monday, dt.time(0), tzinfo=zone),
        dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=zone),
    )
