"""The forecast never contradicts the verdict: the routes shown are those `assess` leaves
open, and each missing route comes with its reason (issue 12; DOMAIN.md rules 1-8)."""

from __future__ import annotations

import pytest

from authorization.eligibility import StudentStatus, assess, routes_open


def status(
    immigration: str, degree: str = "undergraduate", terms: int = 3, **answers
) -> StudentStatus:
    return StudentStatus(
        immigration_status=immigration,
        degree_level=degree,
        full_time_terms_completed=terms,
        curriculum_has_internship_subject=answers.get("subject", False),
        coursework_complete=answers.get("coursework_complete", False),
        internship_is_thesis_based=answers.get("thesis_based", False),
    )


CASES = {
    "first-year F-1": (status("f1", terms=1, subject=True), False, ()),
    "F-1 with a curriculum subject": (status("f1", subject=True), False, ("cpt",)),
    "F-1 without one": (status("f1"), False, ("pre_completion_opt",)),
    "Master's, thesis only": (
        status("f1", "masters", 4, coursework_complete=True),
        False,
        ("pre_completion_opt",),
    ),
    "PhD, thesis-based internship": (
        status("f1", "phd", 4, coursework_complete=True, thesis_based=True),
        False,
        ("cpt",),
    ),
    "J-1": (status("j1", "masters"), False, ("academic_training",)),
    "F-1 on a global posting": (status("f1", subject=True), True, ()),
    "citizen": (status("citizen"), False, ()),
    "permanent resident": (status("permanent_resident"), False, ()),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_it_shows_only_the_routes_the_verdict_leaves_open(case: str) -> None:
    student, is_global, expected = CASES[case]

    routes = routes_open(student, assess(student, posting_is_global=is_global))

    assert routes.shown == expected
    assert set(routes.shown) | set(routes.missing) == {
        "cpt",
        "pre_completion_opt",
        "academic_training",
    }
    assert all(reason for reason in routes.missing.values())


def test_a_first_year_student_is_told_why_no_route_is_open() -> None:
    student = status("f1", terms=1, subject=True)

    routes = routes_open(student, assess(student))

    assert all("not eligible" in reason for reason in routes.missing.values())


def test_an_f1_student_is_never_offered_academic_training() -> None:
    for student in (status("f1"), status("f1", subject=True)):
        routes = routes_open(student, assess(student))
        assert routes.missing["academic_training"] == "Academic Training is for J-1 students."


def test_an_opt_student_is_told_why_cpt_is_not_open() -> None:
    student = status("f1")

    routes = routes_open(student, assess(student))

    assert "CPT is not available to you" in routes.missing["cpt"]


def test_a_global_posting_goes_through_misti() -> None:
    student = status("j1")

    routes = routes_open(student, assess(student, posting_is_global=True))

    assert routes.shown == ()
    assert "MISTI" in routes.missing["academic_training"]
