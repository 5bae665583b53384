"""Demo data: the international student's immigration profile, and progress on the CPT
checklist that accepting the demo offer opens (offers/demo.py). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from authorization import services
from authorization.models import AuthorizationCase, ImmigrationProfile, ImmigrationStatus
from microintern.accounts.models import DegreeLevel, User
from microintern.cycles.models import RecruitingCycle

INTL_STUDENT_EMAIL = "intl-student@example.edu"
ISO_ADVISOR_EMAIL = "iso@example.edu"


def seed_authorization(today: dt.date) -> list[str]:
    created: list[str] = []
    student = User.objects.filter(email=INTL_STUDENT_EMAIL).first()
    cycle = RecruitingCycle.objects.current()
    if student is None or cycle is None:
        return created
    _, new = ImmigrationProfile.objects.get_or_create(
        student=student,
        defaults={
            "immigration_status": ImmigrationStatus.F1,
            "degree_level": DegreeLevel.UNDERGRADUATE,
            "full_time_terms_completed": Decimal("3"),
            "majors": "Mechanical Engineering",
            "curriculum_has_internship_subject": True,
        },
    )
    if new:
        created.append("immigration profile")
    return created


def seed_authorization_progress(today: dt.date) -> list[str]:
    """Work on the checklist that the demo student's accepted offer opened (seed_offers):
    the first two steps done, the first verified by the ISO advisor. Run after the offers."""
    student = User.objects.filter(email=INTL_STUDENT_EMAIL).first()
    case = AuthorizationCase.objects.filter(student=student).order_by("pk").first()
    if case is None or case.items.filter(done_at__isnull=False).exists():
        return []
    first, second = list(case.items.order_by("position"))[:2]
    services.checklist_item_mark_done(item=first, student=student)
    services.checklist_item_mark_done(item=second, student=student)
    advisor = User.objects.filter(email=ISO_ADVISOR_EMAIL).first()
    if advisor is not None and advisor.is_iso_advisor:
        services.checklist_item_verify(item=first, advisor=advisor)
    return ["authorization checklist progress"]
