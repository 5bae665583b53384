"""When is a reminder due? All reminder times are Eastern wall-clock times (9:00 means 9:00
in Boston on both sides of a daylight-saving change); rows store UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

INSTITUTE_TZ = ZoneInfo("America/New_York")
REMINDER_HOUR = 9  # reminders of the day go out from 9:00 am Eastern


def local(now: dt.datetime) -> dt.datetime:
    return now.astimezone(INSTITUTE_TZ)


def at_local(day: dt.date, hour: int = REMINDER_HOUR) -> dt.datetime:
    """The aware moment of `hour`:00 Eastern on `day`."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=INSTITUTE_TZ)


def reminder_hour_passed(now: dt.datetime, hour: int = REMINDER_HOUR) -> bool:
    return local(now).hour >= hour
