"""Business days against the real holiday table (filled by cycles' data migration).

The 2026 dates that matter here: Columbus Day Mon Oct 12, Veterans Day Wed Nov 11,
Thanksgiving Thu Nov 26 and the day after, Fri Nov 27, Christmas Fri Dec 25, New Year's Day
Fri Jan 1, 2027.
"""

from __future__ import annotations

import datetime as dt

import pytest

from microintern.cycles.business_days import (
    add_business_days,
    business_days_between,
    is_business_day,
    next_business_day,
)
from microintern.cycles.models import Holiday
from tests.factories import HolidayFactory

pytestmark = pytest.mark.django_db

D = dt.date
THANKSGIVING_EVE = D(2026, 11, 25)  # a Wednesday


def test_it_has_the_migrated_holidays_for_the_cycle() -> None:
    dates = set(Holiday.objects.filter(date__year=2026).values_list("date", flat=True))

    assert {D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 26), D(2026, 11, 27)} <= dates
    assert Holiday.objects.get(date=D(2026, 11, 27)).name == "Day after Thanksgiving"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 9, 15), D(2026, 9, 16), id="Tue to Wed"),
        pytest.param(D(2026, 9, 18), D(2026, 9, 21), id="Fri over a weekend to Mon"),
        pytest.param(D(2026, 9, 19), D(2026, 9, 21), id="Sat to Mon"),
        pytest.param(D(2026, 9, 20), D(2026, 9, 21), id="Sun to Mon"),
        pytest.param(D(2026, 10, 9), D(2026, 10, 13), id="Fri over Columbus Day to Tue"),
        pytest.param(D(2026, 10, 10), D(2026, 10, 13), id="Sat over Columbus Day to Tue"),
        pytest.param(D(2026, 11, 10), D(2026, 11, 12), id="Tue over Veterans Day to Thu"),
        pytest.param(THANKSGIVING_EVE, D(2026, 11, 30), id="Wed over Thanksgiving to Mon"),
        pytest.param(D(2026, 11, 26), D(2026, 11, 30), id="Thanksgiving to Mon"),
        pytest.param(D(2026, 12, 24), D(2026, 12, 28), id="Thu over Christmas to Mon"),
        pytest.param(D(2026, 12, 31), D(2027, 1, 4), id="Thu over New Year to Mon"),
    ],
)
def test_it_finds_the_next_business_day(day: dt.date, expected: dt.date) -> None:
    assert next_business_day(day) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        pytest.param(THANKSGIVING_EVE, 1, D(2026, 11, 30), id="Thanksgiving eve +1"),
        pytest.param(THANKSGIVING_EVE, 2, D(2026, 12, 1), id="Thanksgiving eve +2"),
        pytest.param(THANKSGIVING_EVE, 5, D(2026, 12, 4), id="Thanksgiving eve +5"),
        pytest.param(THANKSGIVING_EVE, 6, D(2026, 12, 7), id="Thanksgiving eve +6"),
        pytest.param(THANKSGIVING_EVE, 7, D(2026, 12, 8), id="Thanksgiving eve +7"),
        pytest.param(D(2026, 10, 23), 5, D(2026, 10, 30), id="plain week +5"),
        pytest.param(D(2026, 10, 8), 5, D(2026, 10, 16), id="over Columbus Day +5"),
        pytest.param(D(2026, 11, 10), 5, D(2026, 11, 18), id="over Veterans Day +5"),
        pytest.param(D(2026, 11, 24), 7, D(2026, 12, 7), id="Tue before Thanksgiving +7"),
        pytest.param(D(2026, 12, 23), 5, D(2026, 12, 31), id="over Christmas +5"),
        pytest.param(D(2026, 12, 23), 6, D(2027, 1, 4), id="over Christmas and New Year +6"),
        pytest.param(D(2026, 11, 28), 1, D(2026, 11, 30), id="from a Saturday +1"),
    ],
)
def test_it_adds_business_days(day: dt.date, n: int, expected: dt.date) -> None:
    assert add_business_days(day, n) == expected


