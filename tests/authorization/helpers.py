"""Helpers for tests that need immigration data: a student's immigration profile, an
authorization case opened as accepting an offer opens it, and PDF uploads.

Plain functions, not fixtures: the cast (tests/cast.py) and tests in other folders use them
too. The users come from the cast or from tests/factories.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from authorization import services
from authorization.models import AuthorizationCase, ImmigrationProfile
from microintern.accounts.models import User
from tests.applications.factories import pdf_bytes  # noqa: F401 (re-exported for the tests)
from tests.factories import iap_2027_cycle
from tests.offers.factories import PendingOfferFactory

ACCEPTED_AT = timezone.make_aware(dt.datetime(2026, 10, 25, 12, 0))  # a Sunday, offers day
IAP_START = dt.date(2027, 1, 6)


def make_profile(user: User, **answers: object) -> ImmigrationProfile:
    """An F-1 undergraduate in the third term whose curriculum has an internship subject,
    unless `answers` say otherwise."""
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
    offer = (
        PendingOfferFactory(application__student=user, application__posting__cycle=iap_2027_cycle())
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


def upload(
    content: bytes, name: str = "letter.pdf", content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
