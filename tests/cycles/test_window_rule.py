"""The January window rule, owned by the cycle (postings, offers and arrangements use it)."""

from __future__ import annotations

import datetime as dt

from microintern.cycles.models import RecruitingCycle

CYCLE = RecruitingCycle(**RecruitingCycle.defaults_for_iap_year(2027))
JAN_6, JAN_31 = dt.date(2027, 1, 6), dt.date(2027, 1, 31)


def test_it_accepts_dates_inside_iap() -> None:
    assert CYCLE.window_errors(JAN_6, JAN_31) == {}


def test_it_names_the_window_for_a_start_before_iap() -> None:
    errors = CYCLE.window_errors(dt.date(2027, 1, 5), JAN_31)
    assert errors == {
        "start_date": ["Choose a start date inside IAP (the IAP window is Jan 6 to Jan 31, 2027)."]
    }


def test_it_refuses_an_end_after_iap_on_the_given_field_with_the_note() -> None:
    errors = CYCLE.window_errors(
        JAN_6, dt.date(2027, 2, 1), fields=("iap_start", "iap_end"), note="Ask CAPD."
    )
    assert list(errors) == ["iap_end"]
    assert errors["iap_end"][0].endswith("2027). Ask CAPD.")


def test_it_refuses_an_end_before_the_start() -> None:
    assert CYCLE.window_errors(dt.date(2027, 1, 20), dt.date(2027, 1, 10))["end_date"] == [
        "The end date comes before the start date: choose a later end date."
    ]


def test_outside_iap_allowed_still_keeps_the_order() -> None:
    late = dt.date(2027, 2, 10)
    assert CYCLE.window_errors(late, dt.date(2027, 2, 20), inside_iap=False) == {}
    assert "end_date" in CYCLE.window_errors(late, dt.date(2027, 2, 1), inside_iap=False)
