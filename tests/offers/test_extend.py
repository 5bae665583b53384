"""Extending an offer: terms checked, deadline stored once, the application moves to offered."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import ApplicationStatus
from microintern.notifications.models import Notification
from offers import services
from offers.models import Offer, OfferError, OfferStatus
from tests.offers import factories

NY = ZoneInfo("America/New_York")
EXTENDED_AT = dt.datetime(2026, 10, 26, 10, 0, tzinfo=NY)  # a Monday


def terms(cycle, **changes):
    values = {
        "pay_hourly": Decimal("20.00"),
        "start_date": cycle.iap_start,
        "end_date": cycle.iap_start + dt.timedelta(days=10),
        "hours_per_week": 15,
        "decision_days": 5,
        "message": "We would love to have you.",
    }
    return services.OfferTerms(**{**values, **changes})


def test_it_extends_a_pending_offer_with_the_deadline_stored_once(
    posting, student, employer, cycle
):
    application = factories.InterviewedApplicationFactory(
        posting=posting,
        student=student,
        held_interview__slot__start=EXTENDED_AT - dt.timedelta(days=2),
    )
    offer = services.offer_extend(
        application=application, by=employer, terms=terms(cycle), now=EXTENDED_AT
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert offer.deadline == dt.datetime(2026, 11, 2, 23, 59, 59, tzinfo=NY)
    assert offer.student == application.student and offer.cycle == cycle


def test_it_moves_the_application_to_offered(application, employer, cycle):
    services.offer_extend(application=application, by=employer, terms=terms(cycle))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED


def test_it_tells_the_student(application, employer, cycle):
    services.offer_extend(application=application, by=employer, terms=terms(cycle))
    assert (
        Notification.objects.filter(recipient=application.student, kind="offer_extended").count()
        == 1
    )


def test_it_writes_the_first_history_row(application, employer, cycle):
    offer = services.offer_extend(application=application, by=employer, terms=terms(cycle))
    assert list(offer.status_changes.values_list("from_status", "to_status")) == [("", "pending")]


@pytest.mark.parametrize("days", [4, 8])
def test_it_refuses_a_window_outside_5_to_7(application, employer, cycle, days):
    with pytest.raises(ValidationError) as error:
        services.offer_extend(
            application=application, by=employer, terms=terms(cycle, decision_days=days)
        )
    assert "5 to 7 business days" in str(error.value.message_dict["decision_days"])
    assert not Offer.objects.exists()


def test_it_refuses_dates_outside_the_iap_window(application, employer, cycle):
    with pytest.raises(ValidationError) as error:
        services.offer_extend(
            application=application,
            by=employer,
            terms=terms(cycle, end_date=cycle.iap_end + dt.timedelta(days=1)),
        )
    assert "IAP window" in str(error.value.message_dict["end_date"])
    assert not Offer.objects.exists()


def test_it_refuses_pay_under_the_minimum_wage(application, employer, cycle):
    with pytest.raises(ValidationError) as error:
        services.offer_extend(
            application=application, by=employer, terms=terms(cycle, pay_hourly=Decimal("10.00"))
        )
    assert "minimum wage" in str(error.value.message_dict["pay_hourly"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEWING


def test_it_refuses_an_offer_on_a_submitted_application(posting, student, employer, cycle):
    application = factories.SubmittedApplicationFactory(posting=posting, student=student)
    with pytest.raises(OfferError, match="under review or interviewing"):
        services.offer_extend(application=application, by=employer, terms=terms(cycle))
    assert not Offer.objects.exists()


def test_it_refuses_an_employer_of_another_organization(application, other_employer, cycle):
    with pytest.raises(PermissionDenied):
        services.offer_extend(application=application, by=other_employer, terms=terms(cycle))
    assert not Offer.objects.exists()
