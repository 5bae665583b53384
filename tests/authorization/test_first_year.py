"""The first-year rule refuses an application unless an ISO advisor recorded an exception;
the posting page shows an international student their route."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications import services as applications
from applications.models import Application, NotEligible
from authorization import services
from authorization.models import FirstYearOverride
from authorization.selectors import FIRST_YEAR_REFUSAL
from tests.postings import factories as postings

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(db):
    robotics = postings.FieldOfStudyFactory(name="Mechanical Engineering")
    return postings.PublishedPostingFactory(fields=[robotics], title="Gripper design")


@pytest.fixture
def first_year(intl_student):
    intl_student.immigration_profile.full_time_terms_completed = Decimal("1.5")
    intl_student.immigration_profile.save()
    return intl_student


def test_a_first_year_student_sees_why_they_cannot_apply(client, first_year, posting):
    client.force_login(first_year)
    response = client.get(reverse("applications:apply", args=[posting.pk]))
    assert response.status_code == 403
    assert FIRST_YEAR_REFUSAL in response.content.decode()


def test_the_service_refuses_a_first_year_application(first_year, posting):
    with pytest.raises(NotEligible):
        applications.application_submit(posting=posting, student=first_year)
    assert not Application.objects.exists()


def test_two_full_terms_are_enough_to_apply(client, intl_student, posting):
    intl_student.immigration_profile.full_time_terms_completed = Decimal("2")
    intl_student.immigration_profile.save()
    client.force_login(intl_student)
    assert client.get(reverse("applications:apply", args=[posting.pk])).status_code == 200


def test_a_first_year_student_with_an_iso_exception_may_apply(
    client, first_year, iso_advisor, posting
):
    services.first_year_override_grant(
        student=first_year, advisor=iso_advisor, reason="Transfer credit from a US college."
    )
    client.force_login(first_year)
    assert client.get(reverse("applications:apply", args=[posting.pk])).status_code == 200


def test_only_an_iso_advisor_grants_an_exception(first_year, staff):
    with pytest.raises(PermissionDenied):
        services.first_year_override_grant(student=first_year, advisor=staff, reason="Because.")
    assert not FirstYearOverride.objects.exists()


def test_an_iso_advisor_records_an_exception_in_the_admin(client, first_year, iso_advisor):
    client.force_login(iso_advisor)
    response = client.post(
        reverse("admin:authorization_firstyearoverride_add"),
        {"student": first_year.pk, "reason": "Two terms at a US community college."},
    )
    assert response.status_code == 302
    override = FirstYearOverride.objects.get(student=first_year)
    assert override.granted_by == iso_advisor


def test_capd_staff_cannot_open_the_exceptions_in_the_admin(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:authorization_firstyearoverride_changelist"))
    assert response.status_code == 403


def test_the_posting_page_shows_the_route(client, intl_student, posting):
    client.force_login(intl_student)
    body = client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Work authorization for this micro-internship" in body
    assert "Curricular Practical Training (CPT)" in body
    assert "Check your field of study" not in body


def test_the_posting_page_warns_when_the_field_does_not_match(client, intl_student):
    intl_student.immigration_profile.majors = "History"
    intl_student.immigration_profile.save()
    other = postings.PublishedPostingFactory(
        fields=[postings.FieldOfStudyFactory(name="Chemical Engineering")]
    )
    client.force_login(intl_student)
    body = client.get(reverse("postings:detail", args=[other.pk])).content.decode()
    assert "Authorization requires the work to relate directly to your major" in body


def test_the_apply_page_shows_the_route_too(client, intl_student, posting):
    client.force_login(intl_student)
    body = client.get(reverse("applications:apply", args=[posting.pk])).content.decode()
    assert "Work authorization for this micro-internship" in body
    assert "Curricular Practical Training (CPT)" in body
