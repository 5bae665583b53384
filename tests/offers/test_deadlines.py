"""decision_deadline: the end of the Nth business day after the day of extension, Eastern."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from microintern.cycles.models import Holiday
from offers.deadlines import business_days_left, decision_deadline

NY = ZoneInfo("America/New_York")
UTC = dt.UTC


def eastern(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


pytestmark = pytest.mark.django_db  # the holiday calendar lives in the database


@pytest.mark.parametrize(
    ("extended_at", "days", "expected_last_day"),
    [
        # Monday, plain week: Tue..Mon
        (eastern(2026, 10, 19, 10, 0), 5, dt.date(2026, 10, 26)),
        # Thursday: the weekend is skipped
        (eastern(2026, 10, 22, 9, 0), 5, dt.date(2026, 10, 29)),
        # Columbus / Indigenous Peoples' Day, Mon Oct 12, 2026, does not count
        (eastern(2026, 10, 5, 10, 0), 5, dt.date(2026, 10, 13)),
        # Veterans Day, Wed Nov 11, 2026, does not count
        (eastern(2026, 11, 9, 10, 0), 5, dt.date(2026, 11, 17)),
        # Thanksgiving Nov 26 and the Friday after, Nov 27, 2026, do not count
        (eastern(2026, 11, 23, 10, 0), 5, dt.date(2026, 12, 2)),
        (eastern(2026, 11, 23, 10, 0), 7, dt.date(2026, 12, 4)),
        # Extended on the holiday itself: that day does not count either
        (eastern(2026, 11, 26, 12, 0), 5, dt.date(2026, 12, 4)),
        # Extended on a Saturday: counting starts on Monday
        (eastern(2026, 10, 24, 11, 0), 5, dt.date(2026, 10, 30)),
        # 11:30 pm Eastern on Thursday is already Friday in UTC: Thursday is the day of extension
        (eastern(2026, 10, 22, 23, 30), 5, dt.date(2026, 10, 29)),
        # The window of 6 and 7 business days
        (eastern(2026, 10, 19, 10, 0), 6, dt.date(2026, 10, 27)),
        (eastern(2026, 10, 19, 10, 0), 7, dt.date(2026, 10, 28)),
    ],
)
def test_it_ends_on_the_nth_business_day(extended_at, days, expected_last_day):
    deadline = decision_deadline(extended_at, days)
    assert deadline.astimezone(NY).date() == expected_last_day
    assert deadline.astimezone(NY).time() == dt.time(23, 59, 59)


def test_it_uses_the_eastern_day_for_an_offer_made_late_in_the_evening():
    late_thursday = dt.datetime(2026, 10, 23, 3, 30, tzinfo=UTC)  # 11:30 pm EDT on Oct 22
    assert decision_deadline(late_thursday, 5).date() == dt.date(2026, 10, 29)


def test_it_keeps_daylight_time_before_the_change_on_nov_1_2026():
    deadline = decision_deadline(eastern(2026, 10, 21, 10, 0), 6)  # ends Thu Oct 29
    assert deadline.astimezone(UTC) == dt.datetime(2026, 10, 30, 3, 59, 59, tzinfo=UTC)


def test_it_uses_standard_time_after_the_change_on_nov_1_2026():
    deadline = decision_deadline(eastern(2026, 10, 27, 10, 0), 5)  # ends Tue Nov 3
    assert deadline.astimezone(UTC) == dt.datetime(2026, 11, 4, 4, 59, 59, tzinfo=UTC)


def test_it_counts_a_holiday_staff_added():
    Holiday.objects.create(date=dt.date(2026, 10, 20), name="Institute closure")
    assert decision_deadline(eastern(2026, 10, 19, 10, 0), 5).date() == dt.date(2026, 10, 27)


def test_it_stops_counting_a_holiday_staff_removed():
    Holiday.objects.filter(date=dt.date(2026, 11, 11)).delete()
    assert decision_deadline(eastern(2026, 11, 9, 10, 0), 5).date() == dt.date(2026, 11, 16)


@pytest.mark.parametrize("days", [0, 4, 8, -5])
def test_it_refuses_a_window_outside_five_to_seven(days):
    with pytest.raises(ValueError, match="5 to 7 business days"):
        decision_deadline(eastern(2026, 10, 19, 10, 0), days)


def test_it_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        decision_deadline(dt.datetime(2026, 10, 19, 10, 0), 5)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (eastern(2026, 10, 19, 12, 0), 5),  # the day of extension
        (eastern(2026, 10, 23, 12, 0), 1),  # Friday: Monday is left
        (eastern(2026, 10, 24, 12, 0), 1),  # Saturday: still Monday
        (eastern(2026, 10, 26, 12, 0), 0),  # the last day
        (eastern(2026, 10, 28, 12, 0), 0),  # after the deadline
    ],
)
def test_it_counts_the_business_days_left(now, expected):
    deadline = decision_deadline(eastern(2026, 10, 19, 10, 0), 5)
    assert business_days_left(deadline, now) == expected
