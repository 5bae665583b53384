"""The work-authorization rules, one row per rule or boundary."""

from __future__ import annotations

import ast
import dataclasses
import inspect

import pytest

from authorization import eligibility
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
    Assessment,
    StudentStatus,
    assess,
    needs_authorization,
)


def student(**overrides: object) -> StudentStatus:
    """An F-1 undergraduate past the first year whose curriculum has an internship subject."""
    answers: dict[str, object] = {
        "immigration_status": "f1",
        "degree_level": "undergraduate",
        "full_time_terms_completed": 3,
        "curriculum_has_internship_subject": True,
        "coursework_complete": False,
        "internship_is_thesis_based": False,
    }
    return StudentStatus(**{**answers, **overrides})


NO_SUBJECT = {"curriculum_has_internship_subject": False}

CASES = {
    "citizen": (student(immigration_status="citizen"), {}, ROUTE_NONE),
    "permanent resident": (student(immigration_status="permanent_resident"), {}, ROUTE_NONE),
    "citizen, first year": (
        student(immigration_status="citizen", full_time_terms_completed=0),
        {},
        ROUTE_NONE,
    ),
    "f1, 0 terms": (student(full_time_terms_completed=0), {}, ROUTE_INELIGIBLE),
    "f1, 1 term": (student(full_time_terms_completed=1), {}, ROUTE_INELIGIBLE),
    "f1, 1.5 terms": (student(full_time_terms_completed=1.5), {}, ROUTE_INELIGIBLE),
    "f1, 2 terms": (student(full_time_terms_completed=2), {}, ROUTE_CPT),
    "f1, 2.0 terms": (student(full_time_terms_completed=2.0), {}, ROUTE_CPT),
    "f1 graduate, 1 term": (
        student(degree_level="phd", full_time_terms_completed=1),
        {},
        ROUTE_INELIGIBLE,
    ),
    "j1": (student(immigration_status="j1"), {}, ROUTE_ACADEMIC_TRAINING),
    "j1, 2 terms": (
        student(immigration_status="j1", full_time_terms_completed=2),
        {},
        ROUTE_ACADEMIC_TRAINING,
    ),
    "j1, first year": (
        student(immigration_status="j1", full_time_terms_completed=1),
        {},
        ROUTE_INELIGIBLE,
    ),
    "f1 with internship subject": (student(), {}, ROUTE_CPT),
    "f1 masters with subject": (student(degree_level="masters"), {}, ROUTE_CPT),
    "f1 masters thesis-based, no subject": (
        student(degree_level="masters", internship_is_thesis_based=True, **NO_SUBJECT),
        {},
        ROUTE_CPT,
    ),
    "f1 phd coursework complete, thesis-based": (
        student(
            degree_level="phd",
            coursework_complete=True,
            internship_is_thesis_based=True,
            **NO_SUBJECT,
        ),
        {},
        ROUTE_CPT,
    ),
    "f1 masters coursework complete, not thesis-based": (
        student(degree_level="masters", coursework_complete=True),
        {},
        ROUTE_PRE_COMPLETION_OPT,
    ),
    "f1 phd coursework complete, no subject": (
        student(degree_level="phd", coursework_complete=True, **NO_SUBJECT),
        {},
        ROUTE_PRE_COMPLETION_OPT,
    ),
    "f1 undergraduate, no subject": (student(**NO_SUBJECT), {}, ROUTE_PRE_COMPLETION_OPT),
    "f1 masters, no subject": (
        student(degree_level="masters", **NO_SUBJECT),
        {},
        ROUTE_PRE_COMPLETION_OPT,
    ),
    "f1 undergraduate thesis-based, no subject": (
        student(internship_is_thesis_based=True, **NO_SUBJECT),
        {},
        ROUTE_PRE_COMPLETION_OPT,
    ),
    "f1 undergraduate, coursework complete": (
        student(coursework_complete=True),
        {},
        ROUTE_CONSULT_ISO,
    ),
    "field mismatch, would be cpt": (
        student(),
        {"field_of_study_matches": False},
        ROUTE_INELIGIBLE,
    ),
    "field mismatch, would be opt": (
        student(**NO_SUBJECT),
        {"field_of_study_matches": False},
        ROUTE_INELIGIBLE,
    ),
    "field mismatch, would be academic training": (
        student(immigration_status="j1"),
        {"field_of_study_matches": False},
        ROUTE_INELIGIBLE,
    ),
    "field mismatch, citizen": (
        student(immigration_status="citizen"),
        {"field_of_study_matches": False},
        ROUTE_NONE,
    ),
    "global, f1": (student(), {"posting_is_global": True}, ROUTE_MISTI),
    "global, j1": (student(immigration_status="j1"), {"posting_is_global": True}, ROUTE_MISTI),
    "global, f1 first year": (
        student(full_time_terms_completed=0),
        {"posting_is_global": True},
        ROUTE_MISTI,
    ),
    "global, citizen": (
        student(immigration_status="citizen"),
        {"posting_is_global": True},
        ROUTE_MISTI,
    ),
    "other status": (student(immigration_status="other"), {}, ROUTE_CONSULT_ISO),
    "unknown status string": (student(immigration_status="h4"), {}, ROUTE_CONSULT_ISO),
    "status in capitals": (student(immigration_status="F1"), {}, ROUTE_CONSULT_ISO),
    "unknown degree level": (student(degree_level="postdoc"), {}, ROUTE_CONSULT_ISO),
    "j1, unknown degree level": (
        student(immigration_status="j1", degree_level=""),
        {},
        ROUTE_CONSULT_ISO,
    ),
    "negative terms": (student(full_time_terms_completed=-1), {}, ROUTE_CONSULT_ISO),
    "terms not a number": (student(full_time_terms_completed="3"), {}, ROUTE_CONSULT_ISO),
    "terms NaN": (student(full_time_terms_completed=float("nan")), {}, ROUTE_CONSULT_ISO),
}


