"""The recruiting funnel of one cycle, for CAPD staff: how many postings, applicants,
interviews, offers and confirmed arrangements, and how many of each stage reached the next.

Counts only, never names: CAPD watches the program, not individual students. Work
authorization is left out on purpose (immigration data is for ISO advisors alone).
A fixed handful of aggregate queries, whatever the size of the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from applications.models import Application, ApplicationStatus, ApplicationStatusChange
from microintern.cycles.models import RecruitingCycle
from offers.models import Arrangement, ArrangementStatus, Offer, OfferStatus
from postings.models import Posting, PostingStatus


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    # Share of the stage before, in percent (None for the first stage, or after an empty one).
    of_previous: float | None
    explanation: str


@dataclass(frozen=True)
class Funnel:
    cycle: RecruitingCycle
    stages: list[Stage]
    postings_by_status: dict[str, int]
    applications_by_status: dict[str, int]
    offers_by_status: dict[str, int]
    students_applying: int
    applications_per_published_posting: float | None


def _by_status(queryset, choices) -> dict[str, int]:
    counted = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())
    return {label: counted.get(value, 0) for value, label in choices}


def _reached(cycle: RecruitingCycle, statuses: list[str]) -> int:
    """Applications of the cycle that were ever in one of `statuses` (the history keeps every
    step, so an application closed since still counts)."""

    return (
        ApplicationStatusChange.objects.filter(
            application__posting__cycle=cycle, to_status__in=statuses
        )
        .values("application_id")
        .distinct()
        .count()
    )


def cycle_funnel(cycle: RecruitingCycle) -> Funnel:
    postings = Posting.objects.filter(cycle=cycle)
    applications = Application.objects.filter(posting__cycle=cycle)
    offers = Offer.objects.filter(cycle=cycle)

    published = postings.filter(published_at__isnull=False).count()
    totals = applications.aggregate(
        applications=Count("pk"), students=Count("student_id", distinct=True)
    )
    offer_totals = offers.aggregate(
        extended=Count("pk"), accepted=Count("pk", filter=Q(status=OfferStatus.ACCEPTED))
    )
    confirmed = Arrangement.objects.filter(
        offer__cycle=cycle, offer__status=OfferStatus.ACCEPTED, status=ArrangementStatus.CONFIRMED
    ).count()

    raw = [
        ("Postings published", published, "approved by CAPD and shown to students"),
        ("Applications", totals["applications"], "sent by students to those postings"),
        (
            "Interviewed or offered",
            _reached(cycle, [ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFERED]),
            "applications an employer moved to interviewing or straight to an offer",
        ),
        ("Offers extended", offer_totals["extended"], "one per application offered"),
        ("Offers accepted", offer_totals["accepted"], "accepted and not reversed"),
        ("Arrangements confirmed", confirmed, "dates and details agreed by both sides"),
    ]
    stages = []
    previous: int | None = None
    for label, count, explanation in raw:
        of_previous = round(100 * count / previous, 1) if previous else None
        stages.append(Stage(label, count, of_previous, explanation))
        previous = count
    return Funnel(
        cycle=cycle,
        stages=stages,
        postings_by_status=_by_status(postings, PostingStatus.choices),
        applications_by_status=_by_status(applications, ApplicationStatus.choices),
        offers_by_status=_by_status(offers, OfferStatus.choices),
        students_applying=totals["students"],
        applications_per_published_posting=(
            round(totals["applications"] / published, 1) if published else None
        ),
    )
