"""Issue 11, least privilege: only superusers manage staff accounts, groups, permissions and
passwords. Each test signs in as a member of the real group (the factories put them there),
never as a superuser unless the test is about superusers."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import (
    CAPD_STAFF_GROUP,
    ISO_ADVISORS_GROUP,
    MISTI_MANAGERS_GROUP,
    User,
)
from tests.factories import MISTIManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_not_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = False


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def password_url(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def escalation(user: User, **extra: object) -> dict[str, object]:
    """The user's own change form, with superuser status and the ISO group slipped in."""
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=ISO_ADVISORS_GROUP).pk],
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:5]),
        **extra,
    }


def access_of(user: User) -> tuple[bool, bool, set[str], int]:
    user = User.objects.get(pk=user.pk)
    names = set(user.groups.values_list("name", flat=True))
    return user.is_staff, user.is_superuser, names, user.user_permissions.count()


def test_it_refuses_capd_staff_who_post_superuser_status_to_their_own_page(
    client: Client, staff: User
) -> None:
    client.force_login(staff)

    response = client.post(change_url(staff), escalation(staff))

    assert response.status_code == 403
    assert access_of(staff) == (True, False, {CAPD_STAFF_GROUP}, 0)


def test_it_ignores_superuser_status_and_groups_capd_staff_post_for_a_student(
    client: Client, staff: User, student: User
) -> None:
    client.force_login(staff)

    response = client.post(change_url(student), escalation(student, full_name="Maya C."))

    assert response.status_code == 302  # the rest of the form is saved
    assert User.objects.get(pk=student.pk).full_name == "Maya C."
    assert access_of(student) == (False, False, set(), 0)


def test_it_refuses_capd_staff_any_change_to_another_staff_account(
    client: Client, staff: User, iso_advisor: User
) -> None:
    client.force_login(staff)

    response = client.post(
        change_url(iso_advisor), escalation(iso_advisor, email="mine@example.edu")
    )

    assert response.status_code == 403
    assert User.objects.get(pk=iso_advisor.pk).email == iso_advisor.email


def test_it_shows_capd_staff_the_access_fields_read_only_and_no_password_link(
    client: Client, staff: User, student: User
) -> None:
    client.force_login(staff)

    body = client.get(change_url(student)).content.decode()

    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in body
    assert password_url(student) not in body
    assert "../password/" not in body


@pytest.mark.parametrize("whose", ["iso_advisor", "student", "staff"])
def test_it_closes_the_admin_password_form_to_capd_staff(
    client: Client, staff: User, whose: str, request: pytest.FixtureRequest
) -> None:
    target = request.getfixturevalue(whose)
    client.force_login(staff)

    page = client.get(password_url(target))
    posted = client.post(
        password_url(target), {"password1": "taken-over-123", "password2": "taken-over-123"}
    )

    assert (page.status_code, posted.status_code) == (403, 403)
    assert not User.objects.get(pk=target.pk).check_password("taken-over-123")


def test_it_does_not_let_capd_staff_add_an_account_with_staff_rights(
    client: Client, staff: User
) -> None:
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "helper@example.edu",
            "full_name": "New Helper",
            "role": "student",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
            "usable_password": "true",
            **{k: v for k, v in escalation(staff).items() if k.startswith(("is_", "gr"))},
        },
    )

    assert response.status_code == 302
    assert access_of(User.objects.get(email="helper@example.edu")) == (False, False, set(), 0)


@pytest.mark.parametrize("whose", ["student", "iso_advisor"])
def test_it_does_not_let_capd_staff_delete_accounts(
    client: Client, staff: User, whose: str, request: pytest.FixtureRequest
) -> None:
    target = request.getfixturevalue(whose)
    client.force_login(staff)

    page = client.get(reverse("admin:accounts_user_delete", args=[target.pk]))
    posted = client.post(reverse("admin:accounts_user_delete", args=[target.pk]), {"post": "yes"})
    listing = client.get(reverse("admin:accounts_user_changelist"))

    assert (page.status_code, posted.status_code) == (403, 403)
    assert User.objects.filter(pk=target.pk).exists()
    assert "delete_selected" not in listing.content.decode()


