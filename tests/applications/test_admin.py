"""The staff's admin: lists with filters, the history inline, status read-only, and the
"not selected" action through the service with a confirmation page."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from applications.models import ApplicationStatus
from tests.applications import factories


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_it_lists_applications_with_filters(staff_client, application):
    from tests.factories import PastRecruitingCycleFactory

    # A second cycle with an application: the cycle filter shows once there is a choice.
    factories.ApplicationFactory(posting__cycle=PastRecruitingCycleFactory())
    response = staff_client.get(reverse("admin:applications_application_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert application.posting.title in html
    for label in ("By status", "By cycle", "organization", "posting"):
        assert label in html


def test_it_filters_by_status(staff_client, application, posting):
    factories.HiredApplicationFactory(posting=posting, student__full_name="Hana Hired")
    url = reverse("admin:applications_application_changelist")
    html = staff_client.get(url, {"status__exact": "hired"}).content.decode()
    assert "Hana Hired" in html and str(application.student) not in html


def test_it_shows_the_history_inline_and_the_status_read_only(staff_client, application):
    factories.StatusChangeFactory(application=application)
    url = reverse("admin:applications_application_change", args=[application.pk])
    html = staff_client.get(url).content.decode()
    assert "status change" in html.lower()
    assert 'name="status"' not in html


def test_it_closes_as_not_selected_after_confirmation(staff_client, application):
    url = reverse("admin:applications_application_changelist")
    data = {"action": "mark_not_selected", ACTION_CHECKBOX_NAME: [application.pk]}
    confirm = staff_client.post(url, data)
    assert "Close as not selected" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    staff_client.post(url, {**data, "confirm": "yes", "message": "Posting cancelled"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_SELECTED
    assert application.status_changes.get().message_to_student == "Posting cancelled"


def test_it_lists_interviews(staff_client, posting):
    interview = factories.InterviewFactory(application__posting=posting)
    html = staff_client.get(reverse("admin:applications_interview_changelist")).content.decode()
    assert str(interview.application) in html or interview.application.student.full_name in html
