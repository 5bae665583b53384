"""Accepting: one transaction that closes everything else in the cycle."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import ApplicationStatus
from authorization.models import AuthorizationCase
from microintern.notifications.models import Notification
from offers import services
from offers.models import (
    AnotherOfferAccepted,
    Arrangement,
    DeadlinePassed,
    InvalidTransition,
    Offer,
    OfferError,
    OfferStatus,
)
from tests.authorization.helpers import make_profile
from tests.offers import factories


def test_it_marks_the_offer_accepted(offer, student):
    services.offer_accept(offer=offer, by=student)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.decided_at is not None


def test_it_moves_the_application_to_hired(offer, student):
    services.offer_accept(offer=offer, by=student)
    offer.application.refresh_from_db()
    assert offer.application.status == ApplicationStatus.HIRED


def test_it_withdraws_the_other_open_applications_of_the_cycle(offer, student):
    other = factories.UnderReviewApplicationFactory(student=student)
    services.offer_accept(offer=offer, by=student)
    other.refresh_from_db()
    assert other.status == ApplicationStatus.WITHDRAWN
    assert "accepted another offer" in other.status_changes.last().message_to_student


def test_it_declines_the_other_pending_offers_and_tells_their_employers(offer, student):
    other_employer = factories.EmployerFactory(membership=None)
    other_offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(student=student)
    )
    factories.MembershipFactory(
        organization=other_offer.application.posting.organization, user=other_employer
    )
    services.offer_accept(offer=offer, by=student)
    other_offer.refresh_from_db()
    assert other_offer.status == OfferStatus.DECLINED
    assert other_offer.status_changes.last().note.startswith("The student accepted another offer")
    assert Notification.objects.filter(recipient=other_employer, kind="offer_declined").count() == 1


def test_it_opens_the_arrangement_with_the_offers_dates(offer, student):
    services.offer_accept(offer=offer, by=student)
    arrangement = Arrangement.objects.get(offer=offer)
    assert (arrangement.status, arrangement.start_date) == ("to_arrange", offer.start_date)


def test_it_tells_the_employer(offer, student, employer):
    services.offer_accept(offer=offer, by=student)
    assert Notification.objects.filter(recipient=employer, kind="offer_accepted").count() == 1


def test_it_opens_the_authorization_case_for_an_international_student(offer, student):
    make_profile(student)
    services.offer_accept(offer=offer, by=student)
    assert AuthorizationCase.objects.filter(student=student, accepted_offer=offer).count() == 1


def test_an_offer_is_accepted_once_and_holds_the_one_case_it_opened(offer, student):
    from tests.authorization.helpers import make_profile

    make_profile(student)
    services.offer_accept(offer=offer, by=student)
    with pytest.raises(OfferError):  # already accepted: refused by the map
        services.offer_accept(offer=offer, by=student)
    offer.refresh_from_db()
    assert list(AuthorizationCase.objects.filter(student=student)) == [offer.authorization_case]
    assert offer.authorization_case.items.exists()


def test_it_opens_no_case_for_a_citizen(offer, student):
    services.offer_accept(offer=offer, by=student)
    assert not AuthorizationCase.objects.exists()


def test_it_refuses_anyone_but_the_student(offer, employer):
    with pytest.raises(PermissionDenied):
        services.offer_accept(offer=offer, by=employer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_it_refuses_after_the_deadline_even_before_the_sweep(offer, student):
    with pytest.raises(DeadlinePassed, match="deadline has passed"):
        services.offer_accept(offer=offer, by=student, now=offer.deadline + dt.timedelta(seconds=1))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert not Arrangement.objects.exists()


def test_it_refuses_a_second_click_with_a_clear_message(offer, student):
    services.offer_accept(offer=offer, by=student)
    with pytest.raises(InvalidTransition, match="already accepted"):
        services.offer_accept(offer=offer, by=student)
    assert offer.status_changes.filter(to_status="accepted").count() == 1


def test_it_refuses_an_offer_declined_by_another_acceptance(offer, student):
    other_offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(student=student)
    )
    services.offer_accept(offer=offer, by=student)
    with pytest.raises(AnotherOfferAccepted, match="already accepted another offer"):
        services.offer_accept(offer=other_offer, by=student)


def test_the_database_allows_one_accepted_offer_per_student_and_cycle(offer, student):
    services.offer_accept(offer=offer, by=student)
    second = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(student=student)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=second.pk).update(status=OfferStatus.ACCEPTED)


def test_it_changes_nothing_when_a_refusal_happens(offer, student):
    other = factories.UnderReviewApplicationFactory(student=student)
    with pytest.raises(DeadlinePassed):
        services.offer_accept(offer=offer, by=student, now=timezone.now() + dt.timedelta(days=30))
    other.refresh_from_db()
    assert other.status == ApplicationStatus.UNDER_REVIEW
    assert Decimal(offer.pay_hourly) == Decimal("20.00")
