"""Forecasts of when work authorization arrives, checked against dates worked out by hand."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from datetime import date

import pytest

from authorization import forecast as forecast_module
from authorization.eligibility import (
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_CONSULT_ISO,
    ROUTE_CPT,
    ROUTE_INELIGIBLE,
    ROUTE_MISTI,
    ROUTE_NONE,
    ROUTE_PRE_COMPLETION_OPT,
)
from authorization.forecast import (
    STATUS_AT_RISK,
    STATUS_NOT_APPLICABLE,
    STATUS_ON_TRACK,
    STATUS_TOO_LATE,
    Forecast,
    RouteEstimate,
    default_estimates,
    forecast,
)

OFFERS_DAY = date(2026, 10, 25)  # a Sunday, the default day employers extend offers
IAP_START = date(2027, 1, 6)
DEFAULTS = default_estimates()
OPT, CPT, AT = ROUTE_PRE_COMPLETION_OPT, ROUTE_CPT, ROUTE_ACADEMIC_TRAINING


def forecast_default(route: str, *, from_date: date = OFFERS_DAY, **kwargs: object) -> Forecast:
    return forecast(
        route=route,
        estimate=DEFAULTS[route],
        start_date=kwargs.pop("start_date", IAP_START),
        from_date=from_date,
        **kwargs,
    )


# route, accepted on, filing, expected earliest, expected latest, status
DEFAULT_TABLE = {
    # Filing window opens Jan 6 - 90 days = Oct 8, already open; Oct 25 + 90/120 days.
    "opt accepted on offers day": (
        OPT, OFFERS_DAY, OFFERS_DAY, date(2027, 1, 23), date(2027, 2, 22), STATUS_TOO_LATE,
    ),
    # 5 days for the department letter (Fri Oct 30), then 5-10 business days.
    "cpt accepted on offers day": (
        CPT, OFFERS_DAY, date(2026, 10, 30), date(2026, 11, 6), date(2026, 11, 13),
        STATUS_ON_TRACK,
    ),
    # Filed on Sunday Oct 25; Mon Oct 26 is the first business day.
    "at accepted on offers day": (
        AT, OFFERS_DAY, OFFERS_DAY, date(2026, 10, 30), date(2026, 11, 6), STATUS_ON_TRACK,
    ),
    # Accepted early, but USCIS takes it no sooner than Oct 8: arrives Jan 6 .. Feb 5.
    "opt accepted in august": (
        OPT, date(2026, 8, 1), date(2026, 10, 8), date(2027, 1, 6), date(2027, 2, 5),
        STATUS_AT_RISK,
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("route", "accepted", "filing", "earliest", "latest", "status"),
    DEFAULT_TABLE.values(),
    ids=DEFAULT_TABLE.keys(),
)
def test_it_forecasts_with_the_default_estimates(
    route: str, accepted: date, filing: date, earliest: date, latest: date, status: str
) -> None:
    result = forecast_default(route, from_date=accepted)

    assert (result.earliest_filing_date, result.expected_earliest, result.expected_latest) == (
        filing,
        earliest,
        latest,
    )
    assert result.status == status


@pytest.mark.parametrize(
    ("start_date", "status"),
    [
        (date(2026, 11, 6), STATUS_AT_RISK),  # arrives exactly on the earliest day
        (date(2026, 11, 5), STATUS_TOO_LATE),
        (date(2026, 11, 12), STATUS_AT_RISK),
        (date(2026, 11, 13), STATUS_ON_TRACK),  # arrives by the start date at the latest
    ],
    ids=["start on earliest", "start before earliest", "start before latest", "start on latest"],
)
def test_it_draws_status_boundaries_at_the_start_date(start_date: date, status: str) -> None:
    assert forecast_default(CPT, start_date=start_date).status == status


# Thanksgiving week 2026: Thu Nov 26 and Fri Nov 27 are institute holidays.
THANKSGIVING = frozenset({date(2026, 11, 26), date(2026, 11, 27)})


@pytest.mark.parametrize(
    ("holidays", "earliest", "latest"),
    [
        # Tue Nov 24 + 2 business days = Thu Nov 26; + 4 = Mon Nov 30.
        (frozenset(), date(2026, 11, 26), date(2026, 11, 30)),
        # Skipping the holidays: Wed Nov 25, Mon Nov 30 | Tue Dec 1, Wed Dec 2.
        (THANKSGIVING, date(2026, 11, 30), date(2026, 12, 2)),
    ],
    ids=["no holidays", "thanksgiving"],
)
def test_it_counts_business_days_around_holidays(
    holidays: frozenset[date], earliest: date, latest: date
) -> None:
    estimate = RouteEstimate(route=AT, min_days=2, max_days=4, business_days=True)

    result = forecast(
        route=AT,
        estimate=estimate,
        start_date=date(2026, 12, 1),
        from_date=date(2026, 11, 24),
        holidays=holidays,
    )

    assert (result.expected_earliest, result.expected_latest) == (earliest, latest)


def test_it_flags_a_start_the_holidays_push_out_of_reach() -> None:
    estimate = RouteEstimate(route=AT, min_days=2, max_days=4, business_days=True)

    result = forecast(
        route=AT,
        estimate=estimate,
        start_date=date(2026, 11, 27),
        from_date=date(2026, 11, 24),
        holidays=THANKSGIVING,
    )

    assert result.status == STATUS_TOO_LATE


@pytest.mark.parametrize("route", [ROUTE_NONE, ROUTE_MISTI, ROUTE_INELIGIBLE, ROUTE_CONSULT_ISO])
def test_it_does_not_time_routes_without_an_application(route: str) -> None:
    result = forecast(
        route=route, estimate=DEFAULTS[OPT], start_date=IAP_START, from_date=OFFERS_DAY
    )

    assert result.status == STATUS_NOT_APPLICABLE
    assert result.explanation.endswith(".")


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (OPT, "you can file on Oct 25, 2026"),
        (OPT, "arrive between Jan 23, 2027 and Feb 22, 2027"),
        (OPT, "after your start date of Jan 6, 2027"),
        (CPT, "in time for your start date of Jan 6, 2027."),
    ],
    ids=["filing date", "arrival window", "too late", "on track"],
)
def test_it_explains_with_the_dates_used(route: str, expected: str) -> None:
    assert expected in forecast_default(route).explanation


def test_it_explains_the_filing_window() -> None:
    result = forecast_default(OPT, from_date=date(2026, 8, 1))

    assert "Oct 8, 2026 at the earliest (90 days before your start date)" in result.explanation


def test_it_refuses_an_estimate_for_another_route() -> None:
    with pytest.raises(ValueError, match="not 'cpt'"):
        forecast(route=CPT, estimate=DEFAULTS[OPT], start_date=IAP_START, from_date=OFFERS_DAY)


def test_it_refuses_an_unknown_route() -> None:
    with pytest.raises(ValueError, match="Unknown route"):
        forecast(route="h1b", estimate=DEFAULTS[OPT], start_date=IAP_START, from_date=OFFERS_DAY)


@pytest.mark.parametrize(
    "fields",
    [
        {"min_days": 10, "max_days": 5},
        {"min_days": -1, "max_days": 5},
        {"min_days": 1, "max_days": 5, "lead_days": -1},
        {"min_days": 1, "max_days": 5, "earliest_filing_days_before_start": -1},
    ],
    ids=["min above max", "negative min", "negative lead", "negative filing limit"],
)
def test_it_rejects_impossible_estimates(fields: dict) -> None:
    with pytest.raises(ValueError):
        RouteEstimate(route=CPT, **fields)


def test_it_gives_defaults_for_every_timed_route() -> None:
    assert {route: estimate.route for route, estimate in DEFAULTS.items()} == {
        OPT: OPT,
        CPT: CPT,
        AT: AT,
    }


def test_it_keeps_forecasts_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        forecast_default(OPT).status = STATUS_ON_TRACK  # type: ignore[misc]


def test_it_does_not_import_django() -> None:
    # sys.modules is shared by the whole test session, so read the imports instead.
    tree = ast.parse(inspect.getsource(forecast_module))
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]

    assert not [name for name in imported if name.split(".")[0] == "django"]
