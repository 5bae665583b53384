"""'Needs your attention' on the home page: one line per thing to do, with its page and its
deadline, for students and employers, from what each may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from microintern.portal.attention import to_do_for
from tests.applications import factories
from tests.offers import factories as offer_factories

pytestmark = pytest.mark.django_db


def texts(user) -> list[str]:
    return [item.text for item in to_do_for(user)]


def test_a_student_is_asked_to_decide_on_a_pending_offer_before_its_deadline(student, posting):
    application = factories.OfferedApplicationFactory(student=student, posting=posting)
    offer = offer_factories.PendingOfferFactory(application=application)

    (item,) = to_do_for(student)

    assert item.text == "Decide on the offer from Kendall Robotics Test"
    assert item.url == reverse("offers:detail", args=[offer.pk])
    assert item.due == offer.deadline
    assert item.due_label.endswith(("EST", "EDT"))


def test_a_lapsed_offer_is_not_a_thing_to_do(student, posting):
    application = factories.OfferedApplicationFactory(student=student, posting=posting)
    offer_factories.PendingOfferFactory(
        application=application, deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assert texts(student) == []


def test_a_student_chooses_an_interview_time_until_one_is_booked(student, posting):
    application = factories.InterviewingApplicationFactory(student=student, posting=posting)
    assert texts(student) == ["Choose an interview time for “Sensor data cleanup”"]

    factories.InterviewFactory(application=application)
    assert texts(student) == []


def test_each_side_confirms_only_the_other_sides_proposal(student, employer, posting):
    application = factories.HiredApplicationFactory(student=student, posting=posting)
    offer = offer_factories.AcceptedOfferFactory(application=application)
    arrangement = offer_factories.ArrangementFactory(offer=offer)
    assert texts(employer) == [
        "Propose the dates and details of “Sensor data cleanup” to Maya Chen"
    ]
    assert texts(student) == []

    arrangement.status, arrangement.proposed_side = "proposed", "employer"
    arrangement.save()
    assert texts(student) == ["Check and confirm the dates for “Sensor data cleanup”"]
    assert texts(employer) == []

    arrangement.proposed_side = "student"
    arrangement.save()
    assert texts(employer) == ["Confirm the dates Maya Chen proposed for “Sensor data cleanup”"]
    assert texts(student) == []

    arrangement.status = "confirmed"
    arrangement.save()
    assert texts(employer) == texts(student) == []


def test_an_employer_sees_new_applications_of_their_own_postings_only(
    employer, other_employer, posting
):
    factories.SubmittedApplicationFactory.create_batch(2, posting=posting)
    factories.UnderReviewApplicationFactory(posting=posting)

    assert texts(employer) == ["2 new applications to review for “Sensor data cleanup”"]
    assert texts(other_employer) == []


def test_an_employer_answers_a_request_for_more_time(employer, student, posting):
    application = factories.OfferedApplicationFactory(student=student, posting=posting)
    offer = offer_factories.PendingOfferFactory(application=application)
    offer_factories.ExtensionRequestFactory(offer=offer, requested_by=student)

    assert "Maya Chen asked for more time to decide on your offer" in texts(employer)


def test_staff_and_visitors_have_no_list(staff, client: Client) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert to_do_for(staff) == to_do_for(AnonymousUser()) == []
    assert "Needs your attention" not in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_the_list(client: Client, student, posting) -> None:
    factories.InterviewingApplicationFactory(student=student, posting=posting)
    client.force_login(student)

    text = client.get(reverse("home")).content.decode()

    assert "Needs your attention" in text
    assert "Choose an interview time for “Sensor data cleanup”" in text


def test_its_query_count_does_not_grow_with_the_list(student, employer, posting) -> None:
    def queries(user) -> int:
        with CaptureQueriesContext(connection) as captured:
            to_do_for(user)
        return len(captured)

    factories.InterviewingApplicationFactory(student=student, posting=posting)
    few = queries(student), queries(employer)
    for _ in range(5):
        another = factories.PublishedPostingFactory(organization=posting.organization)
        application = factories.OfferedApplicationFactory(student=student, posting=another)
        offer_factories.PendingOfferFactory(application=application)
        factories.InterviewingApplicationFactory(
            student=student,
            posting=factories.PublishedPostingFactory(organization=posting.organization),
        )
        factories.SubmittedApplicationFactory(posting=another)
    assert (queries(student), queries(employer)) == few
