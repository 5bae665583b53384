"""Demo applications: the demo student (student@example.edu) has applications in several
states, one of them with an interview booked; the demo employer has applicants to review.

Idempotent: nothing is created for a student who already has applications. Everything goes
through the services, so history rows and notifications look like the real thing.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from applications import services
from applications.models import Application
from microintern.accounts.demo import ensure_demo_student
from microintern.accounts.models import Document, Role, User
from microintern.cycles.models import RecruitingCycle
from postings.models import Membership, Organization, Posting, PostingStatus, PostingStatusChange

DEMO_ORGANIZATION = "Kendall Robotics"
DEMO_PASSWORD = "microintern-demo"
APPLICANTS = [
    ("priya@example.edu", "Priya Natarajan"),
    ("leo@example.edu", "Leo Martins"),
    ("sofia@example.edu", "Sofia Alvarez"),
]


def _pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _demo_posting(organization: Organization, cycle: RecruitingCycle, title: str, today):
    """A published posting of the demo organization, when the postings demo has too few."""
    posting, created = Posting.objects.get_or_create(
        organization=organization,
        title=title,
        defaults={
            "cycle": cycle,
            "status": PostingStatus.PUBLISHED,
            "description": "A two-week project with our engineering team.\n\n"
            "You will present what you built at the end.",
            "pay_amount": Decimal("22.00"),
            "iap_start": cycle.iap_start,
            "iap_end": min(cycle.iap_start + dt.timedelta(days=14), cycle.iap_end),
            "hours_per_week": 15,
            "deadline": _at(today + dt.timedelta(days=21), 17),
            "application_instructions": "Send your resume and a short cover letter.",
            "published_at": timezone.now(),
            "submitted_at": timezone.now(),
        },
    )
    if created:
        posting.refresh_search_fields()
        PostingStatusChange.objects.create(
            posting=posting, from_status="", to_status=PostingStatus.PUBLISHED
        )
    return posting


# The demo organization's postings this demo applies to. Its own, so that the postings and
# offers demos (which use the organization's other postings) tell their stories untouched.
DEMO_POSTINGS = ["Warehouse robot telemetry", "Robot arm calibration tool", "Sensor test bench"]


def _apply(posting: Posting, student: User, letter: str) -> Application:
    # With the default resume of the student's library (accounts/demo.py fills it), as the
    # apply form does; an upload when the library has none.
    library_resume = Document.objects.filter(student=student, is_default=True).first()
    return services.application_submit(
        posting=posting,
        student=student,
        resume=None if library_resume else _pdf(f"{student.full_name.split()[0]}-resume.pdf"),
        resume_document=library_resume,
        cover_letter_text=letter,
        unpaid_guidance_read=True,
    )


@transaction.atomic
def seed_applications(today: dt.date) -> list[str]:
    cycle = RecruitingCycle.objects.current()
    organization = Organization.objects.filter(name=DEMO_ORGANIZATION).first()
    student = User.objects.filter(email="student@example.edu").first()
    membership = (
        Membership.objects.filter(organization=organization).select_related("user").first()
        if organization
        else None
    )
    if not (cycle and organization and student and membership):
        return []
    if Application.objects.filter(student=student).exists():
        return []
    employer = membership.user
    first, second, third = (
        _demo_posting(organization, cycle, title, today) for title in DEMO_POSTINGS
    )

    # The demo student: interviewing with a booked interview, under review, not selected.
    interviewing = _apply(
        first, student, "I have built two line-following robots and would love to help."
    )
    services.application_move(applications=interviewing, by=employer)
    services.application_move(applications=interviewing, by=employer)
    day = today + dt.timedelta(days=5)
    booked_slot, *_ = services.interview_slots_offer(
        posting=first,
        applications=[interviewing],
        slots=[
            services.SlotSpec(
                _at(day, 10),
                _at(day, 10) + dt.timedelta(minutes=30),
                "video",
                "https://meet.example.com/kendall-robotics",
            ),
            services.SlotSpec(
                _at(day, 14),
                _at(day, 14) + dt.timedelta(minutes=30),
                "video",
                "https://meet.example.com/kendall-robotics",
            ),
        ],
        by=employer,
    )
    services.interview_book(application=interviewing, slot=booked_slot, by=student)

    reviewing = _apply(second, student, "Calibration is my favourite kind of puzzle.")
    services.application_move(applications=reviewing, by=employer)

    closed = _apply(third, student, "I am keen to learn about test benches.")
    services.application_reject(
        applications=closed,
        by=employer,
        message="Thank you for applying: we chose a candidate with lab experience this time.",
    )

    # Other applicants, so the employer's list has something to filter.
    for (email, name), status in zip(
        APPLICANTS, ["submitted", "under_review", "interviewing"], strict=True
    ):
        other = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, role=Role.STUDENT
        )
        if Application.objects.filter(student=other, posting=first).exists():
            continue
        ensure_demo_student(other)
        application = _apply(first, other, f"Hello, I am {name} and I like robots.")
        if status != "submitted":
            services.application_move(applications=application, by=employer)
        if status == "interviewing":
            services.application_move(applications=application, by=employer)
    return ["demo applications and a booked interview"]
