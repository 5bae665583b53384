"""The offer's decision deadline, in business days (CAPD: "5-7 business days to decide").

The deadline is the end of the Nth business day after the day the offer is extended, in the
institute's time zone. The day of extension never counts, whatever the hour, and whether or
not it is itself a business day. Computed once at extension and stored (in UTC) on the offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from microintern.cycles import business_days

INSTITUTE_TZ = ZoneInfo("America/New_York")
MIN_DECISION_DAYS = 5
MAX_DECISION_DAYS = 7
# "End of the day": the last second of it, shown as 11:59 PM Eastern.
END_OF_DAY = dt.time(23, 59, 59)


def decision_deadline(extended_at: dt.datetime, business_days_: int) -> dt.datetime:
    """Aware datetime at the end of the Nth business day after `extended_at`, in New York.

    Raises ValueError for a window outside 5..7 or a naive `extended_at`.
    """
    if not MIN_DECISION_DAYS <= business_days_ <= MAX_DECISION_DAYS:
        raise ValueError(
            f"The decision window must be {MIN_DECISION_DAYS} to {MAX_DECISION_DAYS} business days."
        )
    if extended_at.tzinfo is None or extended_at.utcoffset() is None:
        raise ValueError("extended_at must be an aware datetime.")
    extension_day = extended_at.astimezone(INSTITUTE_TZ).date()
    last_day = business_days.add_business_days(extension_day, business_days_)
    # zoneinfo gives the right offset for that date: EDT before Nov 1, 2026, EST after.
    return dt.datetime.combine(last_day, END_OF_DAY, tzinfo=INSTITUTE_TZ)


def extended_deadline(deadline: dt.datetime, more_business_days: int) -> dt.datetime:
    """The end of the business day that lies `more_business_days` after the deadline's day:
    an extension adds days to the deadline the student has now."""
    last_day = business_days.add_business_days(
        deadline.astimezone(INSTITUTE_TZ).date(), more_business_days
    )
    return dt.datetime.combine(last_day, END_OF_DAY, tzinfo=INSTITUTE_TZ)


def business_days_left(
    deadline: dt.datetime, now: dt.datetime, holidays: Collection[dt.date] | None = None
) -> int:
    """Business days from today (not counted) up to and including the deadline's day; 0 on
    the last day itself and after the deadline. `holidays`: the calendar, when a sweep has
    read it once for many offers (else it is read here)."""
    today = now.astimezone(INSTITUTE_TZ).date()
    last_day = deadline.astimezone(INSTITUTE_TZ).date()
    return max(business_days.business_days_between(today, last_day, holidays), 0)
