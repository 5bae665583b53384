"""The booking page, my appointments and the admin's appointment list cost the same number
of queries with a few rows as with many (every list is paginated and joined)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microintern.advising.models import Topic
from tests.advising import factories
from tests.applications import factories as application_factories
from tests.factories import StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db


def grow(student, count: int) -> None:
    """`count` more advisers, each with slots, and the student's past appointments and
    applications (with interviews) to choose from."""
    for n in range(count):
        adviser = StaffFactory()
        for hour in (10, 11, 14):
            factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(2 + n, hour))
        factories.HeldAppointmentFactory(student=student, slot__adviser=adviser)
        factories.BookedAppointmentFactory(
            student=StudentFactory(),
            slot=factories.AdvisingSlotFactory(
                adviser=adviser, start=factories.days_ahead(2 + n, 9)
            ),
        )
        application = application_factories.InterviewingApplicationFactory(student=student)
        application_factories.InterviewFactory(application=application)


def count(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("advising:book", {"topic": Topic.INTERVIEW_PREPARATION}),
        ("advising:book", {"topic": Topic.APPLICATION_REVIEW, "format": "video"}),
        ("advising:mine", {}),
        ("home", {}),
    ],
)
def test_the_students_pages_cost_the_same_for_few_rows_or_many(client, student, name, params):
    client.force_login(student)
    grow(student, 2)
    url = reverse(name)
    count(client, url, params)  # the first page of a session also loads what it caches
    few = count(client, url, params)
    grow(student, 12)
    assert count(client, url, params) == few


def test_the_admin_list_costs_the_same_for_few_rows_or_many(client, staff, student, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff)
    url = reverse("admin:advising_appointment_changelist")
    grow(student, 2)
    count(client, url)
    few = count(client, url)
    grow(student, 12)
    assert count(client, url) == few
    # The adviser's week, filtered: the same.
    assert count(client, url, {"mine": "1", "when": "week"}) <= few + 1


def test_the_admin_slot_list_costs_the_same_for_few_rows_or_many(client, staff, student, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff)
    url = reverse("admin:advising_advisingslot_changelist")
    grow(student, 2)
    count(client, url)
    few = count(client, url)
    grow(student, 12)
    assert count(client, url) == few


def test_the_detail_page_costs_the_same_with_more_open_times(client, student, staff):
    client.force_login(student)
    appointment = factories.BookedAppointmentFactory(student=student, slot__adviser=staff)
    url = reverse("advising:detail", args=[appointment.pk])
    count(client, url)
    few = count(client, url)
    for n in range(20):
        factories.AdvisingSlotFactory(
            adviser=staff, start=factories.days_ahead(8) + dt.timedelta(hours=n)
        )
    assert count(client, url) == few
