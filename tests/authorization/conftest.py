"""Fixtures for the authorization tests: a cast of users, profiles, cases and PDFs.

Deliberately local (tests/conftest.py and tests/factories.py are written on main); the user
fixtures use the same names as main's cast so the two can be reconciled at merge.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from authorization import services
from authorization.models import AuthorizationCase, ImmigrationProfile
from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import (
    CAPD_STAFF_GROUP,
    ISO_ADVISORS_GROUP,
    Role,
    StudentProfile,
    User,
)
from microintern.cycles.models import RecruitingCycle

PASSWORD = "microintern-demo"
ACCEPTED_AT = timezone.make_aware(dt.datetime(2026, 10, 25, 12, 0))  # a Sunday, offers day
IAP_START = dt.date(2027, 1, 6)


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STAFF_MFA_REQUIRED = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = False


def make_user(
    email: str, *, role: str = Role.STUDENT, groups: tuple[str, ...] = (), **flags: bool
) -> User:
    user = User.objects.create_user(
        email, PASSWORD, full_name=email.split("@")[0].title(), role=role, **flags
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if groups:
        by_name = ensure_staff_groups()
        user.groups.add(*(by_name[name] for name in groups))
    if role == Role.STUDENT:
        StudentProfile.objects.create(user=user, field_of_study="Mechanical Engineering")
    return user


def make_profile(user: User, **answers: object) -> ImmigrationProfile:
    defaults: dict[str, object] = {
        "immigration_status": "f1",
        "degree_level": "undergraduate",
        "full_time_terms_completed": Decimal("3"),
        "majors": "Mechanical Engineering",
        "curriculum_has_internship_subject": True,
        "coursework_complete": False,
        "internship_is_thesis_based": False,
    }
    return ImmigrationProfile.objects.create(student=user, **{**defaults, **answers})


def open_case(
    user: User, *, with_offer: bool = True, start_date: dt.date = IAP_START
) -> AuthorizationCase:
    """Open a case as offer_accept would, on a real offer to this student (or on none)."""
    from tests.offers.factories import PendingOfferFactory

    offer = (
        PendingOfferFactory(application__student=user, application__posting__cycle=iap_2027())
        if with_offer
        else None
    )
    case = services.case_open_for_acceptance(
        student=user, start_date=start_date, accepted_at=ACCEPTED_AT
    )
    assert case is not None
    if offer is not None:  # the link offer_accept keeps on the offer
        offer.authorization_case = case
        offer.save(update_fields=["authorization_case"])
    return case


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(
    content: bytes, name: str = "letter.pdf", content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def student(db: None) -> User:
    """An F-1 undergraduate in the third term whose curriculum has an internship subject."""
    user = make_user("arjun@example.edu")
    make_profile(user)
    return user


@pytest.fixture
def other_student(db: None) -> User:
    user = make_user("omar@example.edu")
    make_profile(user, immigration_status="j1")
    return user


@pytest.fixture
def employer(db: None) -> User:
    return make_user("dana@robotics.example.com", role=Role.EMPLOYER)


@pytest.fixture
def staff_user(db: None) -> User:
    return make_user("tavi@example.edu", role=Role.STAFF, groups=(CAPD_STAFF_GROUP,), is_staff=True)


@pytest.fixture
def iso_advisor(db: None) -> User:
    return make_user(
        "irene@example.edu", role=Role.STAFF, groups=(ISO_ADVISORS_GROUP,), is_staff=True
    )


@pytest.fixture
def superuser(db: None) -> User:
    user = User.objects.create_superuser("root@example.edu", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def current_cycle(db: None) -> RecruitingCycle:
    """IAP 2027: postings open Sep 16, 2026; IAP runs Jan 6 to 31, 2027."""
    return iap_2027()


def iap_2027() -> RecruitingCycle:
    defaults = RecruitingCycle.defaults_for_iap_year(2027)
    cycle, _ = RecruitingCycle.objects.get_or_create(
        name=defaults.pop("name"), defaults={**defaults, "is_current": True}
    )
    return cycle


@pytest.fixture
def case(student: User, iso_advisor: User) -> AuthorizationCase:
    """The student's CPT case, opened on offers day for an IAP start."""
    return open_case(student)
