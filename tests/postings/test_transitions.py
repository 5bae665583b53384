"""The transition map, and every service that moves a posting through it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from microintern.notifications.models import Notification
from postings import services
from postings.models import (
    ALLOWED_TRANSITIONS,
    InvalidTransition,
    PostingError,
    PostingStatus,
    PostingStatusChange,
    PublishRefused,
)
from tests.postings import factories

S = PostingStatus
ALL_PAIRS = list(itertools.permutations(S.values, 2))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_TRANSITIONS[a]]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_it_allows_each_transition_in_the_map(cycle, from_status, to_status):
    posting = factories.PostingFactory.build(status=from_status, cycle=cycle)
    posting.ensure_can_transition(to_status)  # does not raise


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_it_refuses_each_transition_outside_the_map(cycle, from_status, to_status):
    posting = factories.PostingFactory.build(status=from_status, cycle=cycle)
    with pytest.raises(InvalidTransition):
        posting.ensure_can_transition(to_status)


def test_it_keeps_rejected_and_closed_final():
    assert ALLOWED_TRANSITIONS[S.REJECTED] == frozenset()
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()


def test_it_submits_a_draft(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    services.posting_submit(posting=posting, by=employer)
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED
    assert posting.submitted_at is not None


def test_it_records_who_submitted(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    services.posting_submit(posting=posting, by=employer)
    change = PostingStatusChange.objects.get(posting=posting)
    assert (change.from_status, change.to_status, change.by) == (S.DRAFT, S.SUBMITTED, employer)


def test_it_resubmits_after_changes_were_requested(cycle, employer, org_a):
    posting = factories.ChangesRequestedPostingFactory(organization=org_a)
    services.posting_submit(posting=posting, by=employer)
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED


def test_it_refuses_to_submit_another_organizations_posting(cycle, other_employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.posting_submit(posting=posting, by=other_employer)


def test_it_refuses_to_submit_a_rejected_posting(cycle, employer, org_a):
    posting = factories.RejectedPostingFactory(organization=org_a)
    with pytest.raises(InvalidTransition):
        services.posting_submit(posting=posting, by=employer)
    posting.refresh_from_db()
    assert posting.status == S.REJECTED
    assert not PostingStatusChange.objects.filter(posting=posting).exists()


def test_it_approves_a_submitted_posting(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    services.posting_approve(posting=posting, by=staff, comment="Looks good.")
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED
    assert posting.published_at is not None


def test_it_tells_the_employer_the_posting_was_approved(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    services.posting_approve(posting=posting, by=staff)
    notification = Notification.objects.get(kind="posting_approved")
    assert notification.recipient == employer
    assert posting.title in notification.subject


def test_it_refuses_to_approve_a_draft(cycle, staff, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    with pytest.raises(InvalidTransition):
        services.posting_approve(posting=posting, by=staff)
    posting.refresh_from_db()
    assert posting.status == S.DRAFT
    assert not Notification.objects.exists()


def test_it_refuses_approval_by_an_employer(cycle, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.posting_approve(posting=posting, by=employer)


def test_it_refuses_to_publish_for_an_unverified_organization(cycle, staff):
    posting = factories.SubmittedPostingFactory(organization__verified=False)
    with pytest.raises(PublishRefused, match="not verified"):
        services.posting_approve(posting=posting, by=staff)
    posting.refresh_from_db()
    assert posting.status == S.SUBMITTED


def test_it_refuses_to_publish_an_unpaid_posting_without_the_unpaid_decision(cycle, staff, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    with pytest.raises(PublishRefused, match="unpaid"):
        services.posting_approve(posting=posting, by=staff)
    posting.refresh_from_db()
    assert (posting.status, posting.unpaid_approved) == (S.SUBMITTED, False)


def test_it_publishes_an_unpaid_posting_when_staff_approve_it_unpaid(cycle, staff, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    services.posting_approve(posting=posting, by=staff, unpaid_approved=True)
    posting.refresh_from_db()
    assert (posting.status, posting.unpaid_approved) == (S.PUBLISHED, True)


def test_it_refuses_to_publish_after_the_deadline(cycle, staff, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    posting.__class__.objects.filter(pk=posting.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(PublishRefused, match="deadline"):
        services.posting_approve(posting=posting, by=staff)


def test_it_requests_changes_with_the_staff_comment(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    services.posting_request_changes(posting=posting, by=staff, comment="Add the hours.")
    posting.refresh_from_db()
    assert posting.status == S.CHANGES_REQUESTED
    assert posting.status_changes.last().comment == "Add the hours."
    assert Notification.objects.get(kind="posting_changes_requested").recipient == employer


def test_it_refuses_a_change_request_without_a_comment(cycle, staff, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    with pytest.raises(services.ValidationError):
        services.posting_request_changes(posting=posting, by=staff, comment="  ")


def test_it_rejects_with_a_reason(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    services.posting_reject(posting=posting, by=staff, comment="Not a micro-internship.")
    posting.refresh_from_db()
    assert posting.status == S.REJECTED
    assert Notification.objects.get(kind="posting_rejected").recipient == employer


def test_it_refuses_to_reject_a_published_posting(cycle, staff, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    with pytest.raises(InvalidTransition):
        services.posting_reject(posting=posting, by=staff, comment="No.")
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


def test_it_closes_a_filled_posting(cycle, employer, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    services.posting_close(posting=posting, by=employer)
    posting.refresh_from_db()
    assert (posting.status, posting.close_reason) == (S.CLOSED, "filled")


def test_it_refuses_to_close_a_draft_as_filled(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    with pytest.raises(PostingError):
        services.posting_close(posting=posting, by=employer)


@pytest.mark.parametrize(
    "factory",
    [
        factories.DraftPostingFactory,
        factories.SubmittedPostingFactory,
        factories.ChangesRequestedPostingFactory,
        factories.PublishedPostingFactory,
    ],
)
def test_it_lets_the_employer_withdraw_an_open_posting(cycle, employer, org_a, factory):
    posting = factory(organization=org_a)
    services.posting_withdraw(posting=posting, by=employer)
    posting.refresh_from_db()
    assert (posting.status, posting.close_reason) == (S.CLOSED, "withdrawn")


def test_it_refuses_to_withdraw_a_closed_posting(cycle, employer, org_a):
    posting = factories.ClosedPostingFactory(organization=org_a)
    with pytest.raises(InvalidTransition):
        services.posting_withdraw(posting=posting, by=employer)


def test_it_sends_an_edited_published_posting_back_to_review(cycle, employer, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    services.posting_update(posting=posting, by=employer, values={"hours_per_week": 20})
    posting.refresh_from_db()
    assert (posting.status, posting.hours_per_week) == (S.SUBMITTED, 20)


def test_it_keeps_a_draft_a_draft_when_edited(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    services.posting_update(posting=posting, by=employer, values={"title": "New title"})
    posting.refresh_from_db()
    assert (posting.status, posting.title) == (S.DRAFT, "New title")


def test_it_refuses_to_edit_a_rejected_posting(cycle, employer, org_a):
    posting = factories.RejectedPostingFactory(organization=org_a)
    with pytest.raises(services.PostingNotEditable):
        services.posting_update(posting=posting, by=employer, values={"title": "Again"})


def test_it_closes_published_postings_past_their_deadline(cycle, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    later = posting.deadline + dt.timedelta(minutes=1)
    assert services.postings_close_expired(now=later) == 1
    posting.refresh_from_db()
    assert (posting.status, posting.close_reason) == (S.CLOSED, "deadline")


def test_it_closes_an_expired_posting_only_once(cycle, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    later = posting.deadline + dt.timedelta(minutes=1)
    services.postings_close_expired(now=later)
    assert services.postings_close_expired(now=later) == 0
    assert posting.status_changes.filter(to_status=S.CLOSED).count() == 1


def test_it_leaves_open_and_unpublished_postings_to_the_sweep(cycle, org_a):
    factories.PublishedPostingFactory(organization=org_a)
    draft = factories.DraftPostingFactory(organization=org_a)
    draft.__class__.objects.filter(pk=draft.pk).update(
        deadline=timezone.now() - dt.timedelta(days=1)
    )
    assert services.postings_close_expired() == 0


def test_it_runs_the_sweep_from_the_celery_task(cycle, org_a):
    from postings.tasks import close_expired

    posting = factories.PublishedPostingFactory(organization=org_a)
    posting.__class__.objects.filter(pk=posting.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assert close_expired.apply().get() == 1


def test_it_schedules_the_sweep_every_five_minutes():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="postings.close_expired")
    assert (task.interval.every, task.interval.period) == (5, "minutes")


def test_it_asks_staff_again_about_an_unpaid_posting_edited_after_publication(
    cycle, employer, org_a
):
    posting = factories.PublishedPostingFactory(
        organization=org_a, is_paid=False, pay_amount=None, unpaid_approved=True
    )
    services.posting_update(posting=posting, by=employer, values={"hours_per_week": 8})
    posting.refresh_from_db()
    assert (posting.status, posting.unpaid_approved) == (S.SUBMITTED, False)


def test_it_renders_the_employers_email_with_the_staff_comment(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=employer)
    services.posting_request_changes(posting=posting, by=staff, comment="Add the weekly hours.")
    notification = Notification.objects.get(kind="posting_changes_requested")
    assert notification.email_state == "pending"
    assert "Add the weekly hours." in notification.body_text
    assert "Add the weekly hours." in notification.body_html
    assert notification.url.endswith(f"/postings/{posting.pk}/")


def test_it_notifies_an_owner_when_the_author_has_left(cycle, staff, employer, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a, created_by=None)
    services.posting_reject(posting=posting, by=staff, comment="Duplicate posting.")
    assert Notification.objects.get(kind="posting_rejected").recipient == employer
