"""Demo data: the international student's immigration profile and an open CPT checklist.

Offers do not exist yet, so the demo case has no offer (offer_id None) and starts on the
first day of the current cycle's IAP. Idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

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
    if AuthorizationCase.objects.filter(student=student).exists():
        return created
    start = cycle.iap_start if cycle.iap_start > today else today + dt.timedelta(days=60)
    accepted_at = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    case = services.case_open_for_acceptance(
        student=student, offer_id=None, start_date=start, accepted_at=accepted_at
    )
    if case is None:
        return created
    first, second = list(case.items.order_by("position"))[:2]
    services.checklist_item_mark_done(item=first, student=student)
    services.checklist_item_mark_done(item=second, student=student)
    advisor = User.objects.filter(email=ISO_ADVISOR_EMAIL).first()
    if advisor is not None and advisor.is_iso_advisor:
        services.checklist_item_verify(item=first, advisor=advisor)
    created.append("authorization case")
    return created
