"""Email addresses (allauth's /accounts/email/): a student account always keeps a verified
address on an institution domain. Everything else about addresses is allauth's, unchanged."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import Role, User

pytestmark = pytest.mark.django_db

NEEDS_INSTITUTION = (
    "Your account needs your institution address (…@example.edu) to stay a student account."
)
PERSONAL = "maya.chen@gmail.example.com"


def post_email_page(client: Client, action: str, email: str = ""):
    data = {f"action_{action}": "", "email": email}
    return client.post(reverse("account_email"), data, follow=True)


def add_address(client: Client, user: User, email: str, *, verified: bool = True) -> None:
    """Add it through the page; stand in for the click on the confirmation link."""
    post_email_page(client, "add", email)
    EmailAddress.objects.filter(user=user, email=email).update(verified=verified)


def addresses(user: User) -> set[str]:
    return set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def signed_in_student(client: Client, student: User) -> Client:
    client.force_login(student)
    return client


def test_it_lets_a_student_make_a_personal_address_primary(
    signed_in_student: Client, student: User
) -> None:
    add_address(signed_in_student, student, PERSONAL)

    post_email_page(signed_in_student, "primary", PERSONAL)

    assert EmailAddress.objects.get(user=student, primary=True).email == PERSONAL
    assert addresses(student) == {student.email, PERSONAL}


def test_it_refuses_to_remove_the_last_institution_address(
    signed_in_student: Client, student: User
) -> None:
    institution = student.email
    add_address(signed_in_student, student, PERSONAL)
    post_email_page(signed_in_student, "primary", PERSONAL)

    response = post_email_page(signed_in_student, "remove", institution)

    assert NEEDS_INSTITUTION in " ".join(shown_messages(response))
    assert addresses(student) == {institution, PERSONAL}
    assert EmailAddress.objects.get(user=student, email=institution).verified


def test_it_keeps_the_account_a_student_account(signed_in_student: Client, student: User) -> None:
    institution = student.email
    add_address(signed_in_student, student, PERSONAL)
    post_email_page(signed_in_student, "primary", PERSONAL)

    post_email_page(signed_in_student, "remove", institution)

    student.refresh_from_db()
    assert student.role == Role.STUDENT


def test_it_does_not_count_an_unverified_institution_address(
    signed_in_student: Client, student: User
) -> None:
    institution = student.email
    add_address(signed_in_student, student, PERSONAL)
    add_address(signed_in_student, student, "maya@cs.example.edu", verified=False)
    post_email_page(signed_in_student, "primary", PERSONAL)

    response = post_email_page(signed_in_student, "remove", institution)

    assert NEEDS_INSTITUTION in " ".join(shown_messages(response))
    assert institution in addresses(student)


def test_it_lets_a_student_remove_one_of_two_verified_institution_addresses(
    signed_in_student: Client, student: User
) -> None:
    institution = student.email
    add_address(signed_in_student, student, "maya@cs.example.edu")  # a subdomain counts
    post_email_page(signed_in_student, "primary", "maya@cs.example.edu")

    post_email_page(signed_in_student, "remove", institution)

    assert addresses(student) == {"maya@cs.example.edu"}


def test_it_lets_a_student_remove_a_personal_address(
    signed_in_student: Client, student: User
) -> None:
    add_address(signed_in_student, student, PERSONAL)

    post_email_page(signed_in_student, "remove", PERSONAL)

    assert addresses(student) == {student.email}


def test_it_leaves_an_employer_free_to_remove_any_address_but_the_primary(
    client: Client, employer: User
) -> None:
    client.force_login(employer)
    add_address(client, employer, "dana@example.edu")

    post_email_page(client, "remove", "dana@example.edu")

    assert addresses(employer) == {employer.email}


def test_it_still_refuses_to_remove_the_primary_address_with_allauth_s_message(
    signed_in_student: Client, student: User
) -> None:
    add_address(signed_in_student, student, PERSONAL)
    post_email_page(signed_in_student, "primary", PERSONAL)

    response = post_email_page(signed_in_student, "remove", PERSONAL)

    assert "You cannot remove your primary email address" in " ".join(shown_messages(response))
    assert NEEDS_INSTITUTION not in " ".join(shown_messages(response))
    assert addresses(student) == {student.email, PERSONAL}
