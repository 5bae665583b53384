"""The test cast: the people every test folder shares, and the few things they work with.

tests/conftest.py imports these fixtures, so a name is the same person in every folder; a
folder's conftest.py adds only what is its own (media roots, `application`, `offer`, `case`).
Staff are members of the real groups (made by ensure_staff_groups), never superusers, and no
address is one of the demo logins, so a test may seed the demo beside the cast.

People (each with a verified address and the password tests.factories.DEMO_PASSWORD):

    student         Maya Chen <maya@example.edu>, a student with a student profile
    other_student   Omar Haddad <omar@example.edu>, another student
    intl_student    Arjun Mehta <arjun@example.edu>, an F-1 undergraduate in the third term
                    whose curriculum has an internship subject (an immigration profile)
    employer        Olive Owner <owner@example.com>, the owner of org_a
    colleague       Cole Colleague <colleague@example.com>, a member of org_a
    other_employer  Milo Member <member@example.org>, a member of org_b
    staff           Tavi Staff <tavi@example.edu>, in "CAPD staff"
    iso_advisor     Irene Okafor <irene@example.edu>, in "ISO advisors"
    misti_manager   Mo Misti <misti-manager@example.edu>, in "MISTI program managers"
    superuser       Ada Admin <root@example.edu>, only for the tests about superusers

Things:

    org_a           Kendall Robotics Test, verified (example.com)
    org_b           Harbor Analytics, verified (example.org)
    cycle           the current cycle, around today: its IAP starts 40 days from now
    iap_2027        the current cycle with CAPD's dates for IAP 2027, for tests that travel to
                    those dates (one cycle is current at a time: a test asks for one of the two)
    posting         "Sensor data cleanup", published by employer for org_a, in the current cycle

`record_mfa_in_session(client, user)` gives a signed-in staff session its second factor.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from postings.models import Membership, Organization, Posting
from tests.authorization.helpers import make_profile
from tests.factories import (
    EmployerFactory,
    ISOAdvisorFactory,
    MISTIManagerFactory,
    StaffFactory,
    StudentFactory,
    SuperuserFactory,
    iap_2027_cycle,
)
from tests.postings.factories import OrganizationFactory, PublishedPostingFactory, current_cycle

# --- people ------------------------------------------------------------------------------------


@pytest.fixture
def student(db: None) -> User:
    return StudentFactory(email="maya@example.edu", full_name="Maya Chen")


@pytest.fixture
def other_student(db: None) -> User:
    return StudentFactory(email="omar@example.edu", full_name="Omar Haddad")


@pytest.fixture
def intl_student(db: None) -> User:
    user = StudentFactory(
        email="arjun@example.edu",
        full_name="Arjun Mehta",
        profile__field_of_study="Mechanical Engineering",
    )
    make_profile(user)
    return user


@pytest.fixture
def employer(org_a: Organization) -> User:
    return EmployerFactory(
        email="owner@example.com", full_name="Olive Owner", membership__organization=org_a
    )


@pytest.fixture
def colleague(org_a: Organization) -> User:
    return EmployerFactory(
        email="colleague@example.com",
        full_name="Cole Colleague",
        membership__organization=org_a,
        membership__role=Membership.Role.MEMBER,
    )


@pytest.fixture
def other_employer(org_b: Organization) -> User:
    return EmployerFactory(
        email="member@example.org",
        full_name="Milo Member",
        membership__organization=org_b,
        membership__role=Membership.Role.MEMBER,
    )


@pytest.fixture
def staff(db: None) -> User:
    return StaffFactory(email="tavi@example.edu", full_name="Tavi Staff")


@pytest.fixture
def iso_advisor(db: None) -> User:
    return ISOAdvisorFactory(email="irene@example.edu", full_name="Irene Okafor")


@pytest.fixture
def misti_manager(db: None) -> User:
    return MISTIManagerFactory(email="misti-manager@example.edu", full_name="Mo Misti")


@pytest.fixture
def superuser(db: None) -> User:
    """Only for tests about superusers: staff tests use `staff`, a real CAPD group member."""
    return SuperuserFactory(email="root@example.edu", full_name="Ada Admin")


def record_mfa_in_session(client: Client, user: User) -> None:
    """What allauth writes when the person enters a TOTP code (see its record_authentication)."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


# --- what they work with -----------------------------------------------------------------------


@pytest.fixture
def org_a(db: None) -> Organization:
    return OrganizationFactory(
        name="Kendall Robotics Test",
        website="https://robotics.example.com",
        email_domain="example.com",
    )


@pytest.fixture
def org_b(db: None) -> Organization:
    return OrganizationFactory(
        name="Harbor Analytics", website="https://harbor.example.org", email_domain="example.org"
    )


@pytest.fixture
def cycle(db: None) -> RecruitingCycle:
    return current_cycle()


@pytest.fixture
def iap_2027(db: None) -> RecruitingCycle:
    """Postings open Sep 16, 2026; IAP runs Jan 6 to 31, 2027."""
    return iap_2027_cycle()


@pytest.fixture
def posting(org_a: Organization, employer: User, cycle: RecruitingCycle) -> Posting:
    return PublishedPostingFactory(
        organization=org_a, created_by=employer, title="Sensor data cleanup"
    )
