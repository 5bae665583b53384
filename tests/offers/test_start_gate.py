"""Authorization gates the start, end to end (issue 12, item 2): the case's start follows the
confirmed arrangement, only an authorization covering the start lets the student begin, the
start reminder never says "starts on" while it waits, and a student who accepted before saying
whether they need authorization is asked, and gets the checklist the moment they answer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from authorization import services as authorization
from authorization.models import AuthorizationCase, CaseState
from microintern.notifications.models import Notification
from offers import selectors, services
from offers.reminders import start_reminder_sweep
from tests.authorization.helpers import make_profile
from tests.offers import factories

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(iap_2027):
    return iap_2027


@pytest.fixture
def offer(posting, student):
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )


def accept_as_international(offer, student):
    make_profile(student)  # F-1, third term: CPT
    with time_machine.travel(dt.datetime(2026, 10, 26, 10, tzinfo=NY), tick=False):
        services.offer_accept(offer=offer, by=student)
    offer.refresh_from_db()
    return offer


def agree(offer, employer, student, start: dt.date) -> None:
    arrangement = offer.arrangement
    terms = services.ArrangementTerms(
        start_date=start,
        end_date=start + dt.timedelta(days=10),
        hours_per_week=10,
        work_mode="remote",
        place="Zoom",
        supervisor_name="Pat",
        supervisor_email="pat@example.com",
    )
    services.arrangement_propose(arrangement=arrangement, by=employer, terms=terms)
    services.arrangement_confirm(arrangement=arrangement, by=student)


def authorize(case: AuthorizationCase, iso_advisor, start: dt.date) -> None:
    authorization.case_mark_submitted(case=case, by=iso_advisor)
    authorization.case_record_decision(
        case=case,
        advisor=iso_advisor,
        authorized=True,
        authorized_from=start,
        authorized_until=dt.date(2027, 1, 31),
    )


def arrangement_text(client, user, offer) -> str:
    client.force_login(user)
    return client.get(reverse("offers:arrangement", args=[offer.pk])).content.decode()


def test_the_case_starts_when_the_confirmed_arrangement_does(offer, student, employer):
    offer = accept_as_international(offer, student)
    case = offer.authorization_case
    assert case.start_date == dt.date(2027, 1, 6)

    agree(offer, employer, student, dt.date(2027, 1, 19))

    case.refresh_from_db()
    assert case.start_date == dt.date(2027, 1, 19)
    assert case.forecast_checked_at is not None


def test_the_arrangement_says_cannot_start_with_the_expected_date_until_authorized(
    client, offer, student, employer, iso_advisor
):
    offer = accept_as_international(offer, student)
    agree(offer, employer, student, dt.date(2027, 1, 19))

    text = arrangement_text(client, student, offer)
    assert "Cannot start until work authorization is recorded (expected by" in text
    employer_text = arrangement_text(client, employer, offer)
    assert "Cannot start until work authorization is recorded." in employer_text
    assert "expected by" not in employer_text  # the employer learns pending, never the route

    authorize(offer.authorization_case, iso_advisor, dt.date(2027, 1, 19))
    assert "Cannot start" not in arrangement_text(client, student, offer)


def test_an_authorization_beginning_after_the_start_does_not_clear_it(
    offer, student, employer, iso_advisor
):
    offer = accept_as_international(offer, student)
    agree(offer, employer, student, dt.date(2027, 1, 11))
    authorize(offer.authorization_case, iso_advisor, dt.date(2027, 1, 14))
    case = AuthorizationCase.objects.get(pk=offer.authorization_case_id)

    readiness = selectors.start_readiness(offer, case, dt.date(2027, 1, 11))
    assert not readiness.can_start
    assert readiness.expected == dt.date(2027, 1, 14)
    assert not selectors.can_start(case)
    assert selectors.can_start(case, dt.date(2027, 1, 14))


def test_the_start_reminder_does_not_say_starts_while_authorization_waits(offer, student, employer):
    offer = accept_as_international(offer, student)
    agree(offer, employer, student, dt.date(2027, 1, 19))

    start_reminder_sweep(now=dt.datetime(2027, 1, 12, 9, tzinfo=NY))

    to_student = Notification.objects.get(recipient=student, kind="start_reminder")
    assert "is planned to start on Tuesday, Jan 19, 2027" in to_student.body_text
    assert "Cannot start until work authorization is recorded" in to_student.body_text
    assert to_student.subject.startswith("Planned to start in a week, not yet cleared")
    to_employer = Notification.objects.get(recipient=employer, kind="start_reminder")
    assert "The student cannot start until it is recorded" in to_employer.body_text
    assert "starts on" not in to_employer.body_text


def test_the_start_reminder_says_starts_once_authorized(offer, student, employer, iso_advisor):
    offer = accept_as_international(offer, student)
    agree(offer, employer, student, dt.date(2027, 1, 19))
    authorize(offer.authorization_case, iso_advisor, dt.date(2027, 1, 19))

    start_reminder_sweep(now=dt.datetime(2027, 1, 12, 9, tzinfo=NY))

    body = Notification.objects.get(recipient=student, kind="start_reminder").body_text
    assert "starts on Tuesday, Jan 19, 2027" in body and "Cannot start" not in body


def test_a_student_without_a_profile_is_asked_at_acceptance(client, offer, student):
    client.force_login(student)
    page = client.get(reverse("offers:accept", args=[offer.pk])).content.decode()
    assert "Do you need work authorization?" in page

    services.offer_accept(offer=offer, by=student)

    offer.refresh_from_db()
    assert offer.authorization_case is None
    text = arrangement_text(client, student, offer)
    assert "You cannot start until you tell us whether you need work authorization" in text


def test_the_checklist_opens_as_soon_as_an_international_student_answers(client, offer, student):
    services.offer_accept(offer=offer, by=student)

    # The student answers the profile form (through the service the form uses): F-1.
    authorization.immigration_profile_save(
        student=student,
        answers={
            "immigration_status": "f1",
            "degree_level": "undergraduate",
            "full_time_terms_completed": 3,
            "majors": "Mechanical Engineering",
            "curriculum_has_internship_subject": True,
        },
    )

    offer.refresh_from_db()
    assert offer.authorization_case is not None
    assert offer.authorization_case.state == CaseState.OPEN
    assert offer.authorization_case.items.exists()
    assert "Cannot start until work authorization is recorded" in arrangement_text(
        client, student, offer
    )


def test_a_citizen_who_answers_gets_no_case_and_may_start(client, offer, student):
    services.offer_accept(offer=offer, by=student)

    authorization.immigration_profile_save(
        student=student,
        answers={"immigration_status": "citizen", "degree_level": "undergraduate"},
    )

    offer.refresh_from_db()
    assert offer.authorization_case is None
    assert "Cannot start" not in arrangement_text(client, student, offer)


def test_a_global_posting_needs_no_answer_to_start(client, posting, student):
    posting.is_global = True
    posting.save(update_fields=["is_global"])
    offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
    services.offer_accept(offer=offer, by=student)

    assert "Cannot start" not in arrangement_text(client, student, offer)
