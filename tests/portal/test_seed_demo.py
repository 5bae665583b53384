"""`manage.py seed_demo`: the five demo logins and a current cycle, however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP, Role, User
from microintern.cycles.models import RecruitingCycle
from postings.models import Membership, Organization

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "microintern-demo"
NEW_YORK = ZoneInfo("America/New_York")
DEMO_LOGINS = [
    "student@example.edu",
    "intl-student@example.edu",
    "employer@example.com",
    "staff@example.edu",
    "iso@example.edu",
]


@pytest.fixture(autouse=True)
def _development(settings) -> None:
    # seed_demo is a development command; pytest runs Django with DEBUG off.
    settings.DEBUG = True


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "users": sorted(User.objects.values_list("email", "role", "is_staff")),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "organizations": list(Organization.objects.values_list("name", flat=True)),
        "memberships": list(Membership.objects.values_list("user__email", "role")),
        "cycles": list(RecruitingCycle.objects.values_list("name", "is_current")),
        "groups": sorted(User.groups.through.objects.values_list("user__email", "group__name")),
    }


def test_it_reports_what_it_created() -> None:
    out = seed()

    assert out.startswith("Demo data created: current cycle, ")
    for created in ["student", "international student", "employer", "staff", "ISO advisor"]:
        assert f", {created}," in out


def test_it_changes_nothing_when_run_again() -> None:
    seed()
    first = snapshot()

    out = seed()

    assert snapshot() == first
    assert out.strip() == "Demo data already present."


def test_it_creates_the_five_demo_logins_with_verified_addresses() -> None:
    seed()

    # Later seeds add more people (other applicants); the five logins are always there.
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("email", flat=True))
    assert set(DEMO_LOGINS) <= set(
        EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)
    )


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_it_lets_each_demo_login_sign_in_with_the_demo_password(client: Client, email: str) -> None:
    seed()

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    # CAPD staff and the ISO advisor work in the admin; students and employers start at home.
    staff = email in {"staff@example.edu", "iso@example.edu"}
    assert response["Location"] == reverse("admin:index" if staff else "home")
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_it_makes_the_staff_login_staff_but_not_superuser() -> None:
    seed()

    staff = User.objects.get(email="staff@example.edu")
    assert staff.is_staff
    assert not staff.is_superuser
    assert staff.role == Role.STAFF
    assert staff.in_group(CAPD_STAFF_GROUP)
    assert not staff.in_group(ISO_ADVISORS_GROUP)


def test_it_puts_the_iso_login_in_the_iso_advisors_group() -> None:
    seed()

    iso = User.objects.get(email="iso@example.edu")
    assert iso.is_iso_advisor
    assert not iso.is_superuser
    assert list(iso.groups.values_list("name", flat=True)) == [ISO_ADVISORS_GROUP]


def test_it_makes_the_employer_login_an_alumni_owner_of_a_verified_organization() -> None:
    seed()

    membership = Membership.objects.select_related("organization").get(
        user__email="employer@example.com"
    )
    assert membership.role == Membership.Role.OWNER
    assert membership.is_alumni
    assert membership.organization.verified


def test_it_gives_the_students_a_profile() -> None:
    seed()

    for email in ["student@example.edu", "intl-student@example.edu"]:
        user = User.objects.get(email=email)
        assert user.role == Role.STUDENT
        assert user.student_profile.field_of_study


def test_it_gives_every_demo_student_a_full_profile_and_two_documents(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    seed()
    seed()  # idempotent: nothing doubles

    students = User.objects.filter(role=Role.STUDENT)
    assert students.count() >= 5
    for user in students:
        profile = user.student_profile
        assert profile.major_list() and profile.class_year and profile.summary, user.email
        kinds = sorted(user.documents.values_list("kind", flat=True))
        assert kinds == ["cover_letter", "resume"], user.email
        assert user.documents.get(kind="resume").is_default
        assert user.documents.get(kind="resume").file.read().startswith(b"%PDF-")


def test_the_demo_applications_carry_the_profile_snapshot(settings, tmp_path) -> None:
    from applications.models import Application

    settings.MEDIA_ROOT = tmp_path
    seed()
    application = Application.objects.filter(student__email="student@example.edu").first()
    assert application.profile_snapshot["majors"] == ["Computer Science"]
    assert application.profile_snapshot["name"] == "Maya"


@pytest.mark.parametrize(
    ("today", "cycle_name"),
    [
        (dt.datetime(2026, 10, 15, 12, tzinfo=NEW_YORK), "IAP 2027"),
        (dt.datetime(2027, 1, 31, 12, tzinfo=NEW_YORK), "IAP 2027"),
        (dt.datetime(2027, 2, 1, 12, tzinfo=NEW_YORK), "IAP 2028"),
    ],
)
def test_it_makes_the_next_iap_the_current_cycle(
    time_machine, today: dt.datetime, cycle_name: str
) -> None:
    time_machine.move_to(today, tick=False)

    seed()

    cycle = RecruitingCycle.objects.get(is_current=True)
    assert (cycle.name, cycle.is_current) == (cycle_name, True)
    assert RecruitingCycle.objects.current() == cycle


def test_it_moves_the_current_cycle_on_a_year_later(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=NEW_YORK), tick=False)
    seed()
    time_machine.move_to(dt.datetime(2027, 10, 15, 12, tzinfo=NEW_YORK), tick=False)

    out = seed()

    assert "current cycle" in out
    cycles = RecruitingCycle.objects.filter(name__in=["IAP 2027", "IAP 2028"])
    assert sorted(cycles.values_list("name", "is_current")) == [
        ("IAP 2027", False),
        ("IAP 2028", True),
    ]


def test_it_recreates_missing_staff_groups() -> None:
    Group.objects.all().delete()

    seed()

    assert Group.objects.filter(name__in=[CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP]).count() == 2


# --- with DEBUG off --------------------------------------------------------------------------


def test_it_refuses_to_run_with_debug_off(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        seed()

    assert not User.objects.exists()


def test_it_refuses_production_without_a_staff_password(settings, monkeypatch) -> None:
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_STAFF_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="DEMO_STAFF_PASSWORD must be set"):
        call_command("seed_demo", "--allow-production", stdout=StringIO())

    assert not User.objects.exists()


def test_it_refuses_the_public_password_for_staff_in_production(settings, monkeypatch) -> None:
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", DEMO_PASSWORD)

    with pytest.raises(CommandError, match="public demo password"):
        call_command("seed_demo", "--allow-production", stdout=StringIO())

    assert not User.objects.exists()


def test_in_production_staff_get_the_given_password_and_students_the_demo_one(
    settings, monkeypatch
) -> None:
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", "Staging-Only-Secret-7431")

    call_command("seed_demo", "--allow-production", stdout=StringIO())

    for email in ["staff@example.edu", "iso@example.edu"]:
        user = User.objects.get(email=email)
        assert not user.check_password(DEMO_PASSWORD)
        assert user.check_password("Staging-Only-Secret-7431")
    assert User.objects.get(email="student@example.edu").check_password(DEMO_PASSWORD)


def test_in_production_it_replaces_a_staff_demo_password_left_from_development(
    settings, monkeypatch
) -> None:
    seed()  # a development run first
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", "Staging-Only-Secret-7431")

    call_command("seed_demo", "--allow-production", stdout=StringIO())

    assert not User.objects.get(email="iso@example.edu").check_password(DEMO_PASSWORD)
