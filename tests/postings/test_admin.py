"""Staff moderation in the admin: the queue, the actions with their confirmation page, and
the organization checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from microintern.notifications.models import Notification
from postings import services
from postings.models import Organization, Posting, PostingStatus
from tests.postings import factories

pytestmark = pytest.mark.django_db
S = PostingStatus
QUEUE = reverse("admin:postings_submittedposting_changelist")
POSTINGS = reverse("admin:postings_posting_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def run_action(client, action, postings, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in postings], **extra}
    return client.post(QUEUE, data, follow=True)


def test_it_lists_the_queue_oldest_first(cycle, staff_client, org_a):
    newer = factories.SubmittedPostingFactory(organization=org_a, title="Newer")
    older = factories.SubmittedPostingFactory(
        organization=org_a, title="Older", submitted_at=timezone.now() - dt.timedelta(days=2)
    )
    factories.DraftPostingFactory(organization=org_a, title="A draft")
    response = staff_client.get(QUEUE)
    body = response.content.decode()
    assert body.index(older.title) < body.index(newer.title)
    assert "A draft" not in body


def test_it_asks_for_confirmation_before_approving(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    response = run_action(staff_client, "approve", [posting])
    assert b"Approve: confirm" in response.content
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED


def test_it_approves_on_confirmation_and_notifies_the_employer(
    cycle, staff_client, employer, org_a
):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    response = run_action(staff_client, "approve", [posting], confirm="yes", comment="Welcome")
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED
    assert posting.status_changes.last().comment == "Welcome"
    assert Notification.objects.filter(recipient=employer, kind="posting_approved").exists()
    assert b"1 posting(s) done" in response.content


def test_it_requires_a_comment_to_request_changes(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    response = run_action(staff_client, "request_changes", [posting], confirm="yes", comment="")
    assert b"This field is required" in response.content
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED


def test_it_requests_changes_with_the_comment(cycle, staff_client, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    run_action(staff_client, "request_changes", [posting], confirm="yes", comment="Say the hours.")
    posting.refresh_from_db()
    assert posting.status == S.CHANGES_REQUESTED
    assert Notification.objects.get(kind="posting_changes_requested").recipient == employer


def test_it_rejects_with_the_reason(cycle, staff_client, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    run_action(staff_client, "reject", [posting], confirm="yes", comment="Not an internship.")
    posting.refresh_from_db()
    assert posting.status == S.REJECTED
    assert posting.status_changes.last().comment == "Not an internship."


def test_it_refuses_an_unpaid_posting_without_the_unpaid_decision(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    response = run_action(staff_client, "approve", [posting], confirm="yes")
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED
    assert "Not changed" in response.content.decode()


def test_it_publishes_an_unpaid_posting_with_the_unpaid_decision(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    run_action(staff_client, "approve", [posting], confirm="yes", unpaid_approved="on")
    posting.refresh_from_db()
    assert (posting.status, posting.unpaid_approved) == (S.PUBLISHED, True)


def test_it_shows_the_unpaid_decision_on_the_confirmation_page(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    response = run_action(staff_client, "approve", [posting])
    assert b"Unpaid approved" in response.content


def test_it_reports_a_refused_transition_and_changes_nothing(cycle, staff_client, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    data = {
        "action": "reject",
        ACTION_CHECKBOX_NAME: [posting.pk],
        "confirm": "yes",
        "comment": "x",
    }
    response = staff_client.post(POSTINGS, data, follow=True)
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED
    assert "cannot become rejected" in response.content.decode()


def test_it_shows_status_read_only_in_the_change_form(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    # A submitted posting opens as the review page; its edit form is one link away.
    url = reverse("admin:postings_posting_change", args=[posting.pk])
    response = staff_client.get(url, {"edit": "1"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "unpaid_approved" not in form.fields


def test_it_refuses_the_admin_to_non_staff(cycle, client, employer):
    client.force_login(employer)
    response = client.get(QUEUE)
    assert response.status_code == 302


def test_it_flags_members_whose_email_domain_differs_from_the_website(db, staff_client):
    organization = factories.OrganizationFactory(
        name="Suspicious",
        website="https://real-company.com",
        email_domain="gmail.com",
        verified=False,
    )
    response = staff_client.get(reverse("admin:postings_organization_changelist"))
    assert "Mismatch: gmail.com not real-company.com" in response.content.decode()
    assert organization.mismatched_domains() == ["gmail.com"]


def test_it_accepts_a_subdomain_of_the_website(db):
    organization = factories.OrganizationFactory(
        name="Fine", website="https://www.example.com", email_domain="mail.example.com"
    )
    assert organization.mismatched_domains() == []


def test_it_verifies_organizations_through_the_action(db, staff_client):
    organization = factories.OrganizationFactory(name="New Co", verified=False)
    staff_client.post(
        reverse("admin:postings_organization_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [organization.pk], "confirm": "yes"},
    )
    organization = Organization.objects.get(pk=organization.pk)
    assert organization.verified and organization.verified_at is not None


def test_verifying_asks_first_with_the_domain_check_and_touches_only_the_selected(db, staff_client):
    chosen = factories.OrganizationFactory(
        name="Gmail Co", verified=False, website="https://gmailco.example.com"
    )
    factories.MembershipFactory(
        organization=chosen, user=factories.EmployerFactory(email="x@gmail.com", membership=None)
    )
    bystander = factories.OrganizationFactory(name="Other Co", verified=False)
    url = reverse("admin:postings_organization_changelist")

    page = staff_client.post(url, {"action": "verify", ACTION_CHECKBOX_NAME: [chosen.pk]})
    assert b"Verify these organizations?" in page.content
    assert b"Mismatch: gmail.com" in page.content
    chosen.refresh_from_db()
    assert not chosen.verified  # nothing until confirmed

    staff_client.post(
        url, {"action": "verify", ACTION_CHECKBOX_NAME: [chosen.pk], "confirm": "yes"}
    )
    chosen.refresh_from_db()
    bystander.refresh_from_db()
    assert chosen.verified and not bystander.verified


def test_it_refreshes_the_search_document_when_staff_edit_a_posting(cycle, staff_client, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    url = reverse("admin:postings_posting_change", args=[posting.pk])
    response = staff_client.get(url, {"edit": "1"})  # a submitted posting opens for review
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "title": "Quantum widget survey",
            "fields_of_study": [],
            "deadline_0": timezone.localtime(posting.deadline).strftime("%Y-%m-%d"),
            "deadline_1": timezone.localtime(posting.deadline).strftime("%H:%M:%S"),
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    staff_client.post(url, data)
    assert "Quantum widget" in Posting.objects.get(pk=posting.pk).search_document


def test_the_organizations_members_are_told_when_capd_verifies_it(
    db, staff_client, org_a, employer
):
    org_a.verified = False
    org_a.save(update_fields=["verified"])
    staff_client.post(
        reverse("admin:postings_organization_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [org_a.pk], "confirm": "yes"},
    )

    told = Notification.objects.get(kind="organization_verification")
    assert told.recipient == employer
    assert told.subject == f"CAPD verified {org_a.name}"


def test_the_members_are_told_when_capd_unverifies_it_and_not_told_twice(
    db, staff, org_a, employer
):
    org_a.verified = False
    org_a.save(update_fields=["verified"])
    services.organization_verify(organization=org_a, by=staff, verified=True)
    services.organization_verify(organization=org_a, by=staff, verified=False)
    services.organization_verify(organization=org_a, by=staff, verified=False)  # no change

    subjects = list(
        Notification.objects.filter(kind="organization_verification")
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        f"CAPD verified {org_a.name}",
        f"{org_a.name} is no longer verified by CAPD",
    ]
