"""What the student and the employer see and do on the offer pages."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.models import ApplicationStatus
from offers.models import ExtensionRequest, Offer, OfferStatus
from tests.authorization.helpers import make_profile
from tests.offers import factories

NY = ZoneInfo("America/New_York")

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_it_shows_the_deadline_in_eastern_time_with_business_days_left(client, posting, student):
    extended = dt.datetime(2026, 10, 26, 10, 0, tzinfo=NY)  # Monday
    with time_machine.travel(extended, tick=False):
        offer = factories.PendingOfferFactory(
            application=factories.OfferedApplicationFactory(posting=posting, student=student),
            extended_at=extended,
        )
        page = login(client, student).get(reverse("offers:detail", args=[offer.pk]))
    text = page.content.decode()
    assert "Monday, Nov 2, 2026, 11:59 PM EST" in text
    assert "5 business days left, not counting today" in text


def test_it_has_one_h1(client, offer, student):
    page = login(client, student).get(reverse("offers:detail", args=[offer.pk]))
    assert page.content.decode().count("<h1") == 1


def test_the_confirmation_page_lists_what_else_happens_by_name(client, offer, student):
    factories.UnderReviewApplicationFactory(
        student=student, posting=factories.PublishedPostingFactory(title="Bridge sensors")
    )
    other = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(
            student=student, posting=factories.PublishedPostingFactory(title="Solar model")
        )
    )
    page = login(client, student).get(reverse("offers:accept", args=[offer.pk]))
    text = page.content.decode()
    assert "“Bridge sensors”" in text and "withdrawn" in text
    assert "“Solar model”" in text and "declined" in text
    assert Offer.objects.get(pk=other.pk).status == OfferStatus.PENDING


def test_the_confirmation_page_warns_an_opt_student_that_a_jan_6_start_is_at_risk(
    client, student, org_a, employer
):
    from microintern.cycles.models import RecruitingCycle

    make_profile(student, curriculum_has_internship_subject=False)  # F-1 without CPT: OPT
    with time_machine.travel(dt.datetime(2026, 10, 26, 10, 0, tzinfo=NY), tick=False):
        cycle = RecruitingCycle.objects.create(
            **{**RecruitingCycle.defaults_for_iap_year(2027), "is_current": True}
        )
        posting = factories.PublishedPostingFactory(organization=org_a, cycle=cycle)
        offer = factories.PendingOfferFactory(
            application=factories.OfferedApplicationFactory(posting=posting, student=student),
            start_date=dt.date(2027, 1, 6),
        )
        text = login(client, student).get(reverse("offers:accept", args=[offer.pk])).content
    text = text.decode()
    assert "Optional Practical Training (OPT)" in text
    assert "At risk: your work authorization will not arrive before the start date" in text


def test_accepting_redirects_to_the_arrangement(client, offer, student):
    response = login(client, student).post(reverse("offers:accept", args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:arrangement", args=[offer.pk])


def test_a_second_accept_shows_a_clear_message(client, offer, student):
    login(client, student).post(reverse("offers:accept", args=[offer.pk]))
    response = client.post(reverse("offers:accept", args=[offer.pk]), follow=True)
    assert "This offer was already accepted." in response.content.decode()


def test_the_accepted_offer_has_no_undo_and_points_to_capd(client, offer, student):
    login(client, student).post(reverse("offers:accept", args=[offer.pk]))
    text = client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert "talk to CAPD" in text
    assert "Decline" not in text


def test_the_employer_extends_an_offer_from_the_form(client, application, employer, cycle):
    response = login(client, employer).post(
        reverse("offers:extend", args=[application.pk]),
        {
            "pay_hourly": "21.00",
            "start_date": cycle.iap_start.isoformat(),
            "end_date": cycle.iap_end.isoformat(),
            "hours_per_week": 10,
            "decision_days": 5,
            "message": "Welcome!",
        },
    )
    offer = Offer.objects.get()
    assert response["Location"] == reverse("offers:detail", args=[offer.pk])
    assert offer.pay_hourly == Decimal("21.00")


def test_the_extend_form_shows_the_minimum_wage_error_and_saves_nothing(
    client, application, employer, cycle
):
    response = login(client, employer).post(
        reverse("offers:extend", args=[application.pk]),
        {
            "pay_hourly": "5.00",
            "start_date": cycle.iap_start.isoformat(),
            "end_date": cycle.iap_end.isoformat(),
            "hours_per_week": 10,
            "decision_days": 5,
        },
    )
    assert response.status_code == 400
    assert "minimum wage" in response.content.decode()
    assert not Offer.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEWING


def test_the_extend_form_is_prefilled_from_the_posting(client, application, employer):
    text = login(client, employer).get(reverse("offers:extend", args=[application.pk]))
    assert 'value="20.00"' in text.content.decode()


def test_the_applicant_page_links_to_extend_an_offer(client, application, employer):
    text = login(client, employer).get(reverse("applications:detail", args=[application.pk]))
    assert reverse("offers:extend", args=[application.pk]) in text.content.decode()


def test_the_students_application_page_links_to_the_offer(client, offer, student):
    text = login(client, student).get(reverse("applications:detail", args=[offer.application_id]))
    assert reverse("offers:detail", args=[offer.pk]) in text.content.decode()


def test_the_student_asks_for_more_time_from_the_offer_page(client, offer, student):
    login(client, student).post(
        reverse("offers:extension_request", args=[offer.pk]), {"days": 2, "reason": "Exams"}
    )
    assert ExtensionRequest.objects.get().days_requested == 2


def test_accepting_after_the_deadline_shows_a_clear_message(client, posting, student):
    import datetime as dt_

    from django.utils import timezone

    offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student),
        extended_at=timezone.now() - dt_.timedelta(days=20),
    )
    response = login(client, student).post(reverse("offers:accept", args=[offer.pk]), follow=True)
    assert "The decision deadline has passed" in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING


def test_the_employer_grants_more_time_from_the_offer_page(client, offer, student, employer):
    extension = factories.ExtensionRequestFactory(offer=offer, days_requested=2)
    login(client, employer).post(
        reverse("offers:extension_answer", args=[extension.pk]), {"days_granted": 2}
    )
    offer.refresh_from_db()
    assert offer.decision_days_total == 7
