"""Forecasts with the staff's estimates and the holiday table, and guidance for postings."""

from __future__ import annotations

import datetime as dt

import pytest

from authorization import selectors
from authorization.forecast import STATUS_ON_TRACK, STATUS_TOO_LATE
from authorization.models import AuthorizationCase, CaseState, RouteEstimateSetting
from authorization.selectors import (
    employer_view_status,
    estimates,
    field_of_study_matches,
    forecast_for,
    guidance_for_posting,
)
from tests.authorization.helpers import make_profile
from tests.factories import StudentFactory

OFFERS_DAY = dt.date(2026, 10, 25)
IAP_START = dt.date(2027, 1, 6)

# profile answers, filing, expected earliest, expected latest, status. The holiday table
# (migration cycles 0002) holds Veterans Day, Wed Nov 11, 2026: it pushes CPT's latest
# arrival from Fri Nov 13 (the pure forecast without holidays) to Mon Nov 16.
TABLE = {
    "opt": (
        {"curriculum_has_internship_subject": False},
        OFFERS_DAY, dt.date(2027, 1, 23), dt.date(2027, 2, 22), STATUS_TOO_LATE,
    ),
    "cpt": (
        {}, dt.date(2026, 10, 30), dt.date(2026, 11, 6), dt.date(2026, 11, 16), STATUS_ON_TRACK,
    ),
    "at": (
        {"immigration_status": "j1"},
        OFFERS_DAY, dt.date(2026, 10, 30), dt.date(2026, 11, 6), STATUS_ON_TRACK,
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "filing", "earliest", "latest", "status"), TABLE.values(), ids=TABLE.keys()
)
def test_it_forecasts_an_offers_day_acceptance_for_an_iap_start(
    db: None, answers: dict, filing: dt.date, earliest: dt.date, latest: dt.date, status: str
) -> None:
    user = StudentFactory(email="s@example.edu")
    make_profile(user, **answers)

    result = forecast_for(user, start_date=IAP_START, from_date=OFFERS_DAY)

    assert (result.earliest_filing_date, result.expected_earliest, result.expected_latest) == (
        filing,
        earliest,
        latest,
    )
    assert result.status == status


def test_it_forecasts_with_the_estimates_staff_edited(db: None) -> None:
    RouteEstimateSetting.objects.filter(route="pre_completion_opt").update(min_days=30, max_days=60)
    user = StudentFactory(email="s@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)

    result = forecast_for(user, start_date=IAP_START, from_date=OFFERS_DAY)

    assert (result.expected_latest, result.status) == (dt.date(2026, 12, 24), STATUS_ON_TRACK)


def test_it_has_no_forecast_without_a_profile(db: None) -> None:
    assert forecast_for(StudentFactory(email="s@example.edu"), start_date=IAP_START) is None


def test_it_has_no_forecast_for_an_employer(employer) -> None:
    assert forecast_for(employer, start_date=IAP_START) is None


def test_it_seeds_the_estimates_with_the_current_uscis_fees(db: None) -> None:
    opt = RouteEstimateSetting.objects.get(route="pre_completion_opt")

    assert (opt.min_days, opt.max_days, opt.earliest_filing_days_before_start) == (90, 120, 90)
    assert (opt.fee_online_usd, opt.fee_paper_usd) == (470, 520)
    assert "410" in opt._meta.get_field("fee_online_usd").help_text


def test_it_reads_every_timed_route_from_the_table(db: None) -> None:
    assert set(estimates()) == {"cpt", "pre_completion_opt", "academic_training"}


@pytest.mark.parametrize(
    ("majors", "posting_fields", "matches"),
    [
        ("Mechanical Engineering", ["Mechanical Engineering"], True),
        ("mechanical engineering", ["MECHANICAL ENGINEERING"], True),
        ("Mechanical Engineering", ["Engineering"], True),
        ("Computer Science", ["Electrical Engineering & Computer Science"], True),
        ("Math", ["Mathematics"], True),
        ("Physics, Mechanical Engineering", ["Robotics", "Mechanical Engineering"], True),
        ("Computer Science", ["Political Science"], False),
        ("Mechanical Engineering", ["Marketing", "Finance"], False),
        ("Mechanical Engineering", [], True),
        ("", ["Marketing"], True),
        ("Mechanical Engineering", ["Any field"], True),
    ],
    ids=[
        "same", "case", "broader posting field", "part of a joint major", "abbreviation",
        "one of several", "shared word only", "clear mismatch", "posting names none",
        "student names none", "open to any field",
    ],
)  # fmt: skip
def test_it_matches_fields_of_study(
    db: None, majors: str, posting_fields: list, matches: bool
) -> None:
    profile = make_profile(StudentFactory(email="s@example.edu"), majors=majors)

    assert field_of_study_matches(profile, posting_fields) is matches


def test_it_guides_a_student_on_a_matching_posting(intl_student) -> None:
    guidance = guidance_for_posting(
        intl_student, posting_fields=["Mechanical Engineering"], posting_is_global=False
    )

    assert guidance.route == "cpt"


def test_it_keeps_the_route_on_a_posting_outside_their_major(intl_student) -> None:
    # The page warns about the field instead (test_first_year.py checks the warning): a name
    # comparison is not enough to call the student ineligible.
    guidance = guidance_for_posting(
        intl_student, posting_fields=["Marketing"], posting_is_global=False
    )

    assert guidance.route == "cpt"
    assert not field_of_study_matches(intl_student.immigration_profile, ["Marketing"])


def test_it_sends_global_postings_to_misti(intl_student) -> None:
    guidance = guidance_for_posting(intl_student, posting_fields=[], posting_is_global=True)

    assert guidance.route == "misti"


@pytest.mark.parametrize("who", ["employer", "staff", "iso_advisor"])
def test_it_gives_no_guidance_to_non_students(who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)

    assert guidance_for_posting(user, posting_fields=[], posting_is_global=False) is None


def test_it_gives_no_guidance_without_a_profile(db: None) -> None:
    user = StudentFactory(email="s@example.edu")

    assert guidance_for_posting(user, posting_fields=[], posting_is_global=False) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"state": CaseState.OPEN}, "pending"),
        ({"state": CaseState.SUBMITTED}, "pending"),
        ({"state": CaseState.OPEN, "at_risk": True}, "at_risk"),
        ({"state": CaseState.AUTHORIZED, "authorized_from": IAP_START}, "confirmed"),
        ({"state": CaseState.AUTHORIZED, "authorized_from": dt.date(2027, 1, 8)}, "at_risk"),
        ({"state": CaseState.DENIED}, "at_risk"),
        ({"state": CaseState.WITHDRAWN}, "at_risk"),
    ],
    ids=["open", "submitted", "at risk", "authorized", "authorized late", "denied", "withdrawn"],
)
def test_it_tells_employers_only_three_words(fields: dict, expected: str) -> None:
    case = AuthorizationCase(route="cpt", start_date=IAP_START, **fields)

    assert employer_view_status(case) == expected


def test_it_compares_every_route_in_the_table(db: None) -> None:
    rows = selectors.forecast_table(
        start_date=IAP_START, from_date=OFFERS_DAY, students_route="cpt"
    )

    assert [(r.route, r.is_students_route) for r in rows] == [
        ("pre_completion_opt", False), ("cpt", True), ("academic_training", False),
    ]  # fmt: skip
    assert rows[0].fee_online_usd == 470
