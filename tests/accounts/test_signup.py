"""Signing up: students with an institution address, employers with a new organization.

Every account must confirm its email address before it can sign in.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import Role, StudentProfile, User
from microintern.notifications.services import outbox_sweep
from postings.models import Membership, Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-Battery-42"
VERIFY_PAGE = "/accounts/confirm-email/"


def signup(client: Client, **fields: str):
    data = {
        "role": Role.STUDENT,
        "full_name": "Maya Chen",
        "email": "maya@example.edu",
        "organization_name": "",
        "organization_website": "https://robotics.example.com",  # employers give it
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    response = client.post(reverse("account_signup"), data)
    # allauth's emails go through the outbox: deliver what the worker would.
    outbox_sweep()
    return response


def confirmation_path(message: EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, f"no confirmation link in: {message.body}"
    return match.group(1)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- students ---------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["maya@example.edu", "maya@cs.example.edu"])
def test_it_sends_a_student_with_an_institution_address_to_verify_it(
    client: Client, mailoutbox: list[EmailMessage], email: str
) -> None:
    response = signup(client, email=email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [email]
    assert "Confirm Your Email Address" in mailoutbox[0].subject
    assert confirmation_path(mailoutbox[0]).startswith(VERIFY_PAGE)


def test_it_shows_the_verify_your_email_page_after_signup(client: Client) -> None:
    response = signup(client)

    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "verify your email" in page.content.decode().lower()


def test_it_creates_the_student_with_a_profile_and_an_unverified_address(client: Client) -> None:
    signup(client, email="Maya@CS.Example.edu", full_name="Maya Chen")

    user = User.objects.get()
    assert user.email == "maya@cs.example.edu"
    assert user.full_name == "Maya Chen"
    assert user.role == Role.STUDENT
    assert StudentProfile.objects.filter(user=user).exists()
    assert not Membership.objects.exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email.lower(), address.verified, address.primary) == (
        "maya@cs.example.edu",
        False,
        True,
    )


def test_it_does_not_sign_the_student_in_before_verification(client: Client) -> None:
    signup(client)

    assert signed_in_user_id(client) is None


def test_it_sends_an_unverified_student_who_signs_in_to_the_verify_page(
    client: Client,
) -> None:
    signup(client)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "maya@example.edu", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None


def test_it_shows_a_confirm_button_on_the_emailed_link_without_verifying_yet(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    signup(client)

    page = client.get(confirmation_path(mailoutbox[0]))

    assert page.status_code == 200
    assert re.search(
        r'<button[^>]*type="submit"[^>]*>\s*Confirm\s*</button>', page.content.decode()
    )
    assert not EmailAddress.objects.get(email="maya@example.edu").verified


def test_it_verifies_the_address_and_signs_the_student_in_on_confirmation(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    signup(client)
    link = confirmation_path(mailoutbox[0])
    client.get(link)

    response = client.post(link)

    user = User.objects.get(email="maya@example.edu")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(client) == str(user.pk)
    home = client.get(reverse("home"))
    assert "Welcome, Maya" in home.content.decode()


@pytest.mark.parametrize(
    "email",
    ["maya@gmail.com", "maya@notexample.edu", "maya@example.edu.attacker.com"],
)
def test_it_refuses_a_student_without_an_institution_address(
    client: Client, mailoutbox: list[EmailMessage], email: str
) -> None:
    response = signup(client, email=email)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Students sign up with their institution address (ending in example.edu)."
    ]
    assert "Students sign up with their institution address" in response.content.decode()
    assert not User.objects.exists()
    assert mailoutbox == []


def test_it_creates_no_second_account_for_a_taken_address(
    client: Client, student: User, mailoutbox: list[EmailMessage]
) -> None:
    response = signup(client, email=student.email.upper(), full_name="Someone Else")

    # The same answer as for a new address, so that sign-up does not reveal who has an
    # account; the owner of the address is told by email instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=student.email).count() == 1
    assert User.objects.get(email=student.email).full_name == "Maya Chen"
    assert [m.to for m in mailoutbox] == [[student.email]]
    assert "Account Already Exists" in mailoutbox[0].subject


# --- employers --------------------------------------------------------------------------------


def test_it_creates_an_unverified_organization_owned_by_the_employer(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = signup(
        client,
        role=Role.EMPLOYER,
        full_name="Dana Whitfield",
        email="dana@robotics.example.com",
        organization_name="  Kendall   Robotics ",
    )

    assert response.status_code == 302
    user = User.objects.get()
    assert user.role == Role.EMPLOYER
    assert not StudentProfile.objects.filter(user=user).exists()
    organization = Organization.objects.get()
    assert organization.name == "Kendall Robotics"
    assert organization.email_domain == "robotics.example.com"
    assert organization.website == "https://robotics.example.com"
    assert organization.mismatched_domains() == []  # the domain check means something
    assert organization.verified is False
    membership = Membership.objects.get()
    assert (membership.user, membership.organization, membership.role) == (
        user,
        organization,
        Membership.Role.OWNER,
    )
    assert mailoutbox[0].to == ["dana@robotics.example.com"]


def test_it_requires_an_employer_to_name_the_organization(client: Client) -> None:
    response = signup(
        client, role=Role.EMPLOYER, email="dana@robotics.example.com", organization_name="   "
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organization_name"] == [
        "Tell us the name of your organization."
    ]
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_it_creates_no_organization_for_an_address_that_has_an_account(
    client: Client, employer: User
) -> None:
    signup(
        client,
        role=Role.EMPLOYER,
        email=employer.email,
        organization_name="Brand New Ventures",
    )

    assert not Organization.objects.filter(name="Brand New Ventures").exists()
    assert Membership.objects.get(user=employer).organization.name == "Kendall Robotics Test"


def test_it_refuses_the_name_of_an_existing_organization_whatever_its_case(
    client: Client,
) -> None:
    OrganizationFactory(name="Kendall Robotics")

    response = signup(
        client,
        role=Role.EMPLOYER,
        email="intruder@elsewhere.example.com",
        organization_name="kendall ROBOTICS",
    )

    assert response.status_code == 200
    assert "This organization already has an account" in response.content.decode()
    assert not User.objects.exists()
    assert Organization.objects.count() == 1
    assert not Membership.objects.exists()


def test_two_employers_creating_the_same_organization_at_once_get_a_form_error_not_a_500(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both sign-ups pass the name check before either saves (simulated by letting the check
    miss the other's row); the unique index stops the second, which sees a clear message."""
    from postings.services import organizations

    first = OrganizationFactory(name="Kendall Robotics")
    monkeypatch.setattr("microintern.portal.forms.organization_name_taken", lambda name: False)
    monkeypatch.setattr(organizations, "organization_name_taken", lambda name: False)

    response = signup(
        client,
        role=Role.EMPLOYER,
        email="second@kendall.example.com",
        organization_name="Kendall Robotics",
    )

    assert response.status_code == 200
    assert "This organization already has an account" in response.content.decode()
    assert not User.objects.exists()
    assert list(Organization.objects.all()) == [first]
    assert not Membership.objects.exists()
    assert signed_in_user_id(client) is None


def test_a_new_organization_needs_its_website(client: Client) -> None:
    response = signup(
        client,
        role=Role.EMPLOYER,
        email="dana@robotics.example.com",
        organization_name="Kendall Robotics",
        organization_website="",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organization_website"] == [
        "Give your organization's website: CAPD checks your email address against it."
    ]
    assert not User.objects.exists() and not Organization.objects.exists()
