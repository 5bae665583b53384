"""Where signing in at /accounts/login/ lands: CAPD staff, ISO advisors and MISTI program
managers in the admin, students and employers at home; a safe `next` wins for everybody."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import User
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, user: User, next_url: str = "") -> str:
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("person", ["staff", "iso_advisor", "misti_manager"])
def test_staff_land_in_the_admin(client, request, person):
    assert sign_in(client, request.getfixturevalue(person)) == reverse("admin:index")


@pytest.mark.parametrize("person", ["student", "intl_student", "employer"])
def test_students_and_employers_land_at_home(client, request, person):
    assert sign_in(client, request.getfixturevalue(person)) == reverse("home")


def test_a_staff_account_in_no_staff_group_lands_at_home(client, staff):
    staff.groups.clear()  # staff status alone is not a role
    assert sign_in(client, staff) == reverse("home")


def test_staff_go_back_to_the_page_that_sent_them_to_sign_in(client, iso_advisor):
    assert sign_in(client, iso_advisor, "/authorization/") == "/authorization/"


def test_staff_are_not_sent_to_another_site(client, staff):
    assert sign_in(client, staff, "https://evil.example.com/") == reverse("admin:index")


def test_a_student_goes_back_to_the_page_that_sent_them_to_sign_in(client, student):
    assert sign_in(client, student, "/postings/") == "/postings/"
