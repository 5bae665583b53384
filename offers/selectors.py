"""Reads for the offer pages: what accepting will do, and the authorization state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce
from django.http import HttpRequest

from applications.models import Application
from authorization.access import log_access
from authorization.models import AuthorizationCase
from authorization.selectors import (
    authorized_on,
    cases_for_student,
    employer_view_status,
    expected_authorization,
    has_immigration_profile,
)
from microintern.accounts.models import User
from offers.models import Offer


@dataclass(frozen=True)
class AcceptanceConsequences:
    """What else happens when the student accepts this offer (shown before they do)."""

    withdrawn_applications: list[Application] = field(default_factory=list)
    declined_offers: list[Offer] = field(default_factory=list)


def acceptance_consequences(offer: Offer) -> AcceptanceConsequences:
    offers = list(
        Offer.objects.pending()
        .filter(student_id=offer.student_id, cycle_id=offer.cycle_id)
        .exclude(pk=offer.pk)
        .select_related("application__posting__organization")
        .order_by("pk")
    )
    offered_ids = {o.application_id for o in offers}
    applications = [
        a
        for a in Application.objects.open()
        .filter(student_id=offer.student_id, posting__cycle_id=offer.cycle_id)
        .exclude(pk=offer.application_id)
        .select_related("posting__organization")
        .order_by("pk")
        if a.pk not in offered_ids
    ]
    return AcceptanceConsequences(withdrawn_applications=applications, declined_offers=offers)


def internship_for(user: User, today: dt.date) -> Offer | None:
    """The student's micro-internship that is not over yet: the accepted offer, with its
    arrangement, organization and authorization case loaded (one query). Its last day is the
    arrangement's end date once one is proposed, else the offer's."""
    if not user.is_authenticated or not user.is_student:
        return None
    return (
        Offer.objects.visible_to(user)
        .accepted()
        .alias(last_day=Coalesce("arrangement__end_date", "end_date"))
        .filter(last_day__gte=today)
        .select_related("application__posting__organization", "arrangement", "authorization_case")
        .order_by("start_date", "pk")
        .first()
    )


def authorization_case_for(offer: Offer) -> AuthorizationCase | None:
    """The case opened for this offer, read through the authorization app's selector."""
    if offer.authorization_case_id is None:
        return None
    cases = cases_for_student(offer.student)
    return next((c for c in cases if c.pk == offer.authorization_case_id), None)


@dataclass(frozen=True)
class StartReadiness:
    """May the student start work on the agreed day, and if not, what waits."""

    can_start: bool
    # "" (nothing waits), "authorization" (a case without an authorization covering the
    # start), or "profile" (the student has not said whether they need authorization).
    waiting_for: str = ""
    expected: dt.date | None = None  # when the authorization should arrive, at the latest

    @property
    def message(self) -> str:
        if self.waiting_for == "authorization":
            expected = (
                f" (expected by {self.expected:%b} {self.expected.day})" if self.expected else ""
            )
            return f"Cannot start until work authorization is recorded{expected}."
        if self.waiting_for == "profile":
            return "Cannot start until the student says whether they need work authorization."
        return ""


def start_readiness(offer: Offer, case: AuthorizationCase | None, start: dt.date) -> StartReadiness:
    """Authorization gates the start (DOMAIN.md, International students): with a case, only
    an authorization covering `start` lets the student begin; without one, a student who has
    never said whether they need authorization is asked first (global MISTI postings need
    none from the portal)."""
    if case is not None:
        if authorized_on(case, start):
            return StartReadiness(True)
        return StartReadiness(False, "authorization", expected_authorization(case))
    if offer.application.posting.is_global or has_immigration_profile(offer.student):
        return StartReadiness(True)
    return StartReadiness(False, "profile")


def can_start(case: AuthorizationCase | None, start: dt.date | None = None) -> bool:
    """False while an international student's authorization covering `start` (the case's own
    start date when not given) is not recorded."""
    return case is None or authorized_on(case, start or case.start_date)


def employer_authorization_status(
    case: AuthorizationCase | None, request: HttpRequest
) -> str | None:
    """Pending / confirmed / at risk, for the student's own page and the employer's. Even this
    much is immigration data: an employer's look is written to the access log (the student's
    own looks are not)."""
    if case is None:
        return None
    log_access(
        request,
        student=case.student,
        object_type="authorization status (employer view)",
        object_id=case.pk,
        allowed=True,
    )
    return employer_view_status(case)