@pytest.mark.parametrize("n", [0, -1, -5])
def test_it_refuses_fewer_than_one_business_day(n: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_business_days(THANKSGIVING_EVE, n)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(THANKSGIVING_EVE, THANKSGIVING_EVE, 0, id="same day"),
        pytest.param(THANKSGIVING_EVE, D(2026, 11, 29), 0, id="over the long weekend"),
        pytest.param(THANKSGIVING_EVE, D(2026, 11, 30), 1, id="to the Monday after"),
        pytest.param(THANKSGIVING_EVE, D(2026, 12, 4), 5, id="to the Friday after"),
        pytest.param(D(2026, 11, 30), THANKSGIVING_EVE, -1, id="backwards"),
        pytest.param(D(2026, 10, 9), D(2026, 10, 13), 1, id="over Columbus Day"),
        pytest.param(D(2026, 11, 28), D(2026, 11, 29), 0, id="Sat to Sun"),
        pytest.param(D(2026, 9, 30), D(2026, 10, 31), 21, id="October 2026"),
    ],
)
def test_it_counts_business_days_between(start: dt.date, end: dt.date, expected: int) -> None:
    assert business_days_between(start, end) == expected


@pytest.mark.parametrize("day", [D(2026, 10, 8), THANKSGIVING_EVE, D(2026, 12, 22), D(2027, 1, 15)])
@pytest.mark.parametrize("n", [1, 5, 6, 7, 15])
def test_it_counts_back_what_it_added(day: dt.date, n: int) -> None:
    assert business_days_between(day, add_business_days(day, n)) == n


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 25), True),
        (D(2026, 11, 26), False),
        (D(2026, 11, 27), False),
        (D(2026, 11, 28), False),
        (D(2026, 11, 29), False),
        (D(2026, 11, 30), True),
    ],
)
def test_it_tells_whether_a_day_is_a_business_day(day: dt.date, expected: bool) -> None:
    assert is_business_day(day) is expected


def test_it_skips_a_holiday_that_staff_added() -> None:
    HolidayFactory(date=D(2026, 11, 30), name="Snow day")

    assert add_business_days(THANKSGIVING_EVE, 1) == D(2026, 12, 1)
    assert business_days_between(THANKSGIVING_EVE, D(2026, 12, 4)) == 4
    assert not is_business_day(D(2026, 11, 30))


def test_it_counts_a_day_again_once_its_holiday_is_deleted() -> None:
    snow_day = HolidayFactory(date=D(2026, 11, 30), name="Snow day")
    snow_day.delete()

    assert add_business_days(THANKSGIVING_EVE, 1) == D(2026, 11, 30)


def test_it_counts_a_migrated_holiday_that_staff_deleted() -> None:
    Holiday.objects.filter(date=D(2026, 11, 27)).delete()

    assert add_business_days(THANKSGIVING_EVE, 1) == D(2026, 11, 27)
    assert business_days_between(THANKSGIVING_EVE, D(2026, 11, 30)) == 2


def test_it_reads_the_holidays_in_one_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert add_business_days(THANKSGIVING_EVE, 7) == D(2026, 12, 8)


def test_it_uses_a_calendar_it_is_given_without_the_database(django_assert_num_queries) -> None:
    thanksgiving = frozenset({D(2026, 11, 26), D(2026, 11, 27)})

    with django_assert_num_queries(0):
        assert add_business_days(THANKSGIVING_EVE, 1, holidays=thanksgiving) == D(2026, 11, 30)
        assert next_business_day(THANKSGIVING_EVE, holidays=thanksgiving) == D(2026, 11, 30)
        assert business_days_between(THANKSGIVING_EVE, D(2026, 12, 4), thanksgiving) == 5
        assert is_business_day(D(2026, 11, 27), holidays=thanksgiving) is False


def test_it_trusts_an_empty_calendar_over_the_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert add_business_days(THANKSGIVING_EVE, 1, holidays=frozenset()) == D(2026, 11, 26)
        assert business_days_between(THANKSGIVING_EVE, D(2026, 11, 30), set()) == 3
