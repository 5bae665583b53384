"""The employer's pages: dashboard, create and edit, and the posting's actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from microintern.accounts.models import Role
from postings.forms import PostingForm
from postings.models import Membership, OrganizationInvitation, Posting, PostingStatus
from postings.views.employer import add_errors
from tests.postings import factories
from tests.postings.test_validation import valid_data

pytestmark = pytest.mark.django_db
S = PostingStatus


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


def form_data(cycle, materials=(), **overrides):
    data = valid_data(cycle, **overrides)
    data.update(
        {
            "materials-TOTAL_FORMS": str(len(materials)),
            "materials-INITIAL_FORMS": "0",
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "15",
        }
    )
    for i, row in enumerate(materials):
        data.update({f"materials-{i}-{k}": v for k, v in row.items()})
    return data


def test_it_shows_the_dashboard_grouped_by_status(employer_client, cycle, org_a, org_b):
    factories.DraftPostingFactory(organization=org_a, title="My draft")
    factories.PublishedPostingFactory(organization=org_a, title="My live one")
    factories.DraftPostingFactory(organization=org_b, title="Their draft")
    body = employer_client.get(reverse("postings:dashboard")).content.decode()
    assert "My draft" in body and "My live one" in body
    assert "Their draft" not in body
    assert body.index("Draft") < body.index("Published")


def test_the_dashboard_counts_applicants_and_those_waiting(employer_client, cycle, org_a):
    from tests.applications import factories as applications

    posting = factories.PublishedPostingFactory(organization=org_a, title="Counted")
    applications.SubmittedApplicationFactory(posting=posting)
    applications.InterviewingApplicationFactory(posting=posting)
    applications.NotSelectedApplicationFactory(posting=posting)
    response = employer_client.get(reverse("postings:dashboard"))
    page = response.content.decode()
    assert '>3<span class="visually-hidden"> applicants to Counted</span>' in page
    assert "(2 waiting)" in page


def test_the_dashboard_runs_the_same_queries_for_one_posting_or_ten(
    employer_client, cycle, org_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.applications import factories as applications

    applications.SubmittedApplicationFactory(
        posting=factories.PublishedPostingFactory(organization=org_a)
    )
    with CaptureQueriesContext(connection) as one:
        employer_client.get(reverse("postings:dashboard"))
    for _ in range(9):
        applications.SubmittedApplicationFactory(
            posting=factories.PublishedPostingFactory(organization=org_a)
        )
    with django_assert_num_queries(len(one.captured_queries)):
        employer_client.get(reverse("postings:dashboard"))


def test_it_answers_404_to_a_student_on_the_dashboard(client, student, cycle):
    client.force_login(student)
    assert client.get(reverse("postings:dashboard")).status_code == 404


def test_it_shows_the_create_form(employer_client, cycle):
    response = employer_client.get(reverse("postings:create"))
    assert response.status_code == 200
    assert b"Post a micro-internship" in response.content


def test_it_creates_a_draft_with_materials(employer_client, employer, cycle, org_a):
    data = form_data(cycle, materials=[{"label": "Portfolio", "kind": "link", "required": "on"}])
    response = employer_client.post(reverse("postings:create"), data)
    posting = Posting.objects.get()
    assert response.status_code == 302
    assert (posting.organization, posting.created_by, posting.status) == (org_a, employer, S.DRAFT)
    assert [(m.label, m.kind, m.required) for m in posting.materials.all()] == [
        ("Portfolio", "link", True)
    ]


def test_it_shows_what_to_change_and_saves_nothing(employer_client, cycle):
    response = employer_client.post(reverse("postings:create"), form_data(cycle, pay_amount="10"))
    assert response.status_code == 200
    assert "under the minimum wage" in response.content.decode()
    assert not Posting.objects.exists()


def test_it_refuses_a_material_without_a_label_and_saves_nothing(employer_client, cycle):
    data = form_data(cycle, materials=[{"label": "", "kind": "text", "required": "on"}])
    response = employer_client.post(reverse("postings:create"), data)
    assert "Give this material a label" in response.content.decode()
    assert not Posting.objects.exists()


def test_it_edits_a_draft(employer_client, cycle, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    url = reverse("postings:edit", args=[posting.pk])
    assert employer_client.get(url).status_code == 200
    employer_client.post(url, form_data(cycle, title="Renamed project"))
    posting.refresh_from_db()
    assert (posting.title, posting.status) == ("Renamed project", S.DRAFT)


def test_it_sends_an_edited_published_posting_back_to_review(employer_client, cycle, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    employer_client.post(
        reverse("postings:edit", args=[posting.pk]), form_data(cycle, hours_per_week="5")
    )
    posting.refresh_from_db()
    assert (posting.status, posting.hours_per_week) == (S.SUBMITTED, 5)


def test_it_answers_404_for_another_organizations_edit_page(client, other_employer, cycle, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(other_employer)
    assert client.get(reverse("postings:edit", args=[posting.pk])).status_code == 404


@pytest.mark.parametrize("action", ["submit", "withdraw", "close", "duplicate"])
def test_it_answers_404_for_another_organizations_actions(
    client, other_employer, cycle, org_a, action
):
    posting = factories.PublishedPostingFactory(organization=org_a)
    client.force_login(other_employer)
    assert client.post(reverse(f"postings:{action}", args=[posting.pk])).status_code == 404
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


def test_it_submits_on_post(employer_client, cycle, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    employer_client.post(reverse("postings:submit", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED


def test_it_never_submits_on_get(employer_client, cycle, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    assert employer_client.get(reverse("postings:submit", args=[posting.pk])).status_code == 405
    posting.refresh_from_db()
    assert posting.status == S.DRAFT


def test_it_explains_a_refused_transition(employer_client, cycle, org_a):
    posting = factories.RejectedPostingFactory(organization=org_a)
    response = employer_client.post(reverse("postings:submit", args=[posting.pk]), follow=True)
    assert "cannot become submitted" in response.content.decode()


def test_it_withdraws(employer_client, cycle, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    employer_client.post(reverse("postings:withdraw", args=[posting.pk]))
    posting.refresh_from_db()
    assert (posting.status, posting.close_reason) == (S.CLOSED, "withdrawn")


def test_it_closes_a_filled_posting(employer_client, cycle, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    employer_client.post(reverse("postings:close", args=[posting.pk]))
    posting.refresh_from_db()
    assert (posting.status, posting.close_reason) == (S.CLOSED, "filled")


def test_it_duplicates_into_a_draft_and_opens_it(employer_client, cycle, org_a):
    posting = factories.ClosedPostingFactory(organization=org_a, title="Last year")
    response = employer_client.post(reverse("postings:duplicate", args=[posting.pk]))
    copy = Posting.objects.exclude(pk=posting.pk).get()
    assert response["Location"] == reverse("postings:edit", args=[copy.pk])
    assert copy.status == S.DRAFT


def test_it_lets_an_owner_invite_a_colleague_who_then_joins(employer_client, client, cycle, org_a):
    employer_client.post(reverse("postings:invite"), {"email": "colleague@example.com"})
    invitation = OrganizationInvitation.objects.get(organization=org_a)
    colleague = factories.EmployerFactory(email="colleague@example.com", membership=None)
    client.force_login(colleague)
    client.post(reverse("postings:invitation", args=[invitation.token]))
    assert Membership.objects.get(user=colleague).organization == org_a


def test_it_does_not_let_a_member_invite(client, other_employer, cycle):
    client.force_login(other_employer)
    response = client.post(reverse("postings:invite"), {"email": "x@example.org"})
    assert response.status_code == 404
    assert not OrganizationInvitation.objects.exists()


def test_it_hides_an_invitation_from_another_address(client, employer, cycle, org_a):
    invitation = OrganizationInvitation.objects.create(
        organization=org_a, email="a@example.com", invited_by=employer
    )
    stranger = factories.UserFactory(email="b@example.com", role=Role.EMPLOYER)
    client.force_login(stranger)
    assert client.get(reverse("postings:invitation", args=[invitation.token])).status_code == 404


def test_it_shows_a_service_error_that_has_no_field_on_top(db):
    form = PostingForm(data={})
    form.is_valid()
    add_errors(form, ValidationError({"cycle": ["No cycle."], "title": ["Too long."]}))
    assert "No cycle." in form.non_field_errors()
    assert "Too long." in form.errors["title"]


def test_it_removes_a_ticked_material_and_offers_no_remove_box_on_new_rows(
    employer_client, cycle, org_a
):
    posting = factories.DraftPostingFactory(organization=org_a)
    factories.PostingMaterialFactory(posting=posting, label="Portfolio", kind="link")
    factories.PostingMaterialFactory(posting=posting, label="Writing sample", kind="file")
    url = reverse("postings:edit", args=[posting.pk])
    page = employer_client.get(url).content.decode()
    assert page.count('name="materials-0-DELETE"') == 1
    assert 'name="materials-2-DELETE"' not in page  # the first empty row: nothing to remove

    rows = [
        {"label": "Portfolio", "kind": "link", "required": "on", "DELETE": "on"},
        {"label": "Writing sample", "kind": "file", "required": "on"},
    ]
    data = form_data(cycle, materials=rows)
    data["materials-INITIAL_FORMS"] = "2"
    employer_client.post(url, data)

    assert [m.label for m in posting.materials.all()] == ["Writing sample"]
