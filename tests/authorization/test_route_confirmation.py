"""An ISO advisor settles the route of a "talk to your ISO advisor" case."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from authorization import services
from authorization.models import AuthorizationCase, CaseState
from microintern.notifications.models import Notification
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StudentFactory

CASES_URL = reverse("admin:authorization_authorizationcase_changelist")


@pytest.fixture
def consult_case(db: None) -> AuthorizationCase:
    user = StudentFactory(email="unclear@example.edu")
    make_profile(user, immigration_status="other")
    case = open_case(user)
    assert case.route == "consult_iso"
    return case


def keys(case: AuthorizationCase) -> list[str]:
    return list(case.items.order_by("position").values_list("key", flat=True))


def test_after_the_meeting_the_cpt_steps_follow_and_the_case_is_open_again(
    consult_case: AuthorizationCase, iso_advisor
) -> None:
    meeting = consult_case.items.get()
    services.checklist_item_mark_done(item=meeting, student=consult_case.student)
    consult_case.refresh_from_db()
    assert consult_case.state == CaseState.SUBMITTED

    services.case_confirm_route(case=consult_case, advisor=iso_advisor, route="cpt", note="F-1.")

    consult_case.refresh_from_db()
    assert (consult_case.route, consult_case.state) == ("cpt", CaseState.OPEN)
    assert keys(consult_case) == [
        "meet_iso", "confirm_subject", "support_letter", "submit_request", "receive_i20",
    ]  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.verified_by == iso_advisor
    change = consult_case.history.order_by("changed_at", "pk").last()
    assert (change.from_state, change.to_state) == (CaseState.SUBMITTED, CaseState.OPEN)
    assert change.note == "Route confirmed: Curricular Practical Training (CPT). F-1."
    told = Notification.objects.get(
        recipient=consult_case.student, kind="authorization_route_confirmed"
    )
    assert "Get the CPT support letter from your department" in told.body_text
    assert consult_case.forecast_status != "not_applicable"


def test_before_the_student_ticks_the_meeting_it_still_works_and_keeps_the_case_open(
    consult_case: AuthorizationCase, iso_advisor
) -> None:
    services.case_confirm_route(case=consult_case, advisor=iso_advisor, route="academic_training")

    consult_case.refresh_from_db()
    assert (consult_case.route, consult_case.state) == ("academic_training", CaseState.OPEN)
    assert keys(consult_case) == ["meet_iso", "request_at_letter", "receive_at"]


def test_it_refuses_a_case_whose_route_is_already_known(case: AuthorizationCase, iso_advisor):
    with pytest.raises(ValidationError, match="already follows"):
        services.case_confirm_route(case=case, advisor=iso_advisor, route="pre_completion_opt")
    case.refresh_from_db()
    assert case.route == "cpt"
    assert case.items.count() == 4


@pytest.mark.parametrize("route", ["consult_iso", "misti", "none", "nonsense"])
def test_it_refuses_a_route_without_a_checklist(
    consult_case: AuthorizationCase, iso_advisor, route: str
) -> None:
    with pytest.raises(ValidationError, match="Choose CPT"):
        services.case_confirm_route(case=consult_case, advisor=iso_advisor, route=route)
    assert keys(consult_case) == ["meet_iso"]


def test_only_an_iso_advisor_confirms_a_route(consult_case: AuthorizationCase) -> None:
    with pytest.raises(PermissionDenied):
        services.case_confirm_route(case=consult_case, advisor=consult_case.student, route="cpt")
    consult_case.refresh_from_db()
    assert consult_case.route == "consult_iso"


def test_a_withdrawn_case_keeps_its_route(consult_case: AuthorizationCase, iso_advisor) -> None:
    services.case_withdraw(case=consult_case, by=consult_case.student)
    with pytest.raises(ValidationError, match="closed"):
        services.case_confirm_route(case=consult_case, advisor=iso_advisor, route="cpt")


def test_the_admin_asks_which_route_then_confirms_it(
    client: Client, consult_case: AuthorizationCase, iso_advisor
) -> None:
    client.force_login(iso_advisor)
    chosen = {"action": "confirm_route", ACTION_CHECKBOX_NAME: [consult_case.pk]}

    asked = client.post(CASES_URL, chosen)
    assert asked.status_code == 200
    assert "Pre-completion Optional Practical Training (OPT)" in asked.content.decode()
    consult_case.refresh_from_db()
    assert consult_case.route == "consult_iso"

    done = client.post(CASES_URL, {**chosen, "confirm": "yes", "route": "cpt", "note": ""})
    assert done.status_code == 302
    consult_case.refresh_from_db()
    assert consult_case.route == "cpt"


def test_the_admin_reports_a_case_that_cannot_change_and_changes_nothing(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    client.force_login(iso_advisor)
    response = client.post(
        CASES_URL,
        {"action": "confirm_route", ACTION_CHECKBOX_NAME: [case.pk], "confirm": "yes",
         "route": "academic_training"},
        follow=True,
    )  # fmt: skip
    assert "already follows" in response.content.decode()
    case.refresh_from_db()
    assert case.route == "cpt"


def test_the_students_page_shows_the_confirmed_route_and_its_steps(
    client: Client, consult_case: AuthorizationCase, iso_advisor
) -> None:
    client.force_login(consult_case.student)
    before = client.get(reverse("authorization:mine")).content.decode()
    assert "Talk to your ISO advisor" in before

    services.case_confirm_route(case=consult_case, advisor=iso_advisor, route="cpt")

    after = client.get(reverse("authorization:mine")).content.decode()
    assert "Your ISO advisor confirmed Curricular Practical Training (CPT)" in after
    assert "Get the CPT support letter from your department" in after
