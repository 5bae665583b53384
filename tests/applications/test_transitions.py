"""The transition map, checked by the model's guard and by the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from applications import services
from applications.models import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    ApplicationStatus,
    ApplicationStatusChange,
    InvalidTransition,
)
from microintern.notifications.models import Notification
from tests.applications import factories

S = ApplicationStatus
ALL = list(S)
EXPECTED = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.NOT_SELECTED, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.INTERVIEWING, S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.INTERVIEWING: {S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.OFFERED: {S.HIRED, S.NOT_SELECTED, S.WITHDRAWN},
    S.HIRED: set(),
    S.NOT_SELECTED: set(),
    S.WITHDRAWN: set(),
}


def test_it_states_the_map_of_the_contract():
    assert {k: set(v) for k, v in ALLOWED_TRANSITIONS.items()} == EXPECTED


def test_it_has_three_final_states():
    assert {S.HIRED, S.NOT_SELECTED, S.WITHDRAWN} == FINAL_STATUSES


def test_it_never_lets_an_offer_go_back_to_interviewing():
    assert S.INTERVIEWING not in ALLOWED_TRANSITIONS[S.OFFERED]


@pytest.mark.parametrize("from_status", ALL)
@pytest.mark.parametrize("to_status", ALL)
def test_it_guards_every_pair_of_states(db, from_status, to_status):
    application = factories.ApplicationFactory.build(status=from_status)
    if to_status in EXPECTED[from_status]:
        application.ensure_can_transition(to_status)
    else:
        with pytest.raises(InvalidTransition):
            application.ensure_can_transition(to_status)


def _perform(to_status, application, employer, student):
    if to_status == S.UNDER_REVIEW or to_status == S.INTERVIEWING:
        services.application_move(applications=application, by=employer, to_status=to_status)
    elif to_status == S.OFFERED:
        services.application_mark_offered(application=application, by=employer)
    elif to_status == S.HIRED:
        services.application_mark_hired(application=application, by=student)
    elif to_status == S.NOT_SELECTED:
        services.application_reject(applications=application, by=employer, message="Thanks!")
    elif to_status == S.WITHDRAWN:
        services.application_withdraw(application=application, by=student, reason="Other plans")
    else:
        pytest.skip("submitted is only the starting state")


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(f, t) for f in ALL for t in ALL if t in EXPECTED[f]],
)
def test_it_performs_each_allowed_transition_and_writes_history(
    posting, student, employer, from_status, to_status
):
    application = factories.FACTORY_BY_STATUS[from_status](posting=posting, student=student)
    _perform(to_status, application, employer, student)
    application.refresh_from_db()
    assert application.status == to_status
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.at is not None and change.by is not None


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (f, t)
        for f in ALL
        for t in ALL
        if t not in EXPECTED[f]
        and t != S.SUBMITTED
        # The service takes a new applicant to interviewing through review (two allowed
        # steps); the guard itself refuses the direct jump (test above).
        and (f, t) != (S.SUBMITTED, S.INTERVIEWING)
    ],
)
def test_it_refuses_each_forbidden_transition_and_changes_nothing(
    posting, student, employer, from_status, to_status
):
    application = factories.FACTORY_BY_STATUS[from_status](posting=posting, student=student)
    with pytest.raises(services.ApplicationError):
        _perform(to_status, application, employer, student)
    application.refresh_from_db()
    assert application.status == from_status
    assert not ApplicationStatusChange.objects.filter(application=application).exists()


def test_it_tells_the_student_when_the_employer_moves_the_application(application, employer):
    services.application_move(applications=application, by=employer)
    notification = Notification.objects.get(recipient=application.student)
    assert notification.kind == "application_status_changed"
    assert "Under review" in notification.body_text


def test_it_keeps_the_not_selected_message_for_the_student(application, employer):
    services.application_reject(applications=application, by=employer, message="We chose others.")
    change = ApplicationStatusChange.objects.get(application=application)
    assert change.message_to_student == "We chose others."
    assert "We chose others." in Notification.objects.get(recipient=application.student).body_text


def test_it_moves_many_applicants_each_to_its_next_stage(posting, employer):
    first = factories.SubmittedApplicationFactory(posting=posting)
    second = factories.UnderReviewApplicationFactory(posting=posting)
    services.application_move(applications=[first, second], by=employer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.UNDER_REVIEW, S.INTERVIEWING)


def test_it_moves_none_when_one_of_many_cannot_move(posting, employer):
    ok = factories.SubmittedApplicationFactory(posting=posting)
    final = factories.WithdrawnApplicationFactory(posting=posting)
    with pytest.raises(services.ApplicationError):
        services.application_move(applications=[ok, final], by=employer)
    ok.refresh_from_db()
    assert ok.status == S.SUBMITTED


def test_it_rejects_many_at_once(posting, employer):
    rows = factories.SubmittedApplicationFactory.create_batch(3, posting=posting)
    services.application_reject(applications=rows, by=employer, message="")
    assert {r.status for r in posting.applications.all()} == {S.NOT_SELECTED}


def test_it_refuses_a_move_by_another_organization(application, other_employer):
    with pytest.raises(PermissionDenied):
        services.application_move(applications=application, by=other_employer)


def test_it_refuses_a_withdrawal_by_another_student(application, other_student):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=other_student)


def test_it_does_not_offer_through_a_move(application, employer):
    with pytest.raises(services.ApplicationError):
        services.application_move(applications=application, by=employer, to_status=S.OFFERED)


def test_it_records_a_final_decision_time(application, employer):
    services.application_reject(applications=application, by=employer)
    application.refresh_from_db()
    assert application.decided_at is not None


def test_it_passes_through_review_when_inviting_a_new_applicant_to_interview(application, employer):
    services.application_move(applications=application, by=employer, to_status=S.INTERVIEWING)
    application.refresh_from_db()
    assert application.status == S.INTERVIEWING
    steps = list(application.status_changes.values_list("from_status", "to_status"))
    assert steps == [(S.SUBMITTED, S.UNDER_REVIEW), (S.UNDER_REVIEW, S.INTERVIEWING)]
    assert Notification.objects.filter(recipient=application.student).count() == 1


# --- staff reopenings (offers' acceptance reversal) -------------------------------------------
def test_staff_reopen_a_hired_application_as_offered_with_history(staff):
    application = factories.HiredApplicationFactory()
    services.application_staff_reopen(
        application=application, to_status="offered", by=staff, message="Reversed."
    )
    application.refresh_from_db()
    assert (application.status, application.decided_at) == ("offered", None)
    last = application.status_changes.order_by("at", "pk").last()
    assert (last.from_status, last.to_status, last.by) == ("hired", "offered", staff)


@pytest.mark.parametrize(
    ("start", "target"), [("not_selected", "submitted"), ("hired", "submitted")]
)
def test_staff_cannot_reopen_outside_the_listed_changes(staff, start, target):
    application = factories.ApplicationFactory(status=start)
    with pytest.raises(InvalidTransition):
        services.application_staff_reopen(
            application=application, to_status=target, by=staff, message=""
        )
    application.refresh_from_db()
    assert application.status == start


def test_only_staff_reopen(employer):
    application = factories.HiredApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.application_staff_reopen(
            application=application, to_status="offered", by=employer, message=""
        )
    application.refresh_from_db()
    assert application.status == "hired"
