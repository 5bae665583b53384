"""allauth's login limits are on: "login_failed": "10/m/ip,5/5m/key" (see settings)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import User
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


def attempt_login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def fail_logins(client: Client, email: str, times: int) -> None:
    for _ in range(times):
        response = attempt_login(client, email, "not-the-password")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()


def test_it_still_accepts_the_right_password_after_four_failures(
    client: Client, student: User
) -> None:
    fail_logins(client, student.email, times=4)

    response = attempt_login(client, student.email, DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_it_refuses_even_the_right_password_after_five_failures(
    client: Client, student: User
) -> None:
    fail_logins(client, student.email, times=5)

    response = attempt_login(client, student.email, DEMO_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_counts_failures_per_address_whatever_its_case(client: Client, student: User) -> None:
    fail_logins(client, student.email.upper(), times=5)

    response = attempt_login(client, student.email, DEMO_PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_out_another_address(
    client: Client, student: User, other_student: User
) -> None:
    fail_logins(client, student.email, times=5)

    response = attempt_login(client, other_student.email, DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_student.pk)
