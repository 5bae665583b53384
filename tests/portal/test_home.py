"""The home page answers "what now?": a hired student sees their micro-internship, an employer
whose organization waits for CAPD's verification sees that and what comes next, in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from authorization import services as authorization_services
from microintern.accounts.models import User
from offers.models import Offer, WorkMode
from postings.models import Organization
from tests.applications import factories
from tests.offers import factories as offer_factories

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
JAN_11, JAN_29 = dt.date(2027, 1, 11), dt.date(2027, 1, 29)
NOT_NEEDED = "Nothing needs you right now"


def home(client: Client, user: User) -> str:
    """The page's text as a person reads it: no tags, one space between words."""
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def november(time_machine, iap_2027):
    """Nov 20, 2026: offers are decided, IAP 2027 (Jan 6 to 31) is ahead."""
    time_machine.move_to(dt.datetime(2026, 11, 20, 12, tzinfo=NEW_YORK), tick=False)
    return iap_2027


def hire(student: User, employer: User, cycle) -> Offer:
    posting = factories.PublishedPostingFactory(
        organization=Organization.objects.get(memberships__user=employer),
        created_by=employer,
        cycle=cycle,
        title="Sensor data cleanup",
    )
    application = factories.HiredApplicationFactory(student=student, posting=posting)
    return offer_factories.AcceptedOfferFactory(
        application=application, start_date=JAN_11, end_date=JAN_29, hours_per_week=15
    )


# --- a hired student ---------------------------------------------------------------------------
def test_a_hired_student_sees_the_offers_dates_until_the_dates_are_agreed(
    client, student, employer, november
):
    offer = hire(student, employer, november)
    offer_factories.ArrangementFactory(offer=offer)

    text = home(client, student)

    assert "Your micro-internship: Jan 11–29, 2027 at Kendall Robotics Test" in text
    assert "agree the final dates, place and supervisor in November" in text
    assert "Place Not agreed yet" in text
    assert NOT_NEEDED not in text
    assert "Nothing else needs you right now" in text


def test_a_hired_student_sees_the_agreed_place_and_supervisor(client, student, employer, november):
    offer = hire(student, employer, november)
    offer_factories.ConfirmedArrangementFactory(
        offer=offer,
        start_date=dt.date(2027, 1, 12),
        end_date=dt.date(2027, 1, 28),
        work_mode=WorkMode.ON_SITE,
        place="1 Kendall Square, Cambridge",
        supervisor_name="Pat Supervisor",
        supervisor_email="pat@example.com",
    )

    text = home(client, student)

    assert "Your micro-internship: Jan 12–28, 2027 at Kendall Robotics Test" in text
    assert "You and Kendall Robotics Test agreed these dates and details" in text
    assert "On site: 1 Kendall Square, Cambridge" in text
    assert "Pat Supervisor, pat@example.com" in text
    assert "Your work authorization" not in text  # a domestic student has no case


def test_a_hired_student_is_asked_to_confirm_the_employers_proposal(
    client, student, employer, november
):
    offer = hire(student, employer, november)
    offer_factories.ProposedArrangementFactory(offer=offer, proposed_side="employer")

    text = home(client, student)

    assert "Kendall Robotics Test proposed these dates and details: check and confirm" in text
    assert "Remote: Zoom and Slack" in text


def test_an_international_student_sees_the_work_authorization_state(
    client, intl_student, employer, november
):
    offer = hire(intl_student, employer, november)
    offer_factories.ArrangementFactory(offer=offer)
    offer.authorization_case = authorization_services.case_open_for_acceptance(
        student=intl_student, start_date=JAN_11, accepted_at=offer.decided_at
    )
    offer.save(update_fields=["authorization_case"])

    text = home(client, intl_student)

    assert "Work authorization Curricular Practical Training (CPT): Open: steps to do" in text
    assert "You may start work only once it is authorized." in text
    assert "Your work authorization" in text


def test_a_pending_offer_is_not_a_micro_internship_yet(client, student, posting):
    application = factories.OfferedApplicationFactory(student=student, posting=posting)
    offer_factories.PendingOfferFactory(application=application)

    assert "Your micro-internship" not in home(client, student)


def test_a_micro_internship_that_is_over_leaves_the_home_page(
    client, student, employer, november, time_machine
):
    hire(student, employer, november)
    time_machine.move_to(dt.datetime(2027, 2, 1, 12, tzinfo=NEW_YORK), tick=False)

    text = home(client, student)

    assert "Your micro-internship" not in text
    assert NOT_NEEDED in text


# --- a new employer ----------------------------------------------------------------------------
def test_a_new_employer_sees_that_the_organization_awaits_verification(
    client, employer, colleague, org_a
):
    org_a.verified, org_a.verified_at = False, None
    org_a.save()

    for member in (employer, colleague):
        text = home(client, member)
        assert "Kendall Robotics Test is waiting for CAPD’s verification" in text
        assert "You can already write postings and submit them to CAPD" in text
        assert NOT_NEEDED not in text


def test_a_verified_employer_sees_no_verification_notice(client, employer):
    text = home(client, employer)

    assert "waiting for CAPD’s verification" not in text
    assert NOT_NEEDED in text


def test_staff_are_pointed_to_the_administration(client, staff):
    assert "Open the administration" in home(client, staff)


def test_students_are_not_pointed_to_the_administration(client, student):
    assert "Open the administration" not in home(client, student)


# --- queries -----------------------------------------------------------------------------------
# The home page for a signed-in student:
#  1. the session  2. the user  3. unread notifications (nav)  4. the current cycle
#  5. pending offers  6. interviews to book  7. arrangements to confirm
#  8. the next checklist step (to-do list)  9. the micro-internship (offer, arrangement,
#  organization, case: one query)  10. upcoming advising appointments (with slot, adviser
#  and what each is about: one query)
STUDENT_HOME_QUERIES = 10
# For an employer: 1-4 as above; 5. their organization (the to-do list is scoped by it)
# 6. new applications  7. requests for more time  8. arrangements to settle (each bounded)
# 9. the organization (verification notice); no advising query (only students have
# appointments)
EMPLOYER_HOME_QUERIES = 9


@pytest.mark.parametrize("others", [0, 4])
def test_the_home_page_of_a_hired_student_runs_a_fixed_number_of_queries(
    client, intl_student, employer, november, django_assert_num_queries, others
):
    offer = hire(intl_student, employer, november)
    offer_factories.ProposedArrangementFactory(offer=offer, proposed_side="employer")
    for _ in range(others):  # applications elsewhere, waiting for an interview time
        factories.InterviewingApplicationFactory(
            student=intl_student,
            posting=factories.PublishedPostingFactory(organization=offer.organization),
        )
    client.force_login(intl_student)

    with django_assert_num_queries(STUDENT_HOME_QUERIES):
        response = client.get(reverse("home"))

    assert "Your micro-internship" in response.content.decode()


@pytest.mark.parametrize("applications", [0, 4])
def test_the_home_page_of_a_new_employer_runs_a_fixed_number_of_queries(
    client, employer, org_a, posting, django_assert_num_queries, applications
):
    org_a.verified, org_a.verified_at = False, None
    org_a.save()
    factories.SubmittedApplicationFactory.create_batch(applications, posting=posting)
    client.force_login(employer)

    with django_assert_num_queries(EMPLOYER_HOME_QUERIES):
        response = client.get(reverse("home"))

    assert "waiting for CAPD’s verification" in response.content.decode()
