"""One accepted offer closes the cycle for its student: no new application, offer or
interview in that cycle until staff reverse the acceptance (DOMAIN.md, Offers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.acceptance import CycleClosedByAcceptance
from applications.models import Application, ApplicationStatus, InterviewError
from offers import services
from offers.models import OfferError, OfferStatus
from offers.services import OfferTerms
from tests.applications.factories import SlotFactory, pdf_upload
from tests.offers import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(offer, student):
    return services.offer_accept(offer=offer, by=student)


@pytest.fixture
def another_posting(cycle):
    return factories.PublishedPostingFactory(title="Museum archive tagging")


def apply(posting, student):
    return application_services.application_submit(
        posting=posting,
        student=student,
        resume=pdf_upload(),
        cover_letter_text="Dear team, I would like to help.",
    )


def test_after_accepting_a_student_cannot_apply_in_the_cycle(accepted, another_posting, student):
    with pytest.raises(CycleClosedByAcceptance, match="You accepted the offer for"):
        apply(another_posting, student)

    assert not Application.objects.filter(posting=another_posting).exists()


def test_the_apply_page_says_why_and_offers_no_form(
    client: Client, accepted, another_posting, student
):
    client.force_login(student)

    page = client.get(reverse("applications:apply", args=[another_posting.pk]))

    assert page.status_code == 403
    assert "You accepted the offer for" in page.content.decode()
    assert b'type="file"' not in page.content


def test_the_posting_page_says_why_before_the_student_tries(
    client: Client, accepted, another_posting, student
):
    client.force_login(student)

    page = client.get(reverse("postings:detail", args=[another_posting.pk])).content.decode()

    assert "You accepted the offer for" in page
    assert reverse("applications:apply", args=[another_posting.pk]) not in page


def test_an_employer_cannot_extend_an_offer_to_a_student_who_accepted(accepted, student):
    # An application that escaped the withdrawal (made before the rule existed, say).
    elsewhere = factories.InterviewingApplicationFactory(student=student)
    employer = factories.EmployerFactory(membership=None)
    factories.MembershipFactory(organization=elsewhere.posting.organization, user=employer)
    start = elsewhere.posting.cycle.iap_start
    terms = OfferTerms(
        pay_hourly=Decimal("20.00"),
        start_date=start,
        end_date=start + dt.timedelta(days=10),
        hours_per_week=20,
        decision_days=5,
        message="",
    )

    with pytest.raises(OfferError, match="accepted another offer in this recruiting cycle"):
        services.offer_extend(application=elsewhere, by=employer, terms=terms)

    assert not elsewhere.offers.exists()


def test_an_interview_cannot_be_booked_after_accepting(accepted, student):
    withdrawn = factories.InterviewingApplicationFactory(student=student)
    withdrawn.status = ApplicationStatus.WITHDRAWN  # what acceptance did to it
    withdrawn.save(update_fields=["status"])
    slot = SlotFactory(
        posting=withdrawn.posting,
        offered_to=[withdrawn],
        start=timezone.now() + dt.timedelta(days=3),
    )

    with pytest.raises(InterviewError, match="You accepted the offer for"):
        application_services.interview_book(application=withdrawn, slot=slot, by=student)


def test_a_staff_reversal_opens_the_cycle_again(accepted, another_posting, student, staff):
    services.offer_reverse_acceptance(
        offer=accepted, by=staff, to_status=OfferStatus.DECLINED, note="Recorded by mistake."
    )

    application = apply(another_posting, student)

    assert application.status == ApplicationStatus.SUBMITTED
