"""Declining, rescinding and the expiry sweep."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import ApplicationStatus
from microintern.notifications.models import Notification
from offers import services
from offers.models import DeadlinePassed, Offer, OfferStatus


def test_it_declines_with_a_reason_and_withdraws_the_application(offer, student, employer):
    services.offer_decline(offer=offer, by=student, reason="I chose a research project.")
    offer.refresh_from_db()
    offer.application.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.decline_reason == "I chose a research project."
    assert offer.application.status == ApplicationStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=employer, kind="offer_declined").exists()


def test_it_refuses_a_decline_after_the_deadline_and_the_sweep_then_expires_it(offer, student):
    late = offer.deadline + dt.timedelta(seconds=1)
    with pytest.raises(DeadlinePassed, match="can no longer be declined"):
        services.offer_decline(offer=offer, by=student, now=late)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING
    services.offers_expire_due(now=late)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED


def test_it_refuses_a_decline_by_the_employer(offer, employer):
    with pytest.raises(PermissionDenied):
        services.offer_decline(offer=offer, by=employer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_it_rescinds_with_a_reason_and_tells_the_student(offer, employer, student):
    services.offer_rescind(offer=offer, by=employer, reason="The project was cancelled.")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.RESCINDED
    assert Notification.objects.filter(recipient=student, kind="offer_rescinded").count() == 1


def test_it_refuses_a_rescind_without_a_reason(offer, employer):
    with pytest.raises(ValidationError):
        services.offer_rescind(offer=offer, by=employer, reason=" ")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_it_refuses_a_rescind_by_another_organization(offer, other_employer):
    with pytest.raises(PermissionDenied):
        services.offer_rescind(offer=offer, by=other_employer, reason="No.")


def test_the_sweep_expires_a_pending_offer_past_its_deadline(offer):
    assert services.offers_expire_due(now=offer.deadline + dt.timedelta(minutes=1)) == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert offer.status_changes.last().to_status == OfferStatus.EXPIRED


def test_the_sweep_closes_the_application_as_the_portal_not_as_the_student(offer):
    services.offers_expire_due(now=offer.deadline + dt.timedelta(minutes=1))
    offer.application.refresh_from_db()
    assert offer.application.status == ApplicationStatus.WITHDRAWN
    change = offer.application.status_changes.order_by("at", "pk").last()
    assert (change.to_status, change.by) == (ApplicationStatus.WITHDRAWN, None)
    assert change.message_to_student == "The decision deadline passed without a decision."


def test_the_sweep_tells_both_sides(offer, student, employer):
    services.offers_expire_due(now=offer.deadline + dt.timedelta(minutes=1))
    assert Notification.objects.filter(kind="offer_expired", recipient=student).count() == 1
    assert Notification.objects.filter(kind="offer_expired", recipient=employer).count() == 1


def test_the_sweep_leaves_an_offer_before_its_deadline(offer):
    assert services.offers_expire_due(now=offer.deadline - dt.timedelta(minutes=1)) == 0
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING


def test_a_second_sweep_changes_nothing(offer):
    later = offer.deadline + dt.timedelta(minutes=1)
    services.offers_expire_due(now=later)
    assert services.offers_expire_due(now=later) == 0
    assert Notification.objects.filter(kind="offer_expired").count() == 2
