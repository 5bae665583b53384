"""The cast for offers tests: a student and another student, an employer of organization A
(the posting's), a member of organization B, CAPD staff; a published posting of A.

(tests/conftest.py puts back the holidays a transactional test flushes.)
"""

from __future__ import annotations

import pytest

from applications.models import Application
from microintern.accounts.models import User
from offers.models import Offer
from postings.models import Membership, Organization, Posting
from tests.offers import factories
from tests.postings import factories as posting_factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cycle(db):
    return posting_factories.current_cycle()


@pytest.fixture
def org_a(db) -> Organization:
    return factories.OrganizationFactory(name="Kendall Robotics Test", email_domain="example.com")


@pytest.fixture
def org_b(db) -> Organization:
    return factories.OrganizationFactory(name="Harbor Analytics", email_domain="example.org")


@pytest.fixture
def student(db) -> User:
    return factories.StudentFactory(email="student@example.edu", full_name="Sam Student")


@pytest.fixture
def other_student(db) -> User:
    return factories.StudentFactory(email="other@example.edu", full_name="Olga Other")


@pytest.fixture
def employer(org_a) -> User:
    user = factories.EmployerFactory(email="owner@example.com", full_name="Olive Owner")
    factories.MembershipFactory(organization=org_a, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def other_employer(org_b) -> User:
    user = factories.EmployerFactory(email="member@example.org", full_name="Milo Member")
    factories.MembershipFactory(organization=org_b, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def staff(db) -> User:
    return factories.StaffFactory(email="capd@example.edu", full_name="Casey Staff")


@pytest.fixture
def posting(org_a, employer, cycle) -> Posting:
    return factories.PublishedPostingFactory(
        organization=org_a, created_by=employer, title="Sensor data cleanup"
    )


@pytest.fixture
def application(posting, student) -> Application:
    return factories.InterviewingApplicationFactory(posting=posting, student=student)


@pytest.fixture
def offer(posting, student) -> Offer:
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
