"""A submitted posting's admin page is CAPD's review page: the terms, the checks (pay against
the minimum wage, unpaid, global, alumni host, the organization's verification and domains,
its record), and Approve / Request changes / Reject, each confirmed on the next page and
acting on this posting alone. As CAPD staff (a member of the group, not a superuser)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from microintern.notifications.models import Notification
from postings.models import PostingStatus
from tests.postings import factories

pytestmark = pytest.mark.django_db
POSTINGS = reverse("admin:postings_posting_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def review(client, posting) -> str:
    response = client.get(reverse("admin:postings_posting_change", args=[posting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def decide(client, posting, action, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [posting.pk], **extra}
    return client.post(POSTINGS, data, follow=True)


def test_it_opens_a_submitted_posting_as_the_review_page_with_the_checks(
    cycle, staff_client, org_a
):
    posting = factories.SubmittedPostingFactory(
        organization=org_a, is_paid=True, pay_amount=Decimal("10.00"), pay_unit="hour"
    )
    factories.PublishedPostingFactory(organization=org_a)
    page = review(staff_client, posting)
    assert f"Review “{posting.title}”" in page
    assert "✗ 10.00 USD per hour against the minimum wage" in page
    assert "1 published" in page  # the organization's record
    for button in ("Approve and publish…", "Request changes…", "Reject…"):
        assert button in page


def test_it_says_a_new_employer_has_no_record_and_flags_an_unpaid_posting(
    cycle, staff_client, org_a
):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False)
    page = review(staff_client, posting)
    assert "None: a new employer" in page
    assert "? Unpaid: approving publishes it as unpaid" in page


def test_approving_from_the_page_takes_two_clicks_and_tells_the_employer(
    cycle, staff_client, employer, org_a
):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    other = factories.SubmittedPostingFactory(organization=org_a)

    first = decide(staff_client, posting, "approve")  # "Approve and publish…"
    assert b"Approve: confirm" in first.content
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED  # nothing yet

    decide(staff_client, posting, "approve", confirm="yes")  # "Yes"
    posting.refresh_from_db()
    other.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    assert other.status == PostingStatus.SUBMITTED  # only what was chosen
    assert Notification.objects.filter(recipient=employer, kind="posting_approved").exists()


def test_requesting_changes_needs_the_message_and_changes_nothing_without_it(
    cycle, staff_client, employer, org_a
):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    decide(staff_client, posting, "request_changes", confirm="yes", comment="")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED

    decide(staff_client, posting, "request_changes", confirm="yes", comment="Add the pay.")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CHANGES_REQUESTED
    assert posting.status_changes.last().comment == "Add the pay."


def test_rejecting_from_the_page_needs_confirmation(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    decide(staff_client, posting, "reject")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED
    decide(staff_client, posting, "reject", confirm="yes", comment="Not a micro-internship.")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REJECTED


def test_a_published_posting_and_edit_still_open_the_edit_form(cycle, staff_client, org_a):
    published = factories.PublishedPostingFactory(organization=org_a)
    response = staff_client.get(reverse("admin:postings_posting_change", args=[published.pk]))
    assert "adminform" in response.context
    submitted = factories.SubmittedPostingFactory(organization=org_a)
    url = reverse("admin:postings_posting_change", args=[submitted.pk])
    assert "adminform" in staff_client.get(url, {"edit": "1"}).context


def test_the_review_page_costs_the_same_for_a_new_employer_or_a_busy_one(
    cycle, staff_client, org_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    posting = factories.SubmittedPostingFactory(organization=org_a)
    review(staff_client, posting)
    with CaptureQueriesContext(connection) as few:
        review(staff_client, posting)
    factories.PublishedPostingFactory.create_batch(8, organization=org_a)
    with CaptureQueriesContext(connection) as many:
        review(staff_client, posting)
    assert len(many.captured_queries) == len(few.captured_queries)
