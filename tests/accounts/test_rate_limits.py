"""allauth's sign-in limits are on (see settings): "login_failed": "10/m/ip,5/5m/key", where the
key is the account together with the client's address, and "login": "30/m/ip".

Wrong passwords slow down whoever types them and nobody else: an attacker without the password
cannot keep the account's owner out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import User
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


ADDRESS_A = "198.51.100.7"  # the attacker's
ADDRESS_B = "203.0.113.40"  # the account's owner, somewhere else


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


def test_it_lets_the_owner_in_from_elsewhere_after_five_failures_from_one_address(
    staff: User,
) -> None:
    fail_logins(Client(REMOTE_ADDR=ADDRESS_A), staff.email, times=5)
    owner = Client(REMOTE_ADDR=ADDRESS_B)

    response = attempt_login(owner, staff.email, DEMO_PASSWORD)

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(staff.pk)


def test_it_keeps_refusing_the_address_that_failed_five_times(staff: User) -> None:
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    fail_logins(attacker, staff.email, times=5)

    response = attempt_login(attacker, staff.email, "another-guess")

    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert "_auth_user_id" not in attacker.session


def test_it_stops_one_address_after_ten_failures_a_minute_across_accounts(
    student: User, other_student: User, staff: User
) -> None:
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    fail_logins(attacker, student.email, times=5)
    fail_logins(attacker, other_student.email, times=5)

    response = attempt_login(attacker, staff.email, "a-first-guess")

    assert response.context["form"].non_field_errors() == [TOO_MANY]


def test_it_does_not_count_another_address_failures_against_the_owner(
    staff: User,
) -> None:
    fail_logins(Client(REMOTE_ADDR=ADDRESS_A), staff.email, times=5)
    owner = Client(REMOTE_ADDR=ADDRESS_B)
    fail_logins(owner, staff.email, times=4)  # the owner's own typos still count

    response = attempt_login(owner, staff.email, DEMO_PASSWORD)

    assert response.status_code == 302


def test_it_answers_429_to_an_address_that_keeps_posting_sign_ins(staff: User) -> None:
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    for _ in range(30):
        attempt_login(attacker, staff.email, "guess")

    response = attempt_login(attacker, staff.email, "guess")

    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