def test_it_keeps_the_groups_admin_from_capd_staff(client: Client, staff: User) -> None:
    group = Group.objects.get(name=CAPD_STAFF_GROUP)
    client.force_login(staff)

    listing = client.get(reverse("admin:auth_group_changelist"))
    change = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": CAPD_STAFF_GROUP, "permissions": list(Permission.objects.values_list("pk"))},
    )
    index = client.get(reverse("admin:index")).content.decode()

    assert (listing.status_code, change.status_code) == (403, 403)
    assert reverse("admin:auth_group_changelist") not in index


def test_it_grants_no_group_a_permission_that_grants_more() -> None:
    groups = ensure_staff_groups()

    labels = set(
        Permission.objects.filter(group__in=groups.values()).values_list(
            "content_type__app_label", flat=True
        )
    )

    assert labels.isdisjoint({"auth", "admin", "sessions", "contenttypes", "mfa", "usersessions"})


def test_it_keeps_a_students_login_address_from_capd_staff(
    client: Client, staff: User, student: User
) -> None:
    # Whoever sets the address can reset the password and read the student's own data.
    client.force_login(staff)

    response = client.post(change_url(student), escalation(student, email="capd@example.edu"))

    assert response.status_code == 302
    assert User.objects.get(pk=student.pk).email == student.email


def test_it_refuses_capd_staff_an_email_address_pointed_at_a_staff_account(
    client: Client, staff: User, student: User, superuser: User
) -> None:
    address = EmailAddress.objects.get(user=student)
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    client.force_login(staff)

    response = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"email": "capd-owned@example.edu", "user": superuser.pk, "verified": "on"},
    )

    address.refresh_from_db()
    assert response.status_code == 302  # "verified" is theirs to set
    assert (address.user, address.email, address.verified) == (student, student.email, True)


def test_it_refuses_capd_staff_changes_to_a_staff_accounts_email_address(
    client: Client, staff: User, superuser: User
) -> None:
    address = EmailAddress.objects.get(user=superuser)
    client.force_login(staff)

    response = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"email": "capd-owned@example.edu", "user": superuser.pk, "verified": "on"},
    )

    assert response.status_code == 403
    assert EmailAddress.objects.get(pk=address.pk).email == superuser.email


def test_it_leaves_adding_and_deleting_email_addresses_to_superusers(
    client: Client, staff: User, student: User
) -> None:
    address = EmailAddress.objects.get(user=student)
    client.force_login(staff)

    add = client.post(
        reverse("admin:account_emailaddress_add"),
        {"email": "second@example.edu", "user": student.pk, "verified": "on"},
    )
    delete = client.post(
        reverse("admin:account_emailaddress_delete", args=[address.pk]), {"post": "yes"}
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(EmailAddress.objects.filter(user=student)) == [address]


def test_it_keeps_misti_managers_out_of_the_user_admin(client: Client) -> None:
    manager = MISTIManagerFactory()
    client.force_login(manager)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert set(manager.groups.values_list("name", flat=True)) == {MISTI_MANAGERS_GROUP}
    assert response.status_code == 403


# --- what superusers still do ---------------------------------------------------------------


def test_it_lets_a_superuser_grant_superuser_status_and_groups(
    client: Client, superuser: User, student: User
) -> None:
    client.force_login(superuser)

    response = client.post(change_url(student), escalation(student))

    assert response.status_code == 302
    staff, is_superuser, groups, permissions = access_of(student)
    assert (staff, is_superuser, groups) == (True, True, {ISO_ADVISORS_GROUP})
    assert permissions == 5


def test_it_lets_a_superuser_set_anybodys_password(
    client: Client, superuser: User, iso_advisor: User
) -> None:
    client.force_login(superuser)

    page = client.get(password_url(iso_advisor))
    posted = client.post(
        password_url(iso_advisor),
        {
            "password1": "a-new-password-7",
            "password2": "a-new-password-7",
            "usable_password": "true",
        },
    )

    assert page.status_code == 200
    assert posted.status_code == 302
    assert User.objects.get(pk=iso_advisor.pk).check_password("a-new-password-7")


def test_it_lets_a_superuser_manage_groups(client: Client, superuser: User) -> None:
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_group_changelist"))

    assert response.status_code == 200
    assert ISO_ADVISORS_GROUP in response.content.decode()
