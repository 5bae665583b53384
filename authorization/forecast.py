"""Will the work authorization arrive before the agreed start date?

CAPD's guidance warns that OPT can take up to 120 days: an offer accepted on Oct 25 that needs
OPT lands after an IAP start on Jan 6. The portal says so before the student accepts, and
keeps saying so on the checklist. This module does the date arithmetic only. The durations
are staff-editable settings loaded elsewhere and passed in as a RouteEstimate, so this stays
pure (no database, no Django) and easy to test against a table of dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from authorization.eligibility import (
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_CONSULT_ISO,
    ROUTE_CPT,
    ROUTE_INELIGIBLE,
    ROUTE_LABELS,
    ROUTE_MISTI,
    ROUTE_NONE,
    ROUTE_PRE_COMPLETION_OPT,
    ROUTES,
)

STATUS_ON_TRACK = "on_track"
STATUS_AT_RISK = "at_risk"
STATUS_TOO_LATE = "too_late"
STATUS_NOT_APPLICABLE = "not_applicable"
STATUSES: tuple[str, ...] = (
    STATUS_ON_TRACK,
    STATUS_AT_RISK,
    STATUS_TOO_LATE,
    STATUS_NOT_APPLICABLE,
)

# Routes with nothing for the portal to time: no authorization, MISTI's own process, no
# route at all, or a route an advisor has yet to pick.
_UNTIMED_ROUTES = frozenset({ROUTE_NONE, ROUTE_MISTI, ROUTE_INELIGIBLE, ROUTE_CONSULT_ISO})

_NOT_APPLICABLE_EXPLANATIONS = {
    ROUTE_NONE: "No work authorization is needed, so there is nothing to wait for.",
    ROUTE_MISTI: "MISTI administers global micro-internships; ask MISTI about its timeline.",
    ROUTE_INELIGIBLE: "No work-authorization route is available, so there is no timeline.",
    ROUTE_CONSULT_ISO: "Your ISO advisor needs to confirm your route before we can estimate "
    "how long it takes.",
}


@dataclass(frozen=True)
class RouteEstimate:
    """How long one route takes, from the day the application can be filed."""

    route: str
    min_days: int
    max_days: int
    business_days: bool = False
    # USCIS accepts OPT applications at most this many days before the start date.
    earliest_filing_days_before_start: int | None = None
    # Calendar days the student needs before filing (e.g. a department letter for CPT).
    lead_days: int = 0

    def __post_init__(self) -> None:
        # Staff edit these numbers; a typo should fail here, not produce a cheerful forecast.
        if not 0 <= self.min_days <= self.max_days:
            raise ValueError(
                f"Need 0 <= min_days <= max_days, got {self.min_days}-{self.max_days}."
            )
        if self.lead_days < 0:
            raise ValueError(f"lead_days cannot be negative, got {self.lead_days}.")
        limit = self.earliest_filing_days_before_start
        if limit is not None and limit < 0:
            raise ValueError(f"earliest_filing_days_before_start cannot be negative, got {limit}.")


@dataclass(frozen=True)
class Forecast:
    status: str
    earliest_filing_date: date
    expected_earliest: date
    expected_latest: date
    start_date: date
    from_date: date
    explanation: str


def default_estimates() -> dict[str, RouteEstimate]:
    """The figures from CAPD's guidance and the ISO, used until staff change them."""
    return {
        ROUTE_PRE_COMPLETION_OPT: RouteEstimate(
            route=ROUTE_PRE_COMPLETION_OPT,
            min_days=90,
            max_days=120,
            earliest_filing_days_before_start=90,
        ),
        ROUTE_CPT: RouteEstimate(
            route=ROUTE_CPT, min_days=5, max_days=10, business_days=True, lead_days=5
        ),
        ROUTE_ACADEMIC_TRAINING: RouteEstimate(
            route=ROUTE_ACADEMIC_TRAINING, min_days=5, max_days=10, business_days=True
        ),
    }


def forecast(
    *,
    route: str,
    estimate: RouteEstimate,
    start_date: date,
    from_date: date,
    holidays: frozenset[date] = frozenset(),
) -> Forecast:
    """Forecast when the authorization for `route` arrives if the student starts on `from_date`."""
    if route not in ROUTES:
        raise ValueError(f"Unknown route {route!r}.")
    if route in _UNTIMED_ROUTES:
        # Dates are required fields; from_date everywhere means "nothing scheduled".
        return Forecast(
            status=STATUS_NOT_APPLICABLE,
            earliest_filing_date=from_date,
            expected_earliest=from_date,
            expected_latest=from_date,
            start_date=start_date,
            from_date=from_date,
            explanation=_NOT_APPLICABLE_EXPLANATIONS[route],
        )
    if estimate.route != route:
        # Timing CPT with the OPT figures would give a wrong answer that looks right.
        raise ValueError(f"Estimate is for {estimate.route!r}, not {route!r}.")

    ready = from_date + timedelta(days=estimate.lead_days)
    filing = ready
    limit = estimate.earliest_filing_days_before_start
    if limit is not None:
        filing = max(ready, start_date - timedelta(days=limit))

    if estimate.business_days:
        earliest = _add_business_days(filing, estimate.min_days, holidays)
        latest = _add_business_days(filing, estimate.max_days, holidays)
    else:
        earliest = filing + timedelta(days=estimate.min_days)
        latest = filing + timedelta(days=estimate.max_days)

    if latest <= start_date:
        status = STATUS_ON_TRACK
    elif earliest <= start_date:
        status = STATUS_AT_RISK
    else:
        status = STATUS_TOO_LATE

    return Forecast(
        status=status,
        earliest_filing_date=filing,
        expected_earliest=earliest,
        expected_latest=latest,
        start_date=start_date,
        from_date=from_date,
        explanation=_explain(estimate, status, from_date, filing, earliest, latest, start_date),
    )


def _add_business_days(day: date, count: int, holidays: frozenset[date]) -> date:
    """The date `count` business days after `day` (Mon-Fri, not a holiday).

    `day` itself never counts, as with offer deadlines: a filing on a Friday is not processed
    that Friday. The cycles app has a DB-backed twin that reads staff-edited holidays; this
    one takes them as an argument to stay pure.
    """
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            remaining -= 1
    return day


def _explain(
    estimate: RouteEstimate,
    status: str,
    from_date: date,
    filing: date,
    earliest: date,
    latest: date,
    start_date: date,
) -> str:
    when = f"you can file on {_fmt(filing)}"
    if filing > from_date + timedelta(days=estimate.lead_days):
        limit = estimate.earliest_filing_days_before_start
        when += f" at the earliest ({limit} days before your start date)"
    elif estimate.lead_days:
        when += f" (allowing {estimate.lead_days} days to prepare your documents)"
    arrival = (
        f"{ROUTE_LABELS[estimate.route]} should arrive between {_fmt(earliest)} and {_fmt(latest)}"
    )
    start = f"your start date of {_fmt(start_date)}"
    outcome = {
        STATUS_ON_TRACK: f"in time for {start}.",
        STATUS_AT_RISK: f"so it may not arrive by {start}; talk to your ISO advisor now.",
        STATUS_TOO_LATE: f"which is after {start}; talk to your ISO advisor and the employer "
        "about a later start before you accept.",
    }[status]
    return f"Counting from {_fmt(from_date)}, {when}, and {arrival}, {outcome}"


def _fmt(day: date) -> str:
    # "Jan 6, 2027": no zero padding, which strftime cannot do portably.
    return f"{day:%b} {day.day}, {day.year}"
