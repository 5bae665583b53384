"""What needs a signed-in student or employer now, for the top of the home page.

Each item is one thing to do, with the page that does it and, where there is one, its
deadline. Built from the same visible_to() querysets as the pages themselves, in a fixed
handful of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications.models import Application, ApplicationStatus, Interview, InterviewStatus
from authorization.models import ACTIVE_STATES, ChecklistItem
from microintern.accounts.models import User
from offers.models import (
    Arrangement,
    ArrangementStatus,
    ExtensionRequest,
    ExtensionStatus,
    Offer,
    OfferStatus,
)
from postings.access import organization_of


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str
    # An aware datetime (a deadline to the minute) or a date (a day), or None.
    due: dt.datetime | dt.date | None = None

    @property
    def due_label(self) -> str:
        """In Eastern time with the zone for a deadline, the day alone for a date."""
        if isinstance(self.due, dt.datetime):
            return date_format(timezone.localtime(self.due), "D, M j, g:i A T")
        return date_format(self.due, "D, M j, Y") if self.due else ""

    @property
    def sort_key(self) -> tuple[int, dt.date]:
        if self.due is None:
            return (1, dt.date.max)
        day = timezone.localdate(self.due) if isinstance(self.due, dt.datetime) else self.due
        return (0, day)


def to_do_for(user: User) -> list[ToDo]:
    if not user.is_authenticated:
        return []
    if user.is_student:
        items = _for_student(user)
    elif user.is_employer:
        items = _for_employer(user)
    else:
        return []
    return sorted(items, key=lambda item: item.sort_key)


def _for_student(user: User) -> list[ToDo]:

    now = timezone.now()
    items = [
        ToDo(
            f"Decide on the offer from {offer.application.posting.organization.name}",
            reverse("offers:detail", args=[offer.pk]),
            offer.deadline,
        )
        for offer in Offer.objects.visible_to(user)
        .pending()
        .filter(deadline__gt=now)
        .select_related("application__posting__organization")
    ]
    booked = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.BOOKED, slot__start__gt=now
    )
    items += [
        ToDo(
            f"Choose an interview time for “{application.posting.title}”",
            reverse("applications:detail", args=[application.pk]) + "#interview-heading",
        )
        for application in Application.objects.visible_to(user)
        .filter(status=ApplicationStatus.INTERVIEWING)
        .exclude(Exists(booked))
        .select_related("posting")
    ]
    items += [
        ToDo(
            f"Check and confirm the dates for “{arrangement.offer.application.posting.title}”",
            reverse("offers:arrangement", args=[arrangement.offer_id]),
        )
        for arrangement in Arrangement.objects.visible_to(user)
        .filter(status=ArrangementStatus.PROPOSED, proposed_side="employer")
        .select_related("offer__application__posting")
    ]
    step = (
        ChecklistItem.objects.filter(
            case__student=user, case__state__in=ACTIVE_STATES, done_at__isnull=True
        )
        .order_by("due_date", "position")
        .first()
    )
    if step is not None:
        items.append(
            ToDo(f"Work authorization: {step.title}", reverse("authorization:mine"), step.due_date)
        )
    return items


# Each kind of item on an employer's list is bounded: the list is what needs them now, with
# the page that holds the rest (the applicants list, the offers and arrangements themselves).
EMPLOYER_ITEMS_PER_KIND = 10


def _for_employer(user: User) -> list[ToDo]:
    """Scoped to the employer's organization by a direct join on the posting's organization
    (not `offer IN (offers visible to the user)`, which PostgreSQL answered by reading every
    unconfirmed arrangement on the site), each kind bounded."""
    organization = organization_of(user)
    if organization is None:
        return []
    limit = EMPLOYER_ITEMS_PER_KIND
    new = (
        Application.objects.filter(
            posting__organization=organization, status=ApplicationStatus.SUBMITTED
        )
        .values("posting_id", "posting__title", "posting__deadline")
        .annotate(n=Count("pk"))
        .order_by("posting__deadline", "posting_id")[:limit]
    )
    items = [
        ToDo(
            f"{row['n']} new application{'s' if row['n'] != 1 else ''} to review for "
            f"“{row['posting__title']}”",
            reverse("applications:applicants", args=[row["posting_id"]]),
        )
        for row in new
    ]
    items += [
        ToDo(
            f"{request.offer.student.get_full_name()} asked for more time to decide on your offer",
            reverse("offers:detail", args=[request.offer_id]),
            request.offer.deadline,
        )
        for request in ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING,
            offer__status=OfferStatus.PENDING,
            offer__application__posting__organization=organization,
        )
        .select_related("offer__student")
        .order_by("offer__deadline", "pk")[:limit]
    ]
    items += [
        ToDo(
            (
                f"Propose the dates and details of “{arrangement.offer.application.posting.title}” "
                f"to {arrangement.offer.student.get_full_name()}"
                if arrangement.status == ArrangementStatus.TO_ARRANGE
                else f"Confirm the dates {arrangement.offer.student.get_full_name()} proposed for "
                f"“{arrangement.offer.application.posting.title}”"
            ),
            reverse("offers:arrangement", args=[arrangement.offer_id]),
        )
        for arrangement in Arrangement.objects.filter(
            offer__application__posting__organization=organization,
            offer__status=OfferStatus.ACCEPTED,
        )
        .exclude(status=ArrangementStatus.CONFIRMED)
        .exclude(status=ArrangementStatus.PROPOSED, proposed_side="employer")
        .select_related("offer__student", "offer__application__posting")
        .order_by("offer__start_date", "pk")[:limit]
    ]
    return items
