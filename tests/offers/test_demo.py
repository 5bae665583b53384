"""The demo offers: pending for the demo student, accepted with a confirmed arrangement,
expired; safe to load twice."""

import pytest
from django.utils import timezone

from microintern.portal.demo import seed
from offers.models import ArrangementStatus, Offer, OfferStatus

pytestmark = pytest.mark.django_db


def test_it_gives_the_demo_student_a_pending_offer_with_a_live_deadline():
    seed.run()
    offer = Offer.objects.get(student__email="student@example.edu", status=OfferStatus.PENDING)
    assert offer.deadline > timezone.now()


def test_it_seeds_an_accepted_offer_with_a_confirmed_arrangement():
    seed.run()
    offer = Offer.objects.get(status=OfferStatus.ACCEPTED, student__email="jordan@example.edu")
    assert offer.arrangement.status == ArrangementStatus.CONFIRMED


def test_it_seeds_the_international_students_accepted_offer_still_to_arrange():
    seed.run()
    offer = Offer.objects.get(student__email="intl-student@example.edu")
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.arrangement.status == ArrangementStatus.TO_ARRANGE


def test_it_seeds_an_expired_offer():
    seed.run()
    assert Offer.objects.filter(status=OfferStatus.EXPIRED).count() == 1


def test_it_is_idempotent():
    seed.run()
    before = Offer.objects.count()
    assert not any("offer" in label for label in seed.run())
    assert Offer.objects.count() == before == 4
