"""Offers and work authorization: an acceptance opens the student's case (authorization is a
service the offer calls), the case's start follows the agreed arrangement, and a student who
accepted before saying whether they need authorization gets their checklist once they do.

The offer keeps the link (Offer.authorization_case); authorization knows nothing of offers.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from authorization.models import AuthorizationCase
from authorization.services import case_move_start, case_open_for_acceptance
from microintern.accounts.models import User
from offers.models import Arrangement, ArrangementStatus, Offer, OfferStatus


def agreed_start(offer: Offer) -> dt.date:
    """The first day of work: the confirmed arrangement's, else the offer's."""
    arrangement = Arrangement.objects.filter(
        offer=offer, status=ArrangementStatus.CONFIRMED
    ).first()
    return arrangement.start_date if arrangement else offer.start_date


def authorization_open_for(offer: Offer, *, now: dt.datetime) -> AuthorizationCase | None:
    """Open the case for a locked, accepted offer and keep the link; None when the student
    needs none (citizen, permanent resident, global posting) or has not said yet."""
    case = case_open_for_acceptance(
        student=offer.student,
        start_date=agreed_start(offer),
        accepted_at=now,
        posting_is_global=offer.application.posting.is_global,
    )
    if case is not None:
        # One case per acceptance: the offer is locked and the map lets it be accepted once.
        offer.authorization_case = case
        offer.save(update_fields=["authorization_case", "updated_at"])
    return case


def authorization_follow_arrangement(arrangement: Arrangement) -> None:
    """The two sides confirmed the dates: the case starts when the work does."""
    case = arrangement.offer.authorization_case
    if case is not None:
        case_move_start(case=case, start_date=arrangement.start_date)


@transaction.atomic
def offers_open_cases_for_profile(student: User) -> int:
    """Listener (authorization.profile_changes): the student just said whether they need
    work authorization. Each accepted offer of theirs whose work has not ended and that has no
    case yet opens one now. Returns how many were opened."""
    today = timezone.localdate()
    offers = (
        Offer.objects.select_for_update(of=("self",))
        .filter(
            student=student,
            status=OfferStatus.ACCEPTED,
            authorization_case__isnull=True,
            end_date__gte=today,
        )
        .select_related("application__posting", "student")
        .order_by("pk")
    )
    now = timezone.now()
    return sum(authorization_open_for(offer, now=now) is not None for offer in offers)
