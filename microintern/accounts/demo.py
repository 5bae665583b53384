"""Demo logins, shared by every app's demo data (microintern/portal/demo runs them all)."""

from __future__ import annotations

import io

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from microintern.accounts import services
from microintern.accounts.models import (
    DegreeLevel,
    Document,
    DocumentKind,
    GraduationTerm,
    StudentProfile,
    User,
)

DEMO_PASSWORD = "microintern-demo"


def ensure_user(
    email: str, *, full_name: str, role: str, password: str = DEMO_PASSWORD, **flags: bool
) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, password, full_name=full_name, role=role, **flags)
    elif password != DEMO_PASSWORD and user.check_password(DEMO_PASSWORD):
        # A staff account made by an earlier development run keeps no public password.
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


# The demo students' profiles (by login) and the two documents each keeps in their library.
DEMO_PROFILES: dict[str, dict[str, object]] = {
    "student@example.edu": {
        "preferred_name": "Maya",
        "pronouns": "she/her",
        "field_of_study": "Computer Science",
        "minor": "Mathematics",
        "graduation_term": GraduationTerm.JUNE,
        "summary": "Second-year student who likes robots, data and tidy code. Built two "
        "line-following robots and a bus-arrival dashboard for my dorm.",
        "portfolio_url": "https://maya.example.edu",
        "github_url": "https://github.com/example-maya",
        "linkedin_url": "https://www.linkedin.com/in/example-maya",
        "notify_new_postings": True,
    },
    "intl-student@example.edu": {
        "pronouns": "he/him",
        "field_of_study": "Mechanical Engineering",
        "minor": "Physics",
        "graduation_term": GraduationTerm.JUNE,
        "summary": "Mechanical engineer in my third term; CAD, machining and test rigs.",
        "github_url": "https://github.com/example-arjun",
    },
    "priya@example.edu": {
        "field_of_study": "Electrical Engineering, Computer Science",
        "graduation_term": GraduationTerm.JUNE,
        "summary": "Embedded systems and sensor fusion.",
    },
    "leo@example.edu": {
        "field_of_study": "Mechanical Engineering",
        "minor": "Economics",
        "graduation_term": GraduationTerm.FEBRUARY,
        "summary": "Robot arms, gears and spreadsheets.",
    },
    "sofia@example.edu": {
        "degree_level": DegreeLevel.MASTERS,
        "field_of_study": "Data Science",
        "graduation_term": GraduationTerm.SEPTEMBER,
        "summary": "Master's student in data science; telemetry pipelines.",
    },
    "jordan@example.edu": {
        "field_of_study": "Mechanical Engineering",
        "graduation_term": GraduationTerm.JUNE,
        "summary": "Hands-on builder; FSAE team.",
    },
}


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF (pypdf, as the upload checks read it)."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    filename = title.lower().replace(" ", "-") + ".pdf"
    return SimpleUploadedFile(filename, buffer.getvalue(), content_type="application/pdf")


def ensure_demo_student(user: User) -> bool:
    """Fill the demo student's profile (only fields still blank) and give them a resume and
    a cover letter when their library is empty. Idempotent; True when anything was added."""
    values = DEMO_PROFILES.get(user.email, {})
    profile, created = StudentProfile.objects.get_or_create(user=user)
    changes = {
        name: value
        for name, value in values.items()
        if not getattr(profile, name) and name != "degree_level"
    }
    if created and "degree_level" in values:
        changes["degree_level"] = values["degree_level"]
    if not profile.class_year:
        changes["class_year"] = timezone.localdate().year + 2
    if changes:
        services.student_profile_save(student=user, values=changes)
    added = bool(changes)
    if not Document.objects.filter(student=user).exists():
        first = (user.full_name or user.email).split()[0].split("@")[0]
        services.document_add(
            student=user,
            kind=DocumentKind.RESUME,
            upload=demo_pdf(f"{first} resume"),
            name="Resume",
        )
        services.document_add(
            student=user,
            kind=DocumentKind.COVER_LETTER,
            upload=demo_pdf(f"{first} cover letter"),
            name="General cover letter",
        )
        added = True
    return added
