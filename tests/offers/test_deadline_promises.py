"""The promised decision window is kept: no extension once the deadline passed, an extension
adds days to the current deadline, and a holiday added later never shortens a pending window
(DOMAIN.md, Offers)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from microintern.cycles import business_days
from microintern.cycles.models import Holiday
from microintern.notifications.models import Notification
from offers import services
from offers.models import OfferError, OfferStatus
from tests.offers import factories

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def eastern_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(NY).date()


@pytest.fixture
def extension_request(offer, student):
    return services.extension_request(offer=offer, by=student, reason="Another interview", days=1)


def test_no_time_is_granted_once_the_deadline_passed(offer, employer, extension_request):
    after = offer.deadline + dt.timedelta(minutes=1)  # the expiry sweep has not run yet

    with pytest.raises(OfferError, match="deadline has passed"):
        services.extension_answer(request=extension_request, by=employer, days_granted=1, now=after)

    offer.refresh_from_db()
    assert offer.decision_days_total == 5
    services.offers_expire_due(now=after)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED  # the expired offer was not revived


def test_an_extension_adds_business_days_to_the_current_deadline(
    offer, employer, extension_request
):
    before = eastern_day(offer.deadline)

    services.extension_answer(request=extension_request, by=employer, days_granted=1)

    offer.refresh_from_db()
    assert eastern_day(offer.deadline) == business_days.add_business_days(before, 1)
    assert offer.deadline.astimezone(NY).time() == dt.time(23, 59, 59)


def add_holiday_as_staff(client: Client, staff, day: dt.date):
    client.force_login(staff)
    return client.post(
        reverse("admin:cycles_holiday_add"), {"date": day.isoformat(), "name": "Snow day"}
    )


def a_business_day_inside(offer) -> dt.date:
    return business_days.add_business_days(eastern_day(offer.extended_at), 2)


def test_a_holiday_added_inside_a_pending_window_moves_its_deadline_later(
    client: Client, offer, staff
):
    before = eastern_day(offer.deadline)

    response = add_holiday_as_staff(client, staff, a_business_day_inside(offer))

    assert response.status_code == 302
    offer.refresh_from_db()
    assert eastern_day(offer.deadline) == business_days.add_business_days(before, 1)
    assert (
        business_days.business_days_between(
            eastern_day(offer.extended_at), eastern_day(offer.deadline)
        )
        == 5
    )
    assert "The holiday calendar changed" in offer.status_changes.last().note


def test_both_sides_are_told_when_a_deadline_moves(client: Client, offer, staff, employer):
    add_holiday_as_staff(client, staff, a_business_day_inside(offer))

    told = Notification.objects.filter(kind="offer_deadline_moved")
    assert set(told.values_list("recipient", flat=True)) == {offer.student_id, employer.pk}
    assert "moved later" in told.get(recipient=offer.student).body_text


def test_an_extension_after_a_holiday_adds_exactly_its_days(
    client: Client, offer, staff, employer, student
):
    add_holiday_as_staff(client, staff, a_business_day_inside(offer))
    offer.refresh_from_db()
    moved = eastern_day(offer.deadline)
    request = services.extension_request(offer=offer, by=student, reason="Exams", days=1)

    services.extension_answer(request=request, by=employer, days_granted=1)

    offer.refresh_from_db()
    assert eastern_day(offer.deadline) == business_days.add_business_days(moved, 1)


def test_removing_a_holiday_never_moves_a_deadline_earlier(client: Client, offer, staff):
    day = a_business_day_inside(offer)
    add_holiday_as_staff(client, staff, day)
    offer.refresh_from_db()
    moved = offer.deadline
    holiday = Holiday.objects.get(date=day)

    client.post(reverse("admin:cycles_holiday_delete", args=[holiday.pk]), {"post": "yes"})

    assert not Holiday.objects.filter(date=day).exists()
    offer.refresh_from_db()
    assert offer.deadline == moved


def test_a_holiday_outside_every_window_changes_nothing(client: Client, offer, staff):
    before = offer.deadline

    add_holiday_as_staff(client, staff, eastern_day(offer.deadline) + dt.timedelta(days=30))

    offer.refresh_from_db()
    assert offer.deadline == before
    assert not Notification.objects.filter(kind="offer_deadline_moved").exists()


def test_decided_offers_keep_their_record(client: Client, staff):
    declined = factories.DeclinedOfferFactory(decided_at=timezone.now())
    before = declined.deadline

    add_holiday_as_staff(client, staff, a_business_day_inside(declined))

    declined.refresh_from_db()
    assert declined.deadline == before
