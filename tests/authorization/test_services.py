"""Opening cases at acceptance, the checklist, decisions and the at-risk flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from authorization import services
from authorization.models import (
    AuthorizationCase,
    CaseState,
    CaseStatusChange,
    InvalidTransition,
)
from microintern.notifications.models import Notification
from tests.authorization.helpers import ACCEPTED_AT, IAP_START, make_profile, open_case
from tests.factories import StudentFactory


def test_it_opens_a_cpt_case_with_the_cpt_checklist(case: AuthorizationCase) -> None:
    assert (case.route, case.state, case.start_date) == ("cpt", CaseState.OPEN, IAP_START)
    assert [item.key for item in case.items.all()] == [
        "confirm_subject", "support_letter", "submit_request", "receive_i20",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "route", "keys"),
    [
        (
            {"curriculum_has_internship_subject": False},
            "pre_completion_opt",
            ["iso_recommendation", "receive_i20", "file_i765", "receipt_notice", "ead"],
        ),
        ({"immigration_status": "j1"}, "academic_training", ["request_at_letter", "receive_at"]),
        ({"immigration_status": "other"}, "consult_iso", ["meet_iso"]),
    ],
    ids=["opt", "academic training", "consult iso"],
)
def test_it_gives_each_route_its_checklist(db: None, answers: dict, route: str, keys: list) -> None:
    user = StudentFactory(email="x@example.edu")
    make_profile(user, **answers)

    case = open_case(user)

    assert case.route == route
    assert [item.key for item in case.items.all()] == keys


def test_it_counts_due_dates_back_from_the_start(case: AuthorizationCase) -> None:
    due = {item.key: item.due_date for item in case.items.all()}

    assert due["confirm_subject"] == IAP_START - dt.timedelta(days=35)
    assert due["receive_i20"] == IAP_START - dt.timedelta(days=3)


def test_it_never_sets_a_due_date_before_the_case_opened(db: None) -> None:
    user = StudentFactory(email="late@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)  # OPT: 100 days back

    case = open_case(user)

    assert min(item.due_date for item in case.items.all()) == dt.date(2026, 10, 25)


def test_each_call_opens_its_own_case(case: AuthorizationCase, intl_student) -> None:
    """Once per acceptance is the caller's to keep (tests/offers/test_accept.py: an offer is
    accepted once, under its row lock, and holds the one case it opened)."""
    again = services.case_open_for_acceptance(
        student=intl_student, start_date=IAP_START, accepted_at=ACCEPTED_AT
    )

    assert again != case
    assert AuthorizationCase.objects.count() == 2


@pytest.mark.parametrize("status", ["citizen", "permanent_resident"])
def test_it_opens_nothing_for_citizens_and_permanent_residents(db: None, status: str) -> None:
    user = StudentFactory(email="c@example.edu")
    make_profile(user, immigration_status=status)

    result = services.case_open_for_acceptance(
        student=user, start_date=IAP_START, accepted_at=ACCEPTED_AT
    )

    assert result is None
    assert not AuthorizationCase.objects.exists()


def test_it_opens_nothing_without_an_immigration_profile(db: None) -> None:
    user = StudentFactory(email="noprofile@example.edu")

    assert (
        services.case_open_for_acceptance(
            student=user, start_date=IAP_START, accepted_at=ACCEPTED_AT
        )
        is None
    )


def test_it_opens_nothing_for_a_global_posting(intl_student) -> None:
    assert services.case_open_for_acceptance(
        student=intl_student, start_date=IAP_START, accepted_at=ACCEPTED_AT,
        posting_is_global=True,
    ) is None  # fmt: skip


def test_it_notifies_the_student_and_every_iso_advisor(
    case: AuthorizationCase, iso_advisor
) -> None:
    opened = Notification.objects.filter(kind="authorization_case_opened")

    assert set(opened.values_list("recipient__email", flat=True)) == {
        "arjun@example.edu", "irene@example.edu",
    }  # fmt: skip
    assert "Confirm the internship subject" in opened.get(recipient=case.student).body_text


def test_it_starts_the_history_at_open(case: AuthorizationCase) -> None:
    assert list(case.history.values_list("from_state", "to_state")) == [("", "open")]


def test_it_flags_an_opt_case_opened_on_offers_day_at_risk(db: None, iso_advisor) -> None:
    user = StudentFactory(email="opt@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)

    case = open_case(user)

    assert (case.forecast_status, case.at_risk) == ("too_late", True)
    assert Notification.objects.filter(kind="authorization_at_risk").count() == 2


def test_it_keeps_a_cpt_case_on_track(case: AuthorizationCase) -> None:
    assert (case.forecast_status, case.at_risk) == ("on_track", False)


def test_it_moves_the_case_to_submitted_when_the_submitting_step_is_done(
    case: AuthorizationCase, intl_student
) -> None:
    item = case.items.get(key="submit_request")

    services.checklist_item_mark_done(item=item, student=intl_student)

    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.history.last().note == f"Done: {item.title}"


def test_it_refuses_ticking_another_students_step(case: AuthorizationCase, other_student) -> None:
    with pytest.raises(PermissionDenied):
        services.checklist_item_mark_done(item=case.items.first(), student=other_student)


def test_it_lets_the_student_untick_an_unverified_step(
    case: AuthorizationCase, intl_student
) -> None:
    item = case.items.first()
    services.checklist_item_mark_done(item=item, student=intl_student)

    services.checklist_item_mark_done(item=item, student=intl_student, done=False)

    item.refresh_from_db()
    assert item.done_at is None


def test_it_keeps_a_verified_step_done(case: AuthorizationCase, intl_student, iso_advisor) -> None:
    item = case.items.first()
    services.checklist_item_verify(item=item, advisor=iso_advisor)

    with pytest.raises(ValidationError):
        services.checklist_item_mark_done(item=item, student=intl_student, done=False)


def test_it_lets_an_iso_advisor_verify(case: AuthorizationCase, iso_advisor) -> None:
    item = services.checklist_item_verify(item=case.items.first(), advisor=iso_advisor)

    assert (item.verified_by, item.done_at is not None) == (iso_advisor, True)
    assert Notification.objects.filter(
        kind="authorization_item_verified", recipient=case.student
    ).exists()


@pytest.mark.parametrize("who", ["staff", "superuser", "intl_student"])
def test_it_refuses_verification_by_anyone_but_an_iso_advisor(
    case: AuthorizationCase, who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        services.checklist_item_verify(
            item=case.items.first(), advisor=request.getfixturevalue(who)
        )


def _submitted(case: AuthorizationCase, iso_advisor) -> AuthorizationCase:
    return services.case_mark_submitted(case=case, by=iso_advisor)


def test_it_records_an_authorization(case: AuthorizationCase, iso_advisor) -> None:
    _submitted(case, iso_advisor)

    services.case_record_decision(
        case=case, advisor=iso_advisor, authorized=True,
        authorized_from=dt.date(2027, 1, 6), authorized_until=dt.date(2027, 1, 31), note="CPT ok",
    )  # fmt: skip

    case.refresh_from_db()
    assert (case.state, case.authorized_from, case.decision_note) == (
        CaseState.AUTHORIZED, dt.date(2027, 1, 6), "CPT ok",
    )  # fmt: skip
    assert Notification.objects.filter(kind="authorization_decided").count() == 1
    assert list(case.history.values_list("to_state", flat=True)) == [
        "open",
        "submitted",
        "authorized",
    ]


def test_it_needs_dates_for_an_authorization(case: AuthorizationCase, iso_advisor) -> None:
    _submitted(case, iso_advisor)

    with pytest.raises(ValidationError):
        services.case_record_decision(case=case, advisor=iso_advisor, authorized=True)


def test_it_refuses_a_decision_on_a_case_not_yet_submitted(
    case: AuthorizationCase, iso_advisor
) -> None:
    with pytest.raises(InvalidTransition):
        services.case_record_decision(case=case, advisor=iso_advisor, authorized=False)

    assert CaseStatusChange.objects.filter(case=case).count() == 1


def test_it_records_a_denial(case: AuthorizationCase, iso_advisor) -> None:
    _submitted(case, iso_advisor)

    services.case_record_decision(case=case, advisor=iso_advisor, authorized=False, note="No")

    case.refresh_from_db()
    assert (case.state, case.authorized_from) == (CaseState.DENIED, None)


def test_it_lets_the_student_withdraw(case: AuthorizationCase, intl_student) -> None:
    services.case_withdraw(case=case, by=intl_student)

    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN


def test_it_refuses_a_withdrawal_by_another_student(case: AuthorizationCase, other_student) -> None:
    with pytest.raises(PermissionDenied):
        services.case_withdraw(case=case, by=other_student)


def test_it_freezes_the_checklist_of_a_closed_case(case: AuthorizationCase, intl_student) -> None:
    services.case_withdraw(case=case, by=intl_student)

    with pytest.raises(ValidationError):
        services.checklist_item_mark_done(item=case.items.first(), student=intl_student)


def test_it_flags_a_case_that_time_has_pushed_out_of_reach(case: AuthorizationCase) -> None:
    # Nothing filed by Jan 2: CPT needs 5 days plus 5-10 business days.
    became = services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 2))

    case.refresh_from_db()
    assert (became, case.at_risk, case.forecast_status) == (1, True, "too_late")


def test_a_quiet_day_stamps_each_case_checked_without_changing_it(
    case: AuthorizationCase, time_machine
) -> None:
    services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 2))
    case.refresh_from_db()
    flagged_at = case.forecast_checked_at

    time_machine.move_to(flagged_at + dt.timedelta(days=1), tick=False)
    became = services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 3))

    case.refresh_from_db()
    assert (became, case.at_risk, case.forecast_status) == (0, True, "too_late")
    assert case.forecast_checked_at == flagged_at + dt.timedelta(days=1)


def test_it_saves_the_students_own_profile(db: None) -> None:
    user = StudentFactory(email="new@example.edu")

    profile = services.immigration_profile_save(
        student=user,
        answers={"immigration_status": "j1", "degree_level": "phd", "full_time_terms_completed": 2,
                 "majors": "Physics"},
    )  # fmt: skip

    assert profile.to_status().immigration_status == "j1"


def test_it_refuses_a_profile_for_a_non_student(employer) -> None:
    with pytest.raises(PermissionDenied):
        services.immigration_profile_save(student=employer, answers={})


def test_it_schedules_the_daily_forecast_check(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="authorization.refresh_forecasts")

    assert (task.crontab.hour, task.enabled) == ("6", True)


def test_it_notifies_an_at_risk_case_only_once(case: AuthorizationCase) -> None:
    services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 2))
    services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 3))

    assert (
        Notification.objects.filter(kind="authorization_at_risk", recipient=case.student).count()
        == 1
    )


def test_it_keeps_the_submitting_step_done_once_submitted(
    case: AuthorizationCase, intl_student
) -> None:
    item = case.items.get(key="submit_request")
    services.checklist_item_mark_done(item=item, student=intl_student)

    with pytest.raises(ValidationError, match="counts as submitted"):
        services.checklist_item_mark_done(item=item, student=intl_student, done=False)


def test_it_refuses_marking_form_i765_filed_before_the_90_day_window(
    db: None, iso_advisor, time_machine
) -> None:
    user = StudentFactory(email="opt-early@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)
    case = open_case(user)
    opens = IAP_START - dt.timedelta(days=90)
    time_machine.move_to(dt.datetime.combine(opens - dt.timedelta(days=38), dt.time(12)))
    item = case.items.get(key="file_i765")

    with pytest.raises(ValidationError, match=f"can file from {opens:%b} {opens.day}"):
        services.checklist_item_mark_done(item=item, student=user)

    item.refresh_from_db()
    case.refresh_from_db()
    assert (item.done_at, case.state) == (None, CaseState.OPEN)


def test_it_accepts_form_i765_filed_inside_the_window(db: None, iso_advisor, time_machine) -> None:
    user = StudentFactory(email="opt-ontime@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)
    case = open_case(user)
    time_machine.move_to(dt.datetime.combine(IAP_START - dt.timedelta(days=89), dt.time(12)))

    services.checklist_item_mark_done(item=case.items.get(key="file_i765"), student=user)

    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_it_tells_the_iso_advisors_when_a_request_is_submitted(
    case: AuthorizationCase, intl_student, iso_advisor
) -> None:
    services.checklist_item_mark_done(
        item=case.items.get(key="submit_request"), student=intl_student
    )

    told = Notification.objects.filter(kind="authorization_case_submitted")
    assert list(told.values_list("recipient", flat=True)) == [iso_advisor.pk]
    assert intl_student.get_full_name() in told.get().subject
