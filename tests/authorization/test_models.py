"""Case transitions, the profile's answers as the rules read them, estimate validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from authorization.eligibility import StudentStatus
from authorization.models import (
    ALLOWED_TRANSITIONS,
    AuthorizationCase,
    CaseState,
    InvalidTransition,
    RouteEstimateSetting,
)
from tests.authorization.helpers import make_profile
from tests.factories import StudentFactory

# Sorted: the targets are sets, and pytest-xdist needs every worker to collect the same order.
ALLOWED = sorted((a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets)
REFUSED = [(a, b) for a in CaseState.values for b in CaseState.values if (a, b) not in ALLOWED]


def test_it_maps_the_workflow_open_submitted_decided() -> None:
    assert sorted(ALLOWED) == sorted(
        [
            ("open", "submitted"), ("open", "withdrawn"),
            ("submitted", "authorized"), ("submitted", "denied"), ("submitted", "withdrawn"),
            ("submitted", "open"),  # an ISO advisor confirmed the route of a consult case
        ]
    )  # fmt: skip


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_it_allows_the_mapped_transitions(before: str, after: str) -> None:
    case = AuthorizationCase(state=before)

    case.ensure_can_transition(after)  # does not raise

    assert case.can_transition(after)


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_it_refuses_every_other_transition(before: str, after: str) -> None:
    case = AuthorizationCase(state=before)

    with pytest.raises(InvalidTransition, match="cannot become"):
        case.ensure_can_transition(after)


def test_it_hands_the_rules_the_students_answers(db: None) -> None:
    profile = make_profile(
        StudentFactory(email="s@example.edu"), degree_level="masters",
        full_time_terms_completed=Decimal("2.5"), internship_is_thesis_based=True,
    )  # fmt: skip

    assert profile.to_status() == StudentStatus(
        immigration_status="f1",
        degree_level="masters",
        full_time_terms_completed=2.5,
        curriculum_has_internship_subject=True,
        coursework_complete=False,
        internship_is_thesis_based=True,
    )


@pytest.mark.parametrize("terms", [Decimal("-1"), Decimal("1.3")], ids=["negative", "not a half"])
def test_it_refuses_impossible_term_counts(db: None, terms: Decimal) -> None:
    profile = make_profile(StudentFactory(email="s@example.edu"))
    profile.full_time_terms_completed = terms

    with pytest.raises(ValidationError):
        profile.full_clean()


def test_it_splits_several_majors(db: None) -> None:
    profile = make_profile(
        StudentFactory(email="s@example.edu"), majors="Physics; Mechanical Engineering,"
    )

    assert profile.major_list() == ["Physics", "Mechanical Engineering"]


def test_it_refuses_an_estimate_whose_minimum_exceeds_its_maximum(db: None) -> None:
    setting = RouteEstimateSetting.objects.get(route="cpt")
    setting.min_days, setting.max_days = 12, 10

    with pytest.raises(ValidationError, match="min_days <= max_days"):
        setting.full_clean()


def test_it_refuses_authorization_dates_in_the_wrong_order(case: AuthorizationCase) -> None:
    from django.db import IntegrityError, transaction

    case.authorized_from, case.authorized_until = dt.date(2027, 1, 31), dt.date(2027, 1, 6)

    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_it_grants_iso_advisors_the_authorization_permissions_after_migrate(db: None) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    Group.objects.filter(name="ISO advisors").delete()

    call_command("migrate", "authorization", verbosity=0)  # no-op migrate, post_migrate runs

    group = Group.objects.get(name="ISO advisors")
    assert group.permissions.filter(codename="view_authorizationcase").exists()
