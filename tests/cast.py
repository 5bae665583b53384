"""The cast that the applications and offers tests share: a current cycle, organization A
(whose employer owns the posting) and organization B, two students, CAPD staff, and a
published posting of A. `staff` is a member of the "CAPD staff" group, never a superuser.
Imported into those folders' conftest.py files."""

from __future__ import annotations

import pytest

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from postings.models import Membership, Organization, Posting
from tests.applications import factories
from tests.factories import ISOAdvisorFactory, MISTIManagerFactory
from tests.postings import factories as posting_factories


@pytest.fixture
def cycle(db: None) -> RecruitingCycle:
    return posting_factories.current_cycle()


@pytest.fixture
def org_a(db: None) -> Organization:
    return factories.OrganizationFactory(name="Kendall Robotics Test", email_domain="example.com")


@pytest.fixture
def org_b(db: None) -> Organization:
    return factories.OrganizationFactory(name="Harbor Analytics", email_domain="example.org")


@pytest.fixture
def student(db: None) -> User:
    return factories.StudentFactory(email="student@example.edu", full_name="Sam Student")


@pytest.fixture
def other_student(db: None) -> User:
    return factories.StudentFactory(email="other@example.edu", full_name="Olga Other")


@pytest.fixture
def employer(org_a: Organization) -> User:
    user = factories.EmployerFactory(
        email="owner@example.com", full_name="Olive Owner", membership=None
    )
    factories.MembershipFactory(organization=org_a, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def other_employer(org_b: Organization) -> User:
    user = factories.EmployerFactory(
        email="member@example.org", full_name="Milo Member", membership=None
    )
    factories.MembershipFactory(organization=org_b, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def staff(db: None) -> User:
    return factories.StaffFactory(email="capd@example.edu", full_name="Casey Staff")


@pytest.fixture
def iso_advisor(db: None) -> User:
    return ISOAdvisorFactory(email="iso-advisor@example.edu", full_name="Irene Advisor")


@pytest.fixture
def misti_manager(db: None) -> User:
    return MISTIManagerFactory(email="misti-manager@example.edu", full_name="Mo Misti")


@pytest.fixture
def superuser(db: None) -> User:
    """Only for tests about superusers: staff tests use `staff`, a real CAPD group member."""
    return posting_factories.SuperuserFactory(email="root@example.edu", full_name="Ada Admin")


@pytest.fixture
def posting(org_a: Organization, employer: User, cycle: RecruitingCycle) -> Posting:
    return factories.PublishedPostingFactory(
        organization=org_a, created_by=employer, title="Sensor data cleanup"
    )
