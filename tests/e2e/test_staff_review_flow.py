"""In a real browser, as CAPD staff (a member of the group): the admin opens on
"3 postings awaiting review"; one is approved from its own review page in two clicks, and its
employer is told."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from microintern.notifications.models import Notification
from postings.models import PostingStatus
from tests.factories import StaffFactory
from tests.postings import factories
from tests.postings.factories import current_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw"


def test_capd_staff_approve_a_posting_from_its_page_in_two_clicks(page: Page, live_server):
    current_cycle()
    organization = factories.OrganizationFactory(name="Gearworks Lab", verified=True)
    employer = factories.EmployerFactory(
        email="host@gearworks.example.com", password=PASSWORD, membership__organization=organization
    )
    postings = [
        factories.SubmittedPostingFactory(
            organization=organization, created_by=employer, title=title
        )
        for title in ("Gearbox test rig", "Sensor calibration", "CAD cleanup")
    ]
    staff = StaffFactory(email="tavi@example.edu", full_name="Tavi Staff", password=PASSWORD)
    base = live_server.url

    page.goto(f"{base}{reverse('account_login')}")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{base}{reverse('admin:index')}")
    waiting = page.locator(".work-module tr", has_text="Postings awaiting review")
    expect(waiting).to_contain_text("3")

    waiting.get_by_role("link", name="Postings awaiting review").click()
    page.get_by_role("link", name="Gearbox test rig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review “Gearbox test rig”")
    page.get_by_role("button", name="Approve and publish…").click()  # click 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve: confirm")
    page.get_by_role("button", name="Approve", exact=True).click()  # click 2
    expect(page.get_by_text("1 posting(s) done")).to_be_visible()

    statuses = {p.title: p.status for p in (type(p).objects.get(pk=p.pk) for p in postings)}
    assert statuses == {
        "Gearbox test rig": PostingStatus.PUBLISHED,
        "Sensor calibration": PostingStatus.SUBMITTED,
        "CAD cleanup": PostingStatus.SUBMITTED,
    }
    assert Notification.objects.filter(recipient=employer, kind="posting_approved").exists()
