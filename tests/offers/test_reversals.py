"""A staff reversal reopens exactly what the acceptance closed, by the links the acceptance
stored; each side is told in words true for them; recording a reneging case tells nobody."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import ApplicationStatus
from microintern.notifications.models import Notification
from offers import services
from offers.models import AcceptanceClosure, AnotherOfferAccepted, OfferStatus
from postings.models import Posting
from tests.offers import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(org_b):
    return factories.PublishedPostingFactory(organization=org_b, title="Harbor dashboards")


@pytest.fixture
def third(org_b):
    return factories.PublishedPostingFactory(organization=org_b, title="Harbor forecasting")


@pytest.fixture
def situation(offer, student, elsewhere, third):
    """The student has an offer on the cast's posting, an interviewing application elsewhere
    and a second pending offer; accepting the first closes the other two."""
    open_application = factories.InterviewingApplicationFactory(posting=elsewhere, student=student)
    other_offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=third, student=student)
    )
    services.offer_accept(offer=offer, by=student)
    return offer, open_application, other_offer


def reverse_it(offer, staff, to_status=OfferStatus.DECLINED, note="The student reneged."):
    return services.offer_reverse_acceptance(offer=offer, by=staff, to_status=to_status, note=note)


def refreshed(*rows):
    for row in rows:
        row.refresh_from_db()
    return rows


# --- what the acceptance records --------------------------------------------------------------
def test_the_acceptance_records_what_it_closed_with_the_status_each_had(situation):
    offer, open_application, other_offer = situation
    closures = {
        (c.application_id, c.offer_id, c.from_status)
        for c in AcceptanceClosure.objects.filter(accepted_offer=offer)
    }
    assert closures == {
        (open_application.pk, None, ApplicationStatus.INTERVIEWING),
        (other_offer.application_id, None, ApplicationStatus.OFFERED),
        (None, other_offer.pk, OfferStatus.PENDING),
    }


# --- reopening by the links -------------------------------------------------------------------
def test_a_reversal_reopens_everything_after_every_posting_title_changed(
    situation, staff, posting, elsewhere, third
):
    offer, open_application, other_offer = situation
    Posting.objects.filter(pk__in=[posting.pk, elsewhere.pk, third.pk]).update(title="Renamed")

    reverse_it(offer, staff)

    open_application, other_offer = refreshed(open_application, other_offer)
    other_offer.application.refresh_from_db()
    assert open_application.status == ApplicationStatus.INTERVIEWING
    assert other_offer.status == OfferStatus.PENDING
    assert other_offer.application.status == ApplicationStatus.OFFERED


def test_a_reversal_marks_what_it_reopened(situation, staff):
    offer, *_ = situation
    reverse_it(offer, staff)
    assert not AcceptanceClosure.objects.open().filter(accepted_offer=offer).exists()


def test_a_second_reversal_reopens_what_the_second_acceptance_closed(situation, staff, student):
    offer, open_application, other_offer = situation
    reverse_it(offer, staff, to_status=OfferStatus.PENDING, note="Recorded by mistake.")
    services.offer_accept(offer=offer, by=student)
    open_application, other_offer = refreshed(open_application, other_offer)
    assert open_application.status == ApplicationStatus.WITHDRAWN
    assert other_offer.status == OfferStatus.DECLINED

    reverse_it(offer, staff)

    open_application, other_offer = refreshed(open_application, other_offer)
    assert open_application.status == ApplicationStatus.INTERVIEWING
    assert other_offer.status == OfferStatus.PENDING


def test_an_offer_declined_by_an_acceptance_says_another_offer_was_accepted(situation, student):
    _, _, other_offer = situation
    with pytest.raises(AnotherOfferAccepted):
        services.offer_accept(offer=other_offer, by=student)


def test_after_the_reversal_the_reopened_offer_can_be_accepted(situation, staff, student):
    offer, _, other_offer = situation
    reverse_it(offer, staff)
    services.offer_accept(offer=other_offer, by=student)
    other_offer.refresh_from_db()
    assert other_offer.status == OfferStatus.ACCEPTED


# --- acceptances from before the links (no data migration) -----------------------------------
@pytest.fixture
def legacy(situation):
    """An acceptance made before offers 0005: what it closed carries no link to it."""
    offer, open_application, other_offer = situation
    AcceptanceClosure.objects.filter(accepted_offer=offer).delete()
    return situation


def test_a_reversal_of_an_acceptance_without_links_reopens_nothing_else(legacy, staff):
    offer, open_application, other_offer = legacy

    result = reverse_it(offer, staff)

    open_application, other_offer = refreshed(open_application, other_offer)
    assert not result.reopened_anything
    assert open_application.status == ApplicationStatus.WITHDRAWN
    assert other_offer.status == OfferStatus.DECLINED
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_the_admin_says_when_a_reversal_reopened_nothing_else(client, legacy, staff):
    offer, *_ = legacy
    client.force_login(staff)
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {
            "action": "reverse_to_declined",
            "_selected_action": [offer.pk],
            "confirm": "yes",
            "note": "The student reneged.",
        },
        follow=True,
    )
    assert "nothing else reopened" in response.content.decode()


def test_the_admin_names_what_a_reversal_reopened(client, situation, staff):
    offer, *_ = situation
    client.force_login(staff)
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {
            "action": "reverse_to_declined",
            "_selected_action": [offer.pk],
            "confirm": "yes",
            "note": "The student reneged.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "the offer for “Harbor forecasting” (pending again)" in page
    assert "the application to “Harbor dashboards” (interviewing)" in page


def test_the_offer_page_in_the_admin_lists_what_the_acceptance_closed(client, situation, staff):
    offer, *_ = situation
    client.force_login(staff)
    page = client.get(reverse("admin:offers_offer_change", args=[offer.pk])).content.decode()
    assert "a reversal reopens these" in page and "Harbor dashboards" in page


# --- who is told what -------------------------------------------------------------------------
def told(user, kind="offer_acceptance_reversed") -> Notification:
    return Notification.objects.get(recipient=user, kind=kind)


def test_a_reversal_to_declined_tells_the_student_it_is_recorded_as_declined(
    situation, staff, student
):
    offer, *_ = situation
    reverse_it(offer, staff, note="The student told CAPD they reneged.")
    body = told(student).body_text
    assert "CAPD reversed your acceptance of the offer from Kendall Robotics Test" in body
    assert "recorded as declined" in body
    assert "CAPD's note: The student told CAPD they reneged." in body
    assert "withdrew its offer" not in body
    assert not Notification.objects.filter(recipient=student, kind="offer_rescinded").exists()


def test_a_reversal_to_pending_tells_the_student_the_new_deadline(situation, staff, student):
    offer, *_ = situation
    reverse_it(offer, staff, to_status=OfferStatus.PENDING, note="Recorded by mistake.")
    offer.refresh_from_db()
    body = told(student).body_text
    assert "The offer is open again" in body
    assert f"{offer.deadline:%Y}" in body and "recorded as declined" not in body


def test_the_student_is_told_what_else_is_open_again(situation, staff, student):
    offer, *_ = situation
    reverse_it(offer, staff)
    body = told(student).body_text
    assert "the offer from Harbor Analytics for “Harbor forecasting”: decide by" in body
    assert "your application to “Harbor dashboards” at Harbor Analytics (interviewing)" in body
    assert "application to “Harbor forecasting”" not in body  # named once, as its offer


def test_a_reversal_to_declined_tells_the_employer(situation, staff, employer, student):
    offer, *_ = situation
    reverse_it(offer, staff)
    notification = told(employer)
    assert f"CAPD reversed {student}'s acceptance of your offer" in notification.body_text
    assert "recorded as declined" in notification.body_text
    assert "arrangement for it is cancelled" in notification.body_text
    assert "Harbor" not in notification.body_text  # the student's other employers are private


def test_a_reversal_to_pending_tells_the_employer_the_student_may_decide_again(
    situation, staff, employer
):
    offer, *_ = situation
    reverse_it(offer, staff, to_status=OfferStatus.PENDING, note="Recorded by mistake.")
    body = told(employer).body_text
    assert "The offer is pending again" in body and "recorded as declined" not in body


def test_the_employers_whose_offer_or_applicant_reopened_are_told(situation, staff, other_employer):
    offer, *_ = situation
    reverse_it(offer, staff)
    # The reopened offer and its application: one notification, about the offer; the
    # interviewing applicant elsewhere: one of its own.
    notifications = Notification.objects.filter(
        recipient=other_employer, kind="reopened_after_reversal"
    )
    bodies = [n.body_text for n in notifications]
    assert any("your offer for “Harbor forecasting” is pending again" in b for b in bodies)
    assert any(
        "application to “Harbor dashboards” is open again (interviewing)" in b for b in bodies
    )
    assert len(bodies) == 2


def test_recording_a_reneging_case_tells_nobody(situation, staff):
    offer, *_ = situation
    before = Notification.objects.count()
    services.reneging_case_record(offer=offer, by=staff, reason_code="accepted_other")
    assert Notification.objects.count() == before
