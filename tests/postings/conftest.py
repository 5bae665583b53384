"""The cast for postings tests: a student, an employer of organization A (owner), a member
of organization B, and CAPD staff; and a current recruiting cycle."""

from __future__ import annotations

import pytest

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from postings.models import Membership, Organization
from tests.postings import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cycle(db) -> RecruitingCycle:
    return factories.current_cycle()


@pytest.fixture
def org_a(db) -> Organization:
    return factories.OrganizationFactory(
        name="Kendall Robotics Test",
        website="https://robotics.example.com",
        email_domain="example.com",
    )


@pytest.fixture
def org_b(db) -> Organization:
    return factories.OrganizationFactory(
        name="Harbor Analytics", website="https://harbor.example.org", email_domain="example.org"
    )


@pytest.fixture
def student(db) -> User:
    return factories.StudentFactory(email="student@example.edu", full_name="Sam Student")


@pytest.fixture
def employer(org_a) -> User:
    user = factories.EmployerFactory(
        email="owner@example.com", full_name="Olive Owner", membership=None
    )
    factories.MembershipFactory(organization=org_a, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def other_employer(org_b) -> User:
    user = factories.EmployerFactory(
        email="member@example.org", full_name="Milo Member", membership=None
    )
    factories.MembershipFactory(organization=org_b, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def staff(db) -> User:
    return factories.StaffFactory(email="capd@example.edu", full_name="Casey Staff")
