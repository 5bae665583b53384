"""Staff's "expire now" acts on the offers they selected that are past their deadline, after
a confirmation; an offer not selected, or not yet due, is left alone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offers.models import OfferStatus
from tests.offers import factories

pytestmark = pytest.mark.django_db

URL = "admin:offers_offer_changelist"


@pytest.fixture
def offers():
    past = timezone.now() - dt.timedelta(hours=2)
    return {
        "due": factories.PendingOfferFactory(deadline=past),
        "due_not_selected": factories.PendingOfferFactory(deadline=past),
        "not_due": factories.PendingOfferFactory(deadline=timezone.now() + dt.timedelta(days=2)),
    }


def expire(client, selected, **extra):
    return client.post(
        reverse(URL),
        {"action": "expire_due_now", "_selected_action": [o.pk for o in selected], **extra},
        follow=True,
    )


def status(offer) -> str:
    offer.refresh_from_db()
    return offer.status


def test_it_asks_first_and_changes_nothing_until_confirmed(client, staff, offers) -> None:
    client.force_login(staff)

    page = expire(client, [offers["due"]])

    assert "confirm" in page.content.decode()
    assert status(offers["due"]) == OfferStatus.PENDING


def test_it_expires_only_the_selected_offers_past_their_deadline(client, staff, offers) -> None:
    client.force_login(staff)

    page = expire(client, [offers["due"], offers["not_due"]], confirm="yes")

    assert "1 offer(s) done" in page.content.decode()
    assert status(offers["due"]) == OfferStatus.EXPIRED
    assert status(offers["not_due"]) == OfferStatus.PENDING
    assert status(offers["due_not_selected"]) == OfferStatus.PENDING


def test_a_selection_with_nothing_due_says_so(client, staff, offers) -> None:
    client.force_login(staff)

    page = expire(client, [offers["not_due"]], confirm="yes")

    assert "nothing expired" in page.content.decode()
    assert status(offers["not_due"]) == OfferStatus.PENDING
