"""In a real browser: an employer extends an offer with a 5-day window; the student sees the
deadline, asks for more time and gets two more days, reads what else happens and accepts;
the employer proposes the dates and the student confirms the arrangement."""

from __future__ import annotations

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from offers.models import Arrangement, ArrangementStatus, Offer, OfferStatus
from tests.offers import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw"


@pytest.fixture
def cast(settings):
    organization = factories.OrganizationFactory(name="Tidal Robotics", verified=True)
    employer = factories.EmployerFactory(
        email="host@tidal.example.com",
        full_name="Hana Host",
        password=PASSWORD,
        membership__organization=organization,
    )
    student = factories.StudentFactory(
        email="learner@example.edu", full_name="Lee Learner", password=PASSWORD
    )
    posting = factories.PublishedPostingFactory(
        organization=organization, created_by=employer, title="Tide gauge calibration"
    )
    application = factories.InterviewedApplicationFactory(posting=posting, student=student)
    elsewhere = factories.UnderReviewApplicationFactory(
        student=student, posting=factories.PublishedPostingFactory(title="Harbor noise survey")
    )
    return {
        "employer": employer,
        "student": student,
        "application": application,
        "elsewhere": elsewhere,
    }


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_it_takes_an_offer_from_extension_to_a_confirmed_arrangement(page: Page, live_server, cast):
    base = live_server.url
    application = cast["application"]

    # The employer extends the offer from the applicant's page, with a 5-day window.
    sign_in(page, base, cast["employer"].email)
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_role("link", name="Extend an offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extend an offer to Lee Learner")
    page.get_by_label("Decision window").select_option("5")
    page.get_by_label("Message to the student").fill("We loved your interview.")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Your offer was sent to Lee Learner.")).to_be_visible()
    offer = Offer.objects.get(application=application)
    assert offer.decision_days_total == 5

    # The student's home page says what needs them; the offer is one click away.
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}/")
    to_do = page.get_by_role("region", name="Needs your attention")
    to_do.get_by_role("link", name="Decide on the offer from Tidal Robotics").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tidal Robotics")

    # The student sees the deadline in Eastern time and asks for two more days.
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_role("link", name="See the offer").click()
    deadline_section = page.get_by_role("region", name="Decision deadline")
    expect(deadline_section).to_contain_text(
        dateformat.format(timezone.localtime(offer.deadline), "l, M j, Y, g:i A T")
    )
    expect(deadline_section).to_contain_text("business day")
    page.get_by_label("More business days").select_option("2")
    page.get_by_label("Why do you need more time?").fill("A second interview on Friday.")
    page.get_by_role("button", name="Ask for more time").click()
    expect(page.get_by_text("Your request was sent.")).to_be_visible()

    # The employer grants both days, from the request on their home page.
    sign_in(page, base, cast["employer"].email)
    page.goto(f"{base}/")
    page.get_by_role("region", name="Needs your attention").get_by_role(
        "link", name="Lee Learner asked for more time to decide on your offer"
    ).click()
    expect(page).to_have_url(f"{base}/offers/{offer.pk}/")
    page.get_by_label("Grant").select_option("2")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("More time granted")).to_be_visible()
    offer.refresh_from_db()
    assert offer.decision_days_total == 7

    # The student reads what else happens, then accepts.
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}/offers/{offer.pk}/")
    expect(page.get_by_text("7 business days (5 plus an extension)")).to_be_visible()
    page.get_by_role("link", name="Review and accept").click()
    what_else = page.get_by_role("region", name="What else happens")
    expect(what_else).to_contain_text("“Harbor noise survey”")
    expect(what_else).to_contain_text("withdrawn")
    page.get_by_role("button", name="Yes, accept this offer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arranging")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED

    # The employer proposes the dates.
    sign_in(page, base, cast["employer"].email)
    page.goto(f"{base}/offers/{offer.pk}/arrangement/")
    page.get_by_label("Remote").check()
    page.get_by_label("Place").fill("Zoom and Slack")
    page.get_by_label("Supervisor's name").fill("Hana Host")
    page.get_by_label("Supervisor's email").fill("host@tidal.example.com")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("Your proposal was sent")).to_be_visible()

    # The student confirms.
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}/offers/{offer.pk}/arrangement/")
    page.get_by_role("button", name="Confirm this arrangement").click()
    expect(page.get_by_text("The arrangement is confirmed by both sides.")).to_be_visible()
    assert Arrangement.objects.get(offer=offer).status == ArrangementStatus.CONFIRMED
