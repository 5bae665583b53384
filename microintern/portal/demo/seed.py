"""The demo: five logins and a current cycle whose IAP is the next one, so the demo always
looks live. Later issues add their data through functions called from `run`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from applications.demo import seed_applications
from authorization.demo import seed_authorization, seed_authorization_progress
from microintern.accounts.demo import DEMO_PASSWORD, ensure_demo_student, ensure_user
from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import (
    CAPD_STAFF_GROUP,
    ISO_ADVISORS_GROUP,
    DegreeLevel,
    Role,
    StudentProfile,
)
from microintern.advising.demo import seed_advising
from microintern.cycles.models import RecruitingCycle
from offers.demo import seed_offers
from postings.demo import seed_postings
from postings.models import Membership, Organization

DEMO_ORGANIZATION = "Kendall Robotics"


def next_iap_year(today: dt.date) -> int:
    """The year of the next IAP that has not ended (IAP runs in January)."""
    return today.year if today <= dt.date(today.year, 1, 31) else today.year + 1


def ensure_current_cycle(today: dt.date) -> tuple[RecruitingCycle, bool]:
    defaults = RecruitingCycle.defaults_for_iap_year(next_iap_year(today))
    name = defaults.pop("name")
    cycle, created = RecruitingCycle.objects.get_or_create(name=name, defaults=defaults)
    if not cycle.is_current:
        RecruitingCycle.objects.filter(is_current=True).update(is_current=False)
        cycle.is_current = True
        cycle.save(update_fields=["is_current"])
    return cycle, created


def run(*, staff_password: str = DEMO_PASSWORD) -> list[str]:
    """Create what is missing. `staff_password` is for the staff and ISO logins: the public
    demo password is for development only (seed_demo refuses it with DEBUG off)."""
    created: list[str] = []
    today = timezone.localdate()
    groups = ensure_staff_groups()

    _, new = ensure_current_cycle(today)
    if new:
        created.append("current cycle")

    student, new = ensure_user("student@example.edu", full_name="Maya Chen", role=Role.STUDENT)
    StudentProfile.objects.get_or_create(
        user=student,
        defaults={
            "degree_level": DegreeLevel.UNDERGRADUATE,
            "field_of_study": "Computer Science",
            "class_year": today.year + 2,
        },
    )
    intl, new_intl = ensure_user(
        "intl-student@example.edu", full_name="Arjun Rao", role=Role.STUDENT
    )
    StudentProfile.objects.get_or_create(
        user=intl,
        defaults={
            "degree_level": DegreeLevel.UNDERGRADUATE,
            "field_of_study": "Mechanical Engineering",
            "class_year": today.year + 2,
        },
    )
    # Full profiles and two documents each, before anyone applies: applications keep a
    # snapshot of the profile as it is when they are sent.
    for demo_student in (student, intl):
        if ensure_demo_student(demo_student):
            created.append(f"profile and documents of {demo_student.email}")
    employer, new_employer = ensure_user(
        "employer@example.com", full_name="Dana Whitfield", role=Role.EMPLOYER
    )
    organization, _ = Organization.objects.get_or_create(
        name=DEMO_ORGANIZATION,
        defaults={
            "website": "https://robotics.example.com",
            "email_domain": "example.com",
            "description": "A small robotics company founded by alumni.",
            "verified": True,
            "verified_at": timezone.now(),
        },
    )
    Membership.objects.get_or_create(
        user=employer,
        defaults={"organization": organization, "role": Membership.Role.OWNER, "is_alumni": True},
    )
    staff, new_staff = ensure_user(
        "staff@example.edu",
        full_name="Tavi Staff",
        role=Role.STAFF,
        password=staff_password,
        is_staff=True,
    )
    staff.groups.add(groups[CAPD_STAFF_GROUP])
    iso, new_iso = ensure_user(
        "iso@example.edu",
        full_name="Irene Okafor",
        role=Role.STAFF,
        password=staff_password,
        is_staff=True,
    )
    iso.groups.add(groups[ISO_ADVISORS_GROUP])
    created += seed_authorization(today)
    created += [
        label
        for label, was_new in (
            ("student", new),
            ("international student", new_intl),
            ("employer", new_employer),
            ("staff", new_staff),
            ("ISO advisor", new_iso),
        )
        if was_new
    ]
    created += seed_postings(today)
    created += seed_applications(today)
    created += seed_offers(today)
    created += seed_authorization_progress(today)
    created += seed_advising(today)
    return created