@pytest.mark.parametrize(("status", "context", "route"), CASES.values(), ids=CASES.keys())
def test_it_picks_the_route(status: StudentStatus, context: dict, route: str) -> None:
    assert assess(status, **context).route == route


@pytest.mark.parametrize(("status", "context", "route"), CASES.values(), ids=CASES.keys())
def test_it_explains_in_full_sentences(status: StudentStatus, context: dict, route: str) -> None:
    reasons = assess(status, **context).reasons

    assert reasons
    assert all(reason[:1].isupper() and reason.endswith(".") for reason in reasons)


@pytest.mark.parametrize(
    ("status", "context", "expected"),
    [
        (student(), {}, "3 full-time terms in the US, so the first-year restriction"),
        (student(full_time_terms_completed=2.0), {}, "completed 2 full-time terms"),
        (student(full_time_terms_completed=1.5), {}, "completed 1.5 full-time terms"),
        (student(full_time_terms_completed=1), {}, "completed 1 full-time term in the US"),
        (student(), {"field_of_study_matches": False}, "directly to your major field of study"),
        (student(**NO_SUBJECT), {}, "form I-765"),
        (student(**NO_SUBJECT), {}, "up to 120 days"),
        (student(**NO_SUBJECT), {}, "at most 90 days before your start date"),
        (
            student(degree_level="masters", coursework_complete=True),
            {},
            "CPT is generally not available",
        ),
        (
            student(internship_is_thesis_based=True, **NO_SUBJECT),
            {},
            "applies only to Master's and PhD students",
        ),
        (student(), {"posting_is_global": True}, "contact MISTI"),
        (student(immigration_status="other"), {}, "ISO advisor"),
        (student(), {}, "ISO advisor has the final word"),
    ],
    ids=[
        "terms completed",
        "whole-number float terms",
        "fractional terms",
        "one term, singular",
        "field of study",
        "opt form",
        "opt processing time",
        "opt filing window",
        "coursework complete",
        "thesis exception is for graduates",
        "misti",
        "consult iso",
        "iso final word",
    ],
)
def test_it_says_why(status: StudentStatus, context: dict, expected: str) -> None:
    assert expected in " ".join(assess(status, **context).reasons)


def test_it_leaves_fees_to_staff_settings() -> None:
    reasons = " ".join(assess(student(**NO_SUBJECT)).reasons)

    assert "$" not in reasons
    assert "USD" not in reasons


@pytest.mark.parametrize(
    ("route", "needed"),
    [
        (ROUTE_NONE, False),
        (ROUTE_CPT, True),
        (ROUTE_PRE_COMPLETION_OPT, True),
        (ROUTE_ACADEMIC_TRAINING, True),
        (ROUTE_MISTI, False),
        (ROUTE_INELIGIBLE, False),
        (ROUTE_CONSULT_ISO, True),
    ],
)
def test_it_knows_which_routes_need_authorization(route: str, needed: bool) -> None:
    assert needs_authorization(route) is needed


def test_it_labels_every_route() -> None:
    assert set(ROUTE_LABELS) == set(ROUTES)
    assert ROUTE_LABELS[ROUTE_CPT] == "Curricular Practical Training (CPT)"


@pytest.mark.parametrize(
    ("value", "field"),
    [(student(), "immigration_status"), (Assessment(route=ROUTE_CPT, reasons=[]), "route")],
    ids=["student status", "assessment"],
)
def test_it_keeps_answers_immutable(value: object, field: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, "citizen")


def test_it_does_not_import_django() -> None:
    # sys.modules is shared by the whole test session, so read the imports instead.
    tree = ast.parse(inspect.getsource(eligibility))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]

    assert not [name for name in imported if name.split(".")[0] == "django"]
