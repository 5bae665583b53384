"""An offer follows a held interview, unless the employer says why not (DOMAIN.md, Offers);
a program setting lets offers go without one. Held: booked, never cancelled, its time over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import InterviewStatus
from microintern.core.models import ProgramSettings
from offers import services
from offers.models import Offer
from tests.offers import factories

pytestmark = pytest.mark.django_db
REASON = "We worked with Maya on a hackathon project last month."


def terms(cycle, **changes):
    values = {
        "pay_hourly": Decimal("20.00"),
        "start_date": cycle.iap_start,
        "end_date": cycle.iap_start + dt.timedelta(days=10),
        "hours_per_week": 15,
        "decision_days": 5,
    }
    return services.OfferTerms(**{**values, **changes})


@pytest.fixture
def not_interviewed(posting, student):
    return factories.InterviewingApplicationFactory(posting=posting, student=student)


def extend(application, employer, cycle, **changes):
    return services.offer_extend(
        application=application, by=employer, terms=terms(cycle, **changes)
    )


# --- the service ------------------------------------------------------------------------------
def test_it_refuses_an_offer_without_a_held_interview_or_a_reason(not_interviewed, employer, cycle):
    with pytest.raises(ValidationError) as error:
        extend(not_interviewed, employer, cycle)
    assert "No interview with this applicant was held" in str(
        error.value.message_dict["no_interview_reason"]
    )
    assert not Offer.objects.exists()


def test_it_names_every_problem_at_once(not_interviewed, employer, cycle):
    with pytest.raises(ValidationError) as error:
        extend(not_interviewed, employer, cycle, pay_hourly=Decimal("5.00"))
    assert set(error.value.message_dict) == {"pay_hourly", "no_interview_reason"}


def test_it_extends_without_an_interview_when_the_employer_says_why(
    not_interviewed, employer, cycle
):
    offer = extend(not_interviewed, employer, cycle, no_interview_reason=f"  {REASON} ")
    offer.refresh_from_db()
    assert offer.no_interview_reason == REASON


def test_it_extends_after_a_held_interview_and_keeps_no_reason(application, employer, cycle):
    offer = extend(application, employer, cycle, no_interview_reason="Not needed.")
    offer.refresh_from_db()
    assert offer.no_interview_reason == ""


def test_an_interview_still_to_come_is_not_held(not_interviewed, employer, cycle):
    factories.InterviewFactory(application=not_interviewed)  # in three days
    with pytest.raises(ValidationError):
        extend(not_interviewed, employer, cycle)


def test_an_interview_under_way_is_not_held(not_interviewed, employer, cycle):
    factories.InterviewFactory(
        application=not_interviewed,
        slot__start=timezone.now() - dt.timedelta(minutes=10),
    )
    with pytest.raises(ValidationError):
        extend(not_interviewed, employer, cycle)


def test_a_cancelled_interview_is_not_held(not_interviewed, employer, cycle):
    factories.HeldInterviewFactory(application=not_interviewed, status=InterviewStatus.CANCELLED)
    with pytest.raises(ValidationError):
        extend(not_interviewed, employer, cycle)


def test_the_program_setting_lets_offers_go_without_an_interview(not_interviewed, employer, cycle):
    ProgramSettings.objects.update_or_create(
        pk=1, defaults={"offers_require_held_interview": False}
    )
    offer = extend(not_interviewed, employer, cycle)
    assert offer.no_interview_reason == ""


def test_the_program_asks_for_a_held_interview_by_default(db):
    assert ProgramSettings.load().offers_require_held_interview is True


# --- the employer's form ----------------------------------------------------------------------
def form_data(cycle, **changes):
    return {
        "pay_hourly": "21.00",
        "start_date": cycle.iap_start.isoformat(),
        "end_date": cycle.iap_end.isoformat(),
        "hours_per_week": 10,
        "decision_days": 5,
        "message": "Welcome!",
        **changes,
    }


def test_the_form_asks_why_when_no_interview_was_held(client, not_interviewed, employer):
    client.force_login(employer)
    page = client.get(reverse("offers:extend", args=[not_interviewed.pk])).content.decode()
    assert "You have not held an interview with" in page
    assert 'name="no_interview_reason"' in page
    assert reverse("applications:slots_offer", args=[not_interviewed.posting_id]) in page


def test_the_form_does_not_ask_after_a_held_interview(client, application, employer):
    client.force_login(employer)
    page = client.get(reverse("offers:extend", args=[application.pk])).content.decode()
    assert 'name="no_interview_reason"' not in page
    assert "You have not held an interview" not in page


def test_the_form_without_a_reason_sends_nothing_and_keeps_the_terms(
    client, not_interviewed, employer, cycle
):
    client.force_login(employer)
    response = client.post(
        reverse("offers:extend", args=[not_interviewed.pk]), form_data(cycle, pay_hourly="23.50")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why you offer without an interview" in page
    assert 'value="23.50"' in page
    assert not Offer.objects.exists()


def test_the_form_with_a_reason_sends_the_offer(client, not_interviewed, employer, cycle):
    client.force_login(employer)
    client.post(
        reverse("offers:extend", args=[not_interviewed.pk]),
        form_data(cycle, no_interview_reason=REASON),
    )
    assert Offer.objects.get().no_interview_reason == REASON


def test_the_form_says_the_reason_is_optional_when_the_program_allows(
    client, not_interviewed, employer, cycle
):
    ProgramSettings.objects.update_or_create(
        pk=1, defaults={"offers_require_held_interview": False}
    )
    client.force_login(employer)
    client.post(reverse("offers:extend", args=[not_interviewed.pk]), form_data(cycle))
    assert Offer.objects.get().no_interview_reason == ""


# --- CAPD sees it -----------------------------------------------------------------------------
def test_capd_staff_read_the_reason_in_the_admin(client, not_interviewed, employer, cycle, staff):
    offer = extend(not_interviewed, employer, cycle, no_interview_reason=REASON)
    client.force_login(staff)
    page = client.get(reverse("admin:offers_offer_change", args=[offer.pk])).content.decode()
    assert REASON in page


def test_capd_staff_filter_offers_made_without_an_interview(
    client, not_interviewed, posting, employer, cycle, staff
):
    without = extend(not_interviewed, employer, cycle, no_interview_reason=REASON)
    extend(factories.InterviewedApplicationFactory(posting=posting), employer, cycle)
    client.force_login(staff)
    response = client.get(reverse("admin:offers_offer_changelist") + "?interview=none")
    assert [o.pk for o in response.context["cl"].result_list] == [without.pk]
