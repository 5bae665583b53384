"""Where a signed-in user stands, for the home page beside "Needs your attention": a hired
student's micro-internship (dates, place, supervisor, work authorization), and an employer's
organization while it waits for CAPD's verification. Each is one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from authorization.models import AuthorizationCase
from microintern.accounts.models import User
from offers import selectors as offer_selectors
from offers.models import Arrangement, ArrangementStatus, Offer
from postings.access import organization_of
from postings.models import Organization


def date_range(start: dt.date, end: dt.date, *, today: dt.date) -> str:
    """ "Jan 11–29", "Jan 28 – Feb 5", with the year only when it is not this year's."""
    year = "" if start.year == end.year == today.year else ", Y"
    if start == end:
        return date_format(start, f"M j{year}")
    if (start.year, start.month) == (end.year, end.month):
        return f"{date_format(start, 'M j')}–{date_format(end, f'j{year}')}"
    first = "M j" if start.year == end.year else "M j, Y"
    return f"{date_format(start, first)} – {date_format(end, f'M j{year}')}"


@dataclass(frozen=True)
class Internship:
    """The accepted offer as it stands: the arrangement's terms once one is proposed, the
    offer's until then."""

    offer: Offer
    arrangement: Arrangement | None
    start: dt.date
    end: dt.date
    hours_per_week: int
    dates: str
    case: AuthorizationCase | None

    @property
    def organization(self) -> Organization:
        return self.offer.application.posting.organization

    @property
    def status(self) -> str:
        return self.arrangement.status if self.arrangement else ArrangementStatus.TO_ARRANGE

    @property
    def agreed(self) -> bool:
        return self.status == ArrangementStatus.CONFIRMED

    @property
    def to_arrange(self) -> bool:
        return self.status == ArrangementStatus.TO_ARRANGE

    @property
    def awaits_student(self) -> bool:
        return self.arrangement is not None and self.arrangement.awaits_confirmation_from("student")

    @property
    def may_start(self) -> bool:
        """False while an international student's work authorization is not recorded."""
        return offer_selectors.can_start(self.case)


def internship_for(user: User) -> Internship | None:
    today = timezone.localdate()
    offer = offer_selectors.internship_for(user, today)
    if offer is None:
        return None
    arrangement = getattr(offer, "arrangement", None)
    proposed = arrangement is not None and arrangement.status != ArrangementStatus.TO_ARRANGE
    start = arrangement.start_date if proposed and arrangement.start_date else offer.start_date
    end = arrangement.end_date if proposed and arrangement.end_date else offer.end_date
    hours = arrangement.hours_per_week if proposed and arrangement.hours_per_week else None
    return Internship(
        offer=offer,
        arrangement=arrangement,
        start=start,
        end=end,
        hours_per_week=hours or offer.hours_per_week,
        dates=date_range(start, end, today=today),
        case=offer.authorization_case,
    )


def organization_awaiting_verification(user: User) -> Organization | None:
    """The employer's organization, while CAPD has not verified it."""
    organization = organization_of(user)
    return organization if organization is not None and not organization.verified else None
