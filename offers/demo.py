"""Demo offers: a pending offer for student@example.edu with a live deadline, an accepted one
with a confirmed arrangement (a second demo student), and an expired one. Idempotent: what
exists is left alone. Everything goes through the services, as on the site."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from applications.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    Interview,
    InterviewFormat,
    InterviewSlot,
)
from microintern.accounts.demo import ensure_demo_student, ensure_user
from microintern.accounts.models import DegreeLevel, Role, StudentProfile, User
from offers import services
from offers.models import Offer
from postings.models import Membership, Posting, PostingStatus

PERCEPTION = "Robot perception micro-internship"
GRIPPER = "Gripper design sprint"
HIRED_STUDENT = "jordan@example.edu"


def _interviewing(student: User, posting: Posting, *, at: dt.datetime) -> Application | None:
    """The student's application, interviewing; None when one exists in another state."""
    application, created = Application.objects.get_or_create(
        student=student,
        posting=posting,
        defaults={
            "status": ApplicationStatus.INTERVIEWING,
            "submitted_at": at,
            "cover_letter_text": "I would love to work on this with your team.",
        },
    )
    if created:
        ApplicationStatusChange.objects.create(
            application=application, from_status="", to_status=ApplicationStatus.SUBMITTED, at=at
        )
        ApplicationStatusChange.objects.create(
            application=application,
            from_status=ApplicationStatus.SUBMITTED,
            to_status=ApplicationStatus.INTERVIEWING,
            at=at + dt.timedelta(days=3),
        )
    if application.status not in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INTERVIEWING):
        return None
    return application


def _held_interview(application: Application, employer: User, *, before: dt.datetime) -> None:
    """The interview the demo offer follows, three days before it. Written directly, like the
    history above: the services offer and book interview times in the future only."""
    if application.interviews.exists():
        return
    start = before - dt.timedelta(days=3)
    slot = InterviewSlot.objects.create(
        posting=application.posting,
        start=start,
        end=start + dt.timedelta(minutes=30),
        format=InterviewFormat.VIDEO,
        location="https://meet.example.com/kendall-robotics",
        created_by=employer,
        created_at=start - dt.timedelta(days=2),
    )
    slot.offered_to.add(application)
    Interview.objects.create(
        application=application, slot=slot, booked_at=start - dt.timedelta(days=1)
    )


def _extend(application: Application, employer: User, *, now: dt.datetime, days: int) -> Offer:
    posting = application.posting
    _held_interview(application, employer, before=now)
    return services.offer_extend(
        application=application,
        by=employer,
        terms=services.OfferTerms(
            pay_hourly=posting.hourly_equivalent(),
            start_date=posting.iap_start,
            end_date=posting.iap_end,
            hours_per_week=posting.hours_per_week,
            decision_days=days,
            message=(
                "Thank you for a great interview. We would be glad to have you with us for "
                "IAP. Write to me with any question."
            ),
        ),
        now=now,
    )


def _hired_student() -> tuple[User, bool]:
    user, created = ensure_user(HIRED_STUDENT, full_name="Jordan Rivera", role=Role.STUDENT)
    StudentProfile.objects.get_or_create(
        user=user,
        defaults={
            "degree_level": DegreeLevel.UNDERGRADUATE,
            "field_of_study": "Mechanical Engineering",
        },
    )
    ensure_demo_student(user)
    return user, created


def seed_offers(today: dt.date) -> list[str]:
    created: list[str] = []
    postings = {
        p.title: p
        for p in Posting.objects.filter(
            title__in=[PERCEPTION, GRIPPER], status=PostingStatus.PUBLISHED, cycle__is_current=True
        ).select_related("organization", "cycle")
    }
    student = User.objects.filter(email="student@example.edu").first()
    employer = User.objects.filter(email="employer@example.com").first()
    if len(postings) < 2 or student is None or employer is None:
        return created
    if not Membership.objects.filter(user=employer, organization=postings[GRIPPER].organization):
        return created
    now = timezone.now()

    # Expired: extended three weeks ago on the gripper sprint, never answered.
    expired_app = _interviewing(student, postings[GRIPPER], at=now - dt.timedelta(days=40))
    if expired_app is not None and not expired_app.offers.exists():
        offer = _extend(expired_app, employer, now=now - dt.timedelta(days=21), days=5)
        services.offers_expire_due(now=now)
        created.append(f"expired offer {offer.pk}")

    # Pending: extended two hours ago on the perception project, 5 business days to decide
    # (so the demo can ask for more time). Another open application elsewhere shows what
    # accepting withdraws.
    pending_app = _interviewing(student, postings[PERCEPTION], at=now - dt.timedelta(days=30))
    if pending_app is not None and not pending_app.offers.exists():
        offer = _extend(pending_app, employer, now=now - dt.timedelta(hours=2), days=5)
        created.append(f"pending offer {offer.pk}")
        elsewhere = (
            Posting.objects.filter(status=PostingStatus.PUBLISHED, cycle__is_current=True)
            .exclude(organization=postings[PERCEPTION].organization)
            .order_by("pk")
            .first()
        )
        if elsewhere is not None:
            _interviewing(student, elsewhere, at=now - dt.timedelta(days=20))

    # Accepted, with a confirmed arrangement: another demo student on the gripper sprint.
    hired, new_user = _hired_student()
    if new_user:
        created.append("student jordan@example.edu")
    hired_app = _interviewing(hired, postings[GRIPPER], at=now - dt.timedelta(days=35))
    if hired_app is not None and not hired_app.offers.exists():
        offer = _extend(hired_app, employer, now=now - dt.timedelta(days=10), days=5)
        services.offer_accept(offer=offer, by=hired, now=now - dt.timedelta(days=8))
        arrangement = offer.arrangement
        posting = hired_app.posting
        services.arrangement_propose(
            arrangement=arrangement,
            by=employer,
            terms=services.ArrangementTerms(
                start_date=posting.iap_start,
                end_date=posting.iap_end,
                hours_per_week=posting.hours_per_week,
                work_mode="on_site",
                place="Kendall Robotics lab, 1 Broadway, Cambridge, MA",
                supervisor_name="Dana Whitfield",
                supervisor_email="employer@example.com",
                notes="Closed-toe shoes in the lab. We start at 9:30 on the first day.",
            ),
            now=now - dt.timedelta(days=5),
        )
        services.arrangement_confirm(
            arrangement=arrangement, by=hired, now=now - dt.timedelta(days=4)
        )
        created.append(f"accepted offer {offer.pk} with a confirmed arrangement")

    # Accepted by the international student (F-1, CPT): the checklist opens, and the
    # arrangement says the work cannot start until authorization is recorded.
    intl = User.objects.filter(email="intl-student@example.edu").first()
    intl_app = (
        _interviewing(intl, postings[PERCEPTION], at=now - dt.timedelta(days=30)) if intl else None
    )
    if intl_app is not None and not intl_app.offers.exists():
        offer = _extend(intl_app, employer, now=now - dt.timedelta(days=6), days=7)
        services.offer_accept(offer=offer, by=intl, now=now - dt.timedelta(days=2))
        created.append(f"accepted offer {offer.pk} of the international student")
    return created
