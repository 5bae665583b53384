"""Staff sessions: with STAFF_MFA_REQUIRED, no staff page (admin or front end) opens until
the second factor was entered in this session, and sensitive admin writes ask for the
password again; staff sessions end when idle."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from authorization.models import AuthorizationCase
from microintern.accounts.middleware import LAST_ACTIVITY_SESSION_KEY
from microintern.accounts.models import ISO_ADVISORS_GROUP, User
from microintern.cycles.models import Holiday
from tests.authorization.helpers import open_case
from tests.cast import record_mfa_in_session
from tests.factories import (
    DEMO_PASSWORD,
    HolidayFactory,
    StaffGroupMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


def with_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def redirect_target(response) -> tuple[str, dict[str, list[str]]]:
    url = urlsplit(response["Location"])
    return url.path, parse_qs(url.query)


@pytest.fixture
def case(intl_student: User) -> AuthorizationCase:
    return open_case(intl_student)


# --- the second factor, in this session -----------------------------------------------------


def test_it_asks_staff_with_totp_for_the_code_before_the_admin(client: Client, staff: User) -> None:
    with_totp(staff)
    client.force_login(staff)  # a session with no second factor in it

    response = client.get("/admin/")

    assert response.status_code == 302
    assert redirect_target(response) == (reverse("mfa_reauthenticate"), {"next": ["/admin/"]})


def test_it_asks_an_iso_advisor_for_the_code_before_an_authorization_case(
    client: Client, iso_advisor: User, case: AuthorizationCase
) -> None:
    with_totp(iso_advisor)
    client.force_login(iso_advisor)

    response = client.get(reverse("authorization:case", args=[case.pk]))

    assert response.status_code == 302
    assert redirect_target(response)[0] == reverse("mfa_reauthenticate")


def test_it_asks_an_iso_advisor_for_the_code_before_a_checklist_document(
    client: Client, iso_advisor: User, case: AuthorizationCase
) -> None:
    with_totp(iso_advisor)
    client.force_login(iso_advisor)
    item = case.items.first()

    response = client.get(reverse("authorization:document", args=[item.pk]))

    assert response.status_code == 302
    assert redirect_target(response)[0] == reverse("mfa_reauthenticate")


def test_it_asks_capd_staff_for_the_code_before_the_funnel(
    client: Client, staff: User, iap_2027
) -> None:
    with_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("admin:cycles_recruitingcycle_funnel", args=[iap_2027.pk]))

    assert response.status_code == 302
    assert redirect_target(response)[0] == reverse("mfa_reauthenticate")


def test_it_asks_staff_for_the_code_on_every_front_end_page_too(
    client: Client, staff: User
) -> None:
    with_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("postings:list"))

    assert response.status_code == 302
    assert redirect_target(response)[0] == reverse("mfa_reauthenticate")


def test_it_sends_staff_without_totp_from_a_front_end_page_to_set_it_up(
    client: Client, iso_advisor: User
) -> None:
    client.force_login(iso_advisor)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_it_asks_a_staff_group_member_without_staff_status_too(client: Client) -> None:
    user = UserFactory(role="staff")
    StaffGroupMembershipFactory(user=user, group_name=ISO_ADVISORS_GROUP)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_it_opens_the_admin_once_the_session_holds_the_second_factor(
    client: Client, staff: User
) -> None:
    with_totp(staff)
    client.force_login(staff)
    record_mfa_in_session(client, staff)

    assert client.get("/admin/").status_code == 200


def test_it_opens_an_authorization_case_to_an_advisor_who_entered_the_code(
    client: Client, iso_advisor: User, case: AuthorizationCase
) -> None:
    with_totp(iso_advisor)
    client.force_login(iso_advisor)
    record_mfa_in_session(client, iso_advisor)

    assert client.get(reverse("authorization:case", args=[case.pk])).status_code == 200


def test_it_opens_the_admin_after_signing_in_with_password_and_code(
    client: Client, staff: User
) -> None:
    secret = with_totp(staff)

    client.post(reverse("account_login"), {"login": staff.email, "password": DEMO_PASSWORD})
    for counter in yield_hotp_counters_from_time():  # any code inside allauth's tolerance
        code = format_hotp_value(hotp_value(secret, counter))
        if client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302:
            break

    assert client.get("/admin/").status_code == 200


def test_it_does_not_count_a_second_factor_recorded_for_another_user(
    client: Client, staff: User, iso_advisor: User
) -> None:
    with_totp(staff)
    client.force_login(staff)
    record_mfa_in_session(client, iso_advisor)

    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("name", ["account_logout", "mfa_activate_totp", "mfa_index", "health"])
def test_it_lets_staff_without_the_code_sign_out_set_up_mfa_and_probe_health(
    client: Client, staff: User, name: str
) -> None:
    client.force_login(staff)

    response = client.get(reverse(name))

    assert response.status_code != 302 or response["Location"] != reverse("mfa_activate_totp")


def test_it_lets_staff_with_totp_open_the_page_that_asks_for_the_code(
    client: Client, staff: User
) -> None:
    with_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("mfa_reauthenticate") + "?next=/admin/")

    assert response.status_code == 200


def test_it_asks_nothing_of_an_employer(client: Client, employer: User) -> None:
    client.force_login(employer)

    assert client.get(reverse("postings:list")).status_code == 200


def test_it_asks_nothing_of_staff_when_the_setting_is_off(
    client: Client, staff: User, settings: Settings
) -> None:
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


# --- idle timeout ---------------------------------------------------------------------------


@pytest.fixture
def signed_in_staff(client: Client, staff: User) -> Client:
    with_totp(staff)
    client.force_login(staff)
    record_mfa_in_session(client, staff)
    return client


def idle_for(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = time.time() - seconds
    session.save()


def test_it_signs_staff_out_after_the_idle_timeout(
    signed_in_staff: Client, settings: Settings
) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    signed_in_staff.get("/admin/")
    idle_for(signed_in_staff, 1801)

    response = signed_in_staff.get("/admin/")

    assert redirect_target(response) == (reverse("account_login"), {"next": ["/admin/"]})
    assert "_auth_user_id" not in signed_in_staff.session


def test_it_tells_staff_why_they_were_signed_out(
    signed_in_staff: Client, settings: Settings
) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    signed_in_staff.get("/admin/")
    idle_for(signed_in_staff, 1801)

    page = signed_in_staff.get("/admin/", follow=True)

    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_it_keeps_an_active_staff_session(signed_in_staff: Client, settings: Settings) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    signed_in_staff.get("/admin/")
    idle_for(signed_in_staff, 1700)

    assert signed_in_staff.get("/admin/").status_code == 200


def test_it_never_times_out_a_students_session_by_the_staff_rule(
    client: Client, student: User, settings: Settings
) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    client.force_login(student)
    idle_for(client, 99999)

    assert client.get(reverse("home")).status_code == 200


# --- re-authentication before sensitive admin writes ----------------------------------------


def holiday_delete_url(holiday) -> str:
    return reverse("admin:cycles_holiday_delete", args=[holiday.pk])


def test_it_asks_for_the_password_again_before_an_admin_delete(signed_in_staff: Client) -> None:
    holiday = HolidayFactory()

    response = signed_in_staff.post(holiday_delete_url(holiday), {"post": "yes"})

    assert redirect_target(response) == (
        reverse("account_reauthenticate"),
        {"next": [holiday_delete_url(holiday)]},
    )
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_it_asks_for_the_password_again_before_a_bulk_admin_action(
    signed_in_staff: Client,
) -> None:
    holiday = HolidayFactory()

    response = signed_in_staff.post(
        reverse("admin:cycles_holiday_changelist"),
        {"action": "delete_selected", "_selected_action": [holiday.pk], "post": "yes"},
    )

    assert redirect_target(response)[0] == reverse("account_reauthenticate")
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_it_replays_the_admin_delete_once_the_password_is_confirmed(
    signed_in_staff: Client,
) -> None:
    holiday = HolidayFactory()
    asked = signed_in_staff.post(holiday_delete_url(holiday), {"post": "yes"})

    signed_in_staff.post(asked["Location"], {"password": DEMO_PASSWORD})

    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def test_it_does_not_ask_again_right_after_a_re_authentication(
    signed_in_staff: Client, staff: User
) -> None:
    holiday = HolidayFactory()
    session = signed_in_staff.session
    session["account_authentication_methods"].append(
        {"method": "password", "at": time.time(), "reauthenticated": True}
    )
    session.save()

    signed_in_staff.post(holiday_delete_url(holiday), {"post": "yes"})

    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def test_it_does_not_ask_again_before_an_ordinary_admin_edit(signed_in_staff: Client) -> None:
    holiday = HolidayFactory()

    response = signed_in_staff.post(
        reverse("admin:cycles_holiday_change", args=[holiday.pk]),
        {"date": holiday.date.isoformat(), "name": "Institute closed (storm)"},
    )

    assert redirect_target(response)[0] == reverse("admin:cycles_holiday_changelist")
    holiday.refresh_from_db()
    assert holiday.name == "Institute closed (storm)"
