"""In a real browser: an employer creates and submits a posting, staff approve it in the
admin, and a student finds it ("micro-intern" + alumni host) and saves it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from postings.models import Posting, PostingStatus, SavedPosting
from tests.postings import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw"
TITLE = "Swarm robotics field test"


@pytest.fixture
def cast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STAFF_MFA_REQUIRED = False
    cycle = factories.current_cycle()
    organization = factories.OrganizationFactory(name="Swarm Works", verified=True)
    employer = factories.EmployerFactory(
        email="host@swarm.example.com",
        full_name="Hana Host",
        password=PASSWORD,
        membership__organization=organization,
    )
    staff = factories.StaffFactory(
        email="reviewer@example.edu", full_name="Rae Reviewer", password=PASSWORD
    )
    student = factories.StudentFactory(
        email="learner@example.edu", full_name="Lee Learner", password=PASSWORD
    )
    # Another published posting without an alumni host: the filter must leave it out.
    factories.PublishedPostingFactory(title="Unrelated archive project")
    return {"cycle": cycle, "employer": employer, "staff": staff, "student": student}


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_it_takes_a_posting_from_employer_to_student(page: Page, live_server, cast):
    base = live_server.url
    cycle = cast["cycle"]

    # The employer writes the posting and submits it.
    sign_in(page, base, cast["employer"].email)
    page.goto(f"{base}/postings/new/")
    page.get_by_label("Title").fill(TITLE)
    page.locator("#id_description").fill("Test a swarm of small robots outdoors.")
    page.get_by_label("Mechanical Engineering").check()
    page.get_by_label("Hosted by an alum").check()
    page.get_by_label("Alumni host's name").fill("Hana Host")
    page.get_by_label("Alumni host's class year").fill("2008")
    page.get_by_label("Pay (USD)").fill("22")
    page.get_by_label("Proposed start").fill(cycle.iap_start.isoformat())
    page.get_by_label("Proposed end").fill((cycle.iap_start + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Hours per week").fill("12")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=7))
    page.get_by_label("Application deadline (Eastern Time)").fill(
        deadline.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Submit to CAPD").click()
    expect(page.get_by_text("Status: Submitted for review")).to_be_visible()
    sign_out(page)

    # Staff approve it from the moderation queue, through the confirmation page.
    sign_in(page, base, cast["staff"].email)
    page.goto(f"{base}/admin/postings/submittedposting/")
    page.get_by_role("row", name=TITLE).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Approve: 1 posting")).to_be_visible()
    page.get_by_label("Comment to the employer").fill("Welcome aboard.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 posting(s) done")).to_be_visible()
    assert Posting.objects.get(title=TITLE).status == PostingStatus.PUBLISHED
    sign_out(page)

    # A student searches "micro-intern" with the alumni-host filter, finds it and saves it.
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}/postings/")
    page.get_by_label("Keywords").fill("micro-intern")
    page.get_by_label("Alumni host").check()
    page.get_by_role("button", name="Show postings").click()
    expect(page).to_have_url(
        re.compile(r"/postings/\?q=micro-intern&alumni=on&")
    )  # state in the URL
    results = page.locator(".posting-list")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.get_by_text("Unrelated archive project")).to_have_count(0)
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Alumni host: Hana Host, class of 2008")).to_be_visible()
    page.get_by_role("button", name="Save posting").click()
    expect(page.get_by_role("button", name="Saved: remove")).to_be_visible()
    assert SavedPosting.objects.filter(user=cast["student"], posting__title=TITLE).exists()
