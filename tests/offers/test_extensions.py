"""More time to decide: asked before the deadline, granted or refused by the employer, never
more than 7 business days in all."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from microintern.notifications.models import Notification
from offers import services
from offers.models import ExtensionStatus, OfferError
from tests.offers import factories

NY = ZoneInfo("America/New_York")
EXTENDED_AT = dt.datetime(2026, 10, 26, 10, 0, tzinfo=NY)  # a Monday


@pytest.fixture
def offer(posting, student):
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student),
        extended_at=EXTENDED_AT,
    )


ANSWERED_AT = EXTENDED_AT + dt.timedelta(days=2)  # before the deadline


def ask(offer, student, days=2):
    return services.extension_request(
        offer=offer,
        by=student,
        reason="A second interview on Friday.",
        days=days,
        now=EXTENDED_AT + dt.timedelta(days=1),
    )


def test_it_records_the_request_and_tells_the_employer(offer, student, employer):
    request = ask(offer, student)
    assert request.status == ExtensionStatus.PENDING
    assert Notification.objects.filter(recipient=employer, kind="extension_requested").count() == 1


def test_it_recomputes_the_deadline_from_the_extension_when_granted(offer, student, employer):
    request = ask(offer, student)
    services.extension_answer(request=request, by=employer, days_granted=2, now=ANSWERED_AT)
    offer.refresh_from_db()
    assert offer.decision_days_total == 7
    # decision_deadline(Mon Oct 26, 7): Tue..Wed Nov 4 (no holidays in between)
    assert offer.deadline == dt.datetime(2026, 11, 4, 23, 59, 59, tzinfo=NY)


def test_it_tells_both_sides_of_the_answer(offer, student, employer):
    request = ask(offer, student)
    services.extension_answer(request=request, by=employer, days_granted=1, now=ANSWERED_AT)
    recipients = set(
        Notification.objects.filter(kind="extension_answered").values_list("recipient", flat=True)
    )
    assert recipients == {student.pk, employer.pk}


def test_a_refusal_keeps_the_deadline(offer, student, employer):
    before = offer.deadline
    request = ask(offer, student)
    answered = services.extension_answer(
        request=request, by=employer, days_granted=0, note="Sorry."
    )
    offer.refresh_from_db()
    assert offer.deadline == before
    assert answered.status == ExtensionStatus.REFUSED


def test_it_refuses_a_request_past_seven_business_days(offer, student):
    with pytest.raises(ValidationError) as error:
        ask(offer, student, days=3)
    assert "cannot exceed 7 business days" in str(error.value)
    assert not offer.extension_requests.exists()


def test_it_refuses_a_grant_past_seven_business_days(offer, student, employer):
    request = ask(offer, student, days=1)
    with pytest.raises(ValidationError):
        services.extension_answer(request=request, by=employer, days_granted=3, now=ANSWERED_AT)
    offer.refresh_from_db()
    assert offer.decision_days_total == 5


def test_it_refuses_a_request_after_the_deadline(offer, student):
    with pytest.raises(OfferError, match="too late"):
        services.extension_request(
            offer=offer,
            by=student,
            reason="Please",
            days=1,
            now=offer.deadline + dt.timedelta(minutes=1),
        )


def test_it_refuses_a_second_request_while_one_waits(offer, student):
    ask(offer, student, days=1)
    with pytest.raises(OfferError, match="already asked"):
        ask(offer, student, days=1)


def test_it_refuses_a_request_from_the_employer(offer, employer):
    with pytest.raises(PermissionDenied):
        ask(offer, employer)


def test_it_refuses_an_answer_from_another_organization(offer, student, other_employer):
    request = ask(offer, student)
    with pytest.raises(PermissionDenied):
        services.extension_answer(
            request=request, by=other_employer, days_granted=1, now=ANSWERED_AT
        )
