"""allauth's account pages in the portal: signed-in devices, two-factor sign-in, and the
sessions' admin. Sign-ins here go through the real sign-in form (allauth records a session
only then; force_login does not)."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from microintern.accounts.templatetags.devices import device_name
from tests.factories import DEMO_PASSWORD, StaffFactory, StudentFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

MAC_CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"


def signed_in(user, user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_it_names_browsers_as_people_know_them():
    assert device_name(MAC_CHROME) == "Chrome on macOS"
    assert device_name(WINDOWS_FIREFOX) == "Firefox on Windows"
    assert device_name("") == "An unknown browser"


def test_the_devices_page_lists_each_sign_in_and_marks_this_browser():
    student = StudentFactory()
    laptop = signed_in(student, MAC_CHROME)
    signed_in(student, WINDOWS_FIREFOX)

    response = laptop.get(reverse("usersessions_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Signed-in devices" in html and 'aria-label="Your account"' in html
    assert "Chrome on macOS" in html and "Firefox on Windows" in html
    assert html.count("This browser") == 1
    assert " EST" in html or " EDT" in html  # sign-in times in Eastern time, with the zone
    assert "Sign out every other browser" in html


def test_signing_out_the_others_ends_their_sessions_and_keeps_this_one():
    student = StudentFactory()
    laptop = signed_in(student, MAC_CHROME)
    lost_phone = signed_in(student, WINDOWS_FIREFOX)

    response = laptop.post(reverse("usersessions_list"), follow=True)

    assert "Every other browser is signed out of your account." in response.content.decode()
    assert UserSession.objects.filter(user=student).count() == 1
    assert laptop.get(reverse("accounts:profile")).status_code == 200
    assert lost_phone.get(reverse("accounts:profile")).status_code == 302  # to the sign-in page


def test_a_get_of_the_devices_page_signs_nobody_out():
    student = StudentFactory()
    laptop = signed_in(student, MAC_CHROME)
    signed_in(student, WINDOWS_FIREFOX)

    laptop.get(reverse("usersessions_list"))

    assert UserSession.objects.filter(user=student).count() == 2


def test_the_account_pages_link_the_devices_page(client):
    client.force_login(StudentFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("usersessions_list")}"' in html


def test_the_two_factor_page_speaks_the_portals_words():
    client = signed_in(StudentFactory(), MAC_CHROME)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Two-factor sign-in" in html and "Set up an authenticator app" in html
    assert "Two-Factor Authentication" not in html  # allauth's stock heading
    assert 'aria-label="Your account"' in html

    # Setting it up asks for the password again first (allauth's reauthentication).
    client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Key, if you cannot scan the code" in html and "Turn on two-factor sign-in" in html


def test_a_superuser_finds_a_persons_sessions_in_the_admin_and_ends_one():
    # allauth's own admin searched user__username, which this user model does not have.
    student = StudentFactory(email="lost.phone@example.edu")
    phone = signed_in(student, WINDOWS_FIREFOX)
    admin = Client()
    admin.force_login(SuperuserFactory())
    session = UserSession.objects.get(user=student)

    listing = admin.get(reverse("admin:usersessions_usersession_changelist"), {"q": "lost.phone"})
    assert listing.status_code == 200 and "lost.phone@example.edu" in listing.content.decode()

    admin.post(reverse("admin:usersessions_usersession_delete", args=[session.pk]), {"post": "yes"})
    assert not UserSession.objects.filter(pk=session.pk).exists()
    assert phone.get(reverse("accounts:profile")).status_code == 302  # signed out


def test_capd_staff_cannot_see_who_is_signed_in_where():
    client = Client()
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:usersessions_usersession_changelist"))
    assert response.status_code == 403
