"""The admin is for staff only, behind allauth's login, and with TOTP when required."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP, User
from tests.cast import record_mfa_in_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_not_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def mfa_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


def test_it_sends_a_visitor_to_the_portal_login_page(client: Client) -> None:
    response = client.get("/admin/", follow=True)

    last_redirect, status = response.redirect_chain[-1]
    url = urlsplit(last_redirect)
    assert status == 302
    assert (url.path, parse_qs(url.query)) == ("/accounts/login/", {"next": ["/admin/"]})
    assert response.status_code == 200
    assert response.resolver_match.url_name == "account_login"


@pytest.mark.usefixtures("mfa_not_required")
def test_it_forbids_the_admin_to_a_signed_in_student(client: Client, student: User) -> None:
    client.force_login(student)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


@pytest.mark.usefixtures("mfa_not_required")
def test_it_forbids_the_admin_to_a_signed_in_employer(client: Client, employer: User) -> None:
    client.force_login(employer)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


@pytest.mark.usefixtures("mfa_not_required")
def test_it_opens_the_admin_to_staff(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "CAPD administration" in response.content.decode()


@pytest.mark.usefixtures("mfa_required")
def test_it_sends_staff_without_totp_to_set_it_up(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_it_tells_staff_without_totp_why_they_were_sent_away(client: Client, staff: User) -> None:
    client.force_login(staff)

    page = client.get("/admin/", follow=True)

    assert page.status_code == 200
    assert "Staff accounts need two-factor authentication" in page.content.decode()


@pytest.mark.usefixtures("mfa_required")
def test_it_sends_a_superuser_without_totp_to_set_it_up(client: Client, superuser: User) -> None:
    client.force_login(superuser)

    response = client.get("/admin/cycles/holiday/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_it_opens_the_admin_to_staff_with_totp(client: Client, staff: User) -> None:
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    record_mfa_in_session(client, staff)  # the code entered at sign-in

    response = client.get("/admin/")

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_it_does_not_ask_students_for_totp_outside_the_admin(client: Client, student: User) -> None:
    client.force_login(student)

    response = client.get(reverse("home"))

    assert response.status_code == 200


# --- what each staff group may do -----------------------------------------------------------------


def group_permission_apps(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("content_type__app_label", flat=True))


def test_it_gives_capd_staff_no_permission_on_immigration_data() -> None:
    ensure_staff_groups()

    apps = group_permission_apps(CAPD_STAFF_GROUP)

    assert "authorization" not in apps
    assert {"accounts", "cycles", "postings"} <= apps


def test_it_gives_iso_advisors_no_permission_on_postings() -> None:
    ensure_staff_groups()

    apps = group_permission_apps(ISO_ADVISORS_GROUP)

    assert "postings" not in apps
    assert "accounts" in apps


def test_it_lets_iso_advisors_only_view_accounts() -> None:
    ensure_staff_groups()

    codenames = Permission.objects.filter(
        group__name=ISO_ADVISORS_GROUP, content_type__app_label="accounts"
    ).values_list("codename", flat=True)

    assert codenames
    assert all(codename.startswith("view_") for codename in codenames)


def test_it_keeps_the_groups_in_step_after_migrations() -> None:
    # post_migrate ran ensure_staff_groups() when pytest-django migrated the test database.
    assert Group.objects.filter(name__in=[CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP]).count() == 2
    assert "authorization" not in group_permission_apps(CAPD_STAFF_GROUP)


def test_it_denies_capd_staff_the_immigration_permissions(staff: User) -> None:
    perms = staff.get_all_permissions()

    assert perms
    assert not any(perm.startswith("authorization.") for perm in perms)


def test_it_denies_iso_advisors_the_postings_permissions(iso_advisor: User) -> None:
    perms = iso_advisor.get_all_permissions()

    assert not any(perm.startswith("postings.") for perm in perms)
