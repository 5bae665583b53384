"""The arrangement: one side proposes, the other confirms; changes need confirming again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from authorization.models import CaseState
from microintern.notifications.models import Notification
from offers import services
from offers.models import ArrangementStatus, OfferError
from tests.authorization.helpers import make_profile
from tests.offers import factories

A = ArrangementStatus


@pytest.fixture
def arrangement(posting, student):
    offer = factories.AcceptedOfferFactory(
        application=factories.OfferedApplicationFactory(
            posting=posting, student=student, status="hired"
        )
    )
    return factories.ArrangementFactory(offer=offer)


def terms(cycle, **changes):
    values = {
        "start_date": cycle.iap_start,
        "end_date": cycle.iap_start + dt.timedelta(days=14),
        "hours_per_week": 12,
        "work_mode": "remote",
        "place": "Zoom and Slack",
        "supervisor_name": "Pat Supervisor",
        "supervisor_email": "pat@example.com",
        "notes": "",
    }
    return services.ArrangementTerms(**{**values, **changes})


def test_the_employer_proposes_and_the_student_is_told(arrangement, employer, student, cycle):
    services.arrangement_propose(arrangement=arrangement, by=employer, terms=terms(cycle))
    arrangement.refresh_from_db()
    assert arrangement.status == A.PROPOSED and arrangement.proposed_side == "employer"
    assert Notification.objects.filter(recipient=student, kind="arrangement_proposed").exists()


def test_the_student_confirms_the_employers_proposal(arrangement, employer, student, cycle):
    services.arrangement_propose(arrangement=arrangement, by=employer, terms=terms(cycle))
    services.arrangement_confirm(arrangement=arrangement, by=student)
    arrangement.refresh_from_db()
    assert arrangement.status == A.CONFIRMED
    assert Notification.objects.filter(kind="arrangement_confirmed").count() == 2


def test_a_side_cannot_confirm_its_own_proposal(arrangement, employer, cycle):
    services.arrangement_propose(arrangement=arrangement, by=employer, terms=terms(cycle))
    with pytest.raises(OfferError, match="other side confirms"):
        services.arrangement_confirm(arrangement=arrangement, by=employer)


def test_a_change_after_confirmation_needs_confirming_again(arrangement, employer, student, cycle):
    services.arrangement_propose(arrangement=arrangement, by=employer, terms=terms(cycle))
    services.arrangement_confirm(arrangement=arrangement, by=student)
    services.arrangement_propose(
        arrangement=arrangement, by=student, terms=terms(cycle, hours_per_week=10)
    )
    arrangement.refresh_from_db()
    assert arrangement.status == A.PROPOSED and arrangement.confirmed_at is None


def test_it_refuses_dates_outside_iap(arrangement, employer, cycle):
    with pytest.raises(ValidationError) as error:
        services.arrangement_propose(
            arrangement=arrangement,
            by=employer,
            terms=terms(cycle, start_date=cycle.iap_start - dt.timedelta(days=1)),
        )
    assert "IAP window" in str(error.value)
    arrangement.refresh_from_db()
    assert arrangement.status == A.TO_ARRANGE


def test_staff_can_allow_dates_outside_iap(arrangement, employer, cycle):
    arrangement.outside_iap_allowed = True
    arrangement.save()
    services.arrangement_propose(
        arrangement=arrangement,
        by=employer,
        terms=terms(cycle, start_date=cycle.iap_start - dt.timedelta(days=1)),
    )
    arrangement.refresh_from_db()
    assert arrangement.status == A.PROPOSED


def test_outsiders_cannot_propose(arrangement, other_employer, cycle):
    with pytest.raises(PermissionDenied):
        services.arrangement_propose(arrangement=arrangement, by=other_employer, terms=terms(cycle))


def test_it_says_an_international_student_cannot_start_until_authorized(
    client, arrangement, student
):
    from authorization.services import case_open_for_acceptance

    make_profile(student)
    case = case_open_for_acceptance(
        student=student,
        start_date=arrangement.start_date,
        accepted_at=arrangement.offer.decided_at,
    )
    assert case is not None and case.state != CaseState.AUTHORIZED
    arrangement.offer.authorization_case = case  # the link offer_accept keeps
    arrangement.offer.save(update_fields=["authorization_case"])
    client.force_login(student)
    text = client.get(reverse("offers:arrangement", args=[arrangement.offer_id])).content.decode()
    assert "Cannot start until work authorization is recorded" in text


def test_it_says_nothing_of_authorization_to_a_citizen(client, arrangement, student):
    from tests.authorization.helpers import make_profile

    make_profile(student, immigration_status="citizen")
    client.force_login(student)
    text = client.get(reverse("offers:arrangement", args=[arrangement.offer_id])).content.decode()
    assert "Cannot start" not in text


def test_the_arrangement_page_proposes_through_the_form(client, arrangement, employer, cycle):
    client.force_login(employer)
    response = client.post(
        reverse("offers:arrangement", args=[arrangement.offer_id]),
        {
            "start_date": cycle.iap_start.isoformat(),
            "end_date": cycle.iap_end.isoformat(),
            "hours_per_week": 10,
            "work_mode": "on_site",
            "place": "1 Main St, Cambridge",
            "supervisor_name": "Pat",
            "supervisor_email": "pat@example.com",
        },
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.place == "1 Main St, Cambridge"
