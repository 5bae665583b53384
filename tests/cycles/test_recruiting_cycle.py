"""The recruiting cycle: CAPD's key dates, in order, and exactly one current cycle."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from microintern.cycles.models import RecruitingCycle
from tests.factories import PastRecruitingCycleFactory, RecruitingCycleFactory

pytestmark = pytest.mark.django_db

D = dt.date
NEW_YORK = ZoneInfo("America/New_York")


def test_it_gives_capds_published_dates_for_iap_2027() -> None:
    assert RecruitingCycle.defaults_for_iap_year(2027) == {
        "name": "IAP 2027",
        "postings_open": D(2026, 9, 16),
        "interviews_begin": D(2026, 10, 11),
        "offers_begin": D(2026, 10, 25),
        "arrangements_begin": D(2026, 11, 1),
        "iap_start": D(2027, 1, 6),
        "iap_end": D(2027, 1, 31),
    }


def test_it_gives_defaults_that_pass_its_own_validation() -> None:
    cycle = RecruitingCycle(**RecruitingCycle.defaults_for_iap_year(2030))

    cycle.full_clean()


def test_it_finds_the_current_cycle(iap_2027: RecruitingCycle) -> None:
    PastRecruitingCycleFactory()

    assert RecruitingCycle.objects.current() == iap_2027


def test_it_has_no_current_cycle_when_none_is_marked() -> None:
    PastRecruitingCycleFactory()

    assert RecruitingCycle.objects.current() is None


def test_it_refuses_a_second_current_cycle(iap_2027: RecruitingCycle) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RecruitingCycleFactory(iap_year=2028, is_current=True)

    assert RecruitingCycle.objects.filter(is_current=True).get() == iap_2027


def test_it_keeps_any_number_of_past_cycles(iap_2027: RecruitingCycle) -> None:
    PastRecruitingCycleFactory(iap_year=2025)
    PastRecruitingCycleFactory(iap_year=2026)

    assert RecruitingCycle.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("interviews_begin", D(2026, 9, 1)),
        ("offers_begin", D(2026, 10, 1)),
        ("arrangements_begin", D(2026, 10, 20)),
        ("iap_start", D(2026, 10, 31)),
        ("iap_end", D(2027, 1, 5)),
    ],
)
def test_it_refuses_a_key_date_before_the_previous_one(field: str, value: dt.date) -> None:
    cycle = RecruitingCycleFactory.build(**{field: value})

    with pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert list(error.value.message_dict) == [field]
    assert "must not come before the previous key date" in error.value.message_dict[field][0]


def test_it_names_the_iap_dates_as_staff_know_them_in_the_error() -> None:
    cycle = RecruitingCycleFactory.build(iap_end=D(2027, 1, 5))

    with pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert error.value.message_dict["iap_end"] == [
        "IAP ends must not come before the previous key date."
    ]


def test_it_accepts_key_dates_on_the_same_day() -> None:
    cycle = RecruitingCycleFactory.build(interviews_begin=D(2026, 9, 16))

    cycle.full_clean()


def test_it_refuses_out_of_order_dates_in_the_database_too() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RecruitingCycleFactory(iap_end=D(2027, 1, 1))

    assert not RecruitingCycle.objects.exists()


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (D(2026, 6, 1), "before"),
        (D(2026, 9, 15), "before"),
        (D(2026, 9, 16), "postings_open"),
        (D(2026, 10, 10), "postings_open"),
        (D(2026, 10, 11), "interviews_begin"),
        (D(2026, 10, 24), "interviews_begin"),
        (D(2026, 10, 25), "offers_begin"),
        (D(2026, 11, 1), "arrangements_begin"),
        (D(2026, 12, 24), "arrangements_begin"),
        (D(2027, 1, 6), "iap"),
        (D(2027, 1, 31), "iap"),
        (D(2027, 2, 1), "after"),
    ],
)
def test_it_knows_the_stage_of_the_cycle(today: dt.date, stage: str) -> None:
    cycle = RecruitingCycleFactory.build()

    assert cycle.current_stage(today) == stage


def test_it_takes_today_in_new_york_for_the_stage() -> None:
    cycle = RecruitingCycleFactory.build()
    # 01:30 UTC on Oct 25 is still the evening of Oct 24 in New York: offers have not begun.
    with time_machine.travel(dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC), tick=False):
        assert cycle.current_stage() == "interviews_begin"
    with time_machine.travel(dt.datetime(2026, 10, 25, 0, 1, tzinfo=NEW_YORK), tick=False):
        assert cycle.current_stage() == "offers_begin"


def test_it_lists_the_key_dates_in_order() -> None:
    cycle = RecruitingCycleFactory.build()

    key_dates = cycle.key_dates()

    assert [k.key for k in key_dates] == [
        "postings_open",
        "interviews_begin",
        "offers_begin",
        "arrangements_begin",
        "iap",
    ]
    assert (key_dates[-1].date, key_dates[-1].end) == (D(2027, 1, 6), D(2027, 1, 31))
