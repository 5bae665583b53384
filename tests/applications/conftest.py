"""The cast for applications tests: a student and another student, an employer of
organization A (the posting's), a member of organization B, CAPD staff; a published posting
of A; and MEDIA_ROOT in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from microintern.accounts.models import User
from postings.models import Membership, Organization, Posting
from tests.applications import factories
from tests.postings import factories as posting_factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


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
def application(posting, student):
    return factories.SubmittedApplicationFactory(posting=posting, student=student)


def media_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
