"""The cycle in pictures, for CAPD staff: the funnel from posted to cleared to start, postings
and applications per week against the key dates, how long reviews and employers take, and
how offers ended, by field of study and by alumni host.

Counts and durations only, never names. Work authorization appears as one aggregate (how many
confirmed arrangements may start, citizens and authorized international students together),
which says nothing about any student's status. A fixed number of queries whatever the size of
the cycle: every figure is an aggregate, and the two duration charts are bucketed by the
database (conditional counts over a duration), not row by row here.

The geometry of each chart (bar widths, column heights, marker positions) is computed here so
that the templates only draw SVG rectangles from numbers; the same numbers are in the table
beside each chart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    When,
    Window,
)
from django.db.models.functions import Lag, TruncDate
from django.utils import timezone

from applications.models import Application, ApplicationStatus, ApplicationStatusChange
from authorization.models import CaseState
from microintern.cycles.models import KeyDate, RecruitingCycle
from offers.models import Arrangement, ArrangementStatus, Offer, OfferStatus
from postings.models import Posting, PostingStatus, PostingStatusChange

# How long a review or an employer's first answer took, in the buckets CAPD talks about.
DURATION_BUCKETS: list[tuple[str, dt.timedelta | None]] = [
    ("Within a day", dt.timedelta(days=1)),
    ("1–3 days", dt.timedelta(days=3)),
    ("3–7 days", dt.timedelta(days=7)),
    ("1–2 weeks", dt.timedelta(days=14)),
    ("Over 2 weeks", None),
]
REVIEW_OUTCOMES = [
    PostingStatus.PUBLISHED,
    PostingStatus.CHANGES_REQUESTED,
    PostingStatus.REJECTED,
]
# An employer's first move on an application (a student's withdrawal is not an answer).
EMPLOYER_ANSWERS = [
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INTERVIEWING,
    ApplicationStatus.OFFERED,
    ApplicationStatus.NOT_SELECTED,
]
OUTCOMES = [OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.RESCINDED]
NO_FIELD = "No field given"
# Drawing sizes, in SVG user units (the charts scale to their container).
BAR_WIDTH = 100.0
WEEK_WIDTH = 24.0
WEEK_HEIGHT = 120.0


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: float  # share of the longest bar, 0..BAR_WIDTH
    note: str = ""


@dataclass(frozen=True)
class Week:
    start: dt.date
    postings: int
    applications: int
    x: float
    postings_height: float
    applications_height: float

    # The columns stand on the axis at WEEK_HEIGHT; SVG's y grows downwards.
    @property
    def postings_x(self) -> float:
        return self.x + 2

    @property
    def applications_x(self) -> float:
        return self.x + 12

    @property
    def postings_y(self) -> float:
        return round(WEEK_HEIGHT - self.postings_height, 2)

    @property
    def applications_y(self) -> float:
        return round(WEEK_HEIGHT - self.applications_height, 2)


@dataclass(frozen=True)
class Marker:
    title: str
    date: dt.date
    x: float


@dataclass(frozen=True)
class Durations:
    bars: list[Bar]
    mean_days: float | None
    total: int

    @property
    def mean_text(self) -> str:
        """ "3.5 days", or hours under a day ("6 hours"), or "" with nothing to measure."""
        if self.mean_days is None:
            return ""
        if self.mean_days >= 1:
            return f"{self.mean_days:g} day{'s' if self.mean_days != 1 else ''}"
        hours = round(self.mean_days * 24)
        return "under an hour" if hours < 1 else f"{hours} hour{'s' if hours != 1 else ''}"


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    counts: dict[str, int]
    total: int
    # (status label, x, width) segments of a stacked bar, 0..BAR_WIDTH in all.
    segments: list[tuple[str, str, float, float]]

    @property
    def count_list(self) -> list[int]:
        return list(self.counts.values())


@dataclass(frozen=True)
class CycleCharts:
    cycle: RecruitingCycle
    funnel: list[Bar]
    weeks: list[Week]
    markers: list[Marker]
    weeks_width: float
    review: Durations
    response: Durations
    still_waiting: int
    by_field: list[OutcomeRow]
    by_host: list[OutcomeRow]
    outcome_labels: list[tuple[str, str]]
    computed_at: dt.datetime

    @property
    def outcome_groups(self) -> list[tuple[str, str, list[OutcomeRow]]]:
        return [
            ("By the posting's field of study", "Field of study", self.by_field),
            ("By host", "Host", self.by_host),
        ]

    @property
    def weeks_view_box(self) -> str:
        return f"-4 -14 {self.weeks_width + 8:g} {WEEK_HEIGHT + 56:g}"


def bars(rows: Iterable[tuple[str, int, str]]) -> list[Bar]:
    rows = list(rows)
    longest = max((count for _, count, _ in rows), default=0)
    return [
        Bar(label, count, round(BAR_WIDTH * count / longest, 2) if longest else 0.0, note)
        for label, count, note in rows
    ]


def _funnel(cycle: RecruitingCycle) -> list[Bar]:
    postings = Posting.objects.filter(cycle=cycle).aggregate(
        posted=Count("pk", filter=Q(submitted_at__isnull=False)),
        approved=Count("pk", filter=Q(published_at__isnull=False)),
    )
    applications = Application.objects.filter(posting__cycle=cycle).count()
    interviewed = (
        ApplicationStatusChange.objects.filter(
            application__posting__cycle=cycle,
            to_status__in=[ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFERED],
        )
        .values("application_id")
        .distinct()
        .count()
    )
    offers = Offer.objects.filter(cycle=cycle).aggregate(
        extended=Count("pk"), accepted=Count("pk", filter=Q(status=OfferStatus.ACCEPTED))
    )
    arranged = Arrangement.objects.filter(
        offer__cycle=cycle, offer__status=OfferStatus.ACCEPTED, status=ArrangementStatus.CONFIRMED
    ).aggregate(
        arranged=Count("pk"),
        cleared=Count(
            "pk",
            filter=Q(offer__authorization_case__isnull=True)
            | Q(offer__authorization_case__state=CaseState.AUTHORIZED),
        ),
    )
    return bars(
        [
            ("Posted", postings["posted"], "submitted for review"),
            ("Approved", postings["approved"], "published by CAPD"),
            ("Applications", applications, "sent by students"),
            ("Interviews", interviewed, "applications moved to interviewing or an offer"),
            ("Offers", offers["extended"], "extended"),
            ("Accepted", offers["accepted"], "accepted and not reversed"),
            ("Arranged", arranged["arranged"], "dates confirmed by both sides"),
            ("Cleared to start", arranged["cleared"], "no authorization needed, or authorized"),
        ]
    )


def _week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _per_day(queryset, field: str) -> dict[dt.date, int]:
    return dict(
        queryset.annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
        .order_by()
    )


def _weeks(cycle: RecruitingCycle) -> tuple[list[Week], list[Marker], float]:
    """Postings submitted and applications sent per week (Monday to Sunday, Eastern time),
    from the week postings open (or the first activity) to the end of IAP."""
    postings = _per_day(
        Posting.objects.filter(cycle=cycle, submitted_at__isnull=False), "submitted_at"
    )
    applications = _per_day(Application.objects.filter(posting__cycle=cycle), "submitted_at")
    per_week: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, n in postings.items():
        per_week[_week_of(day)][0] += n
    for day, n in applications.items():
        per_week[_week_of(day)][1] += n
    key_dates: list[KeyDate] = cycle.key_dates()
    first = min([_week_of(cycle.postings_open), *per_week])
    last = max([_week_of(cycle.iap_end), *per_week])
    starts = [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    tallest = max((max(counts) for counts in per_week.values()), default=0)

    def height(n: int) -> float:
        return round(WEEK_HEIGHT * n / tallest, 2) if tallest else 0.0

    weeks = []
    for i, start in enumerate(starts):
        posted, applied = per_week.get(start, (0, 0))
        weeks.append(
            Week(start, posted, applied, round(i * WEEK_WIDTH, 2), height(posted), height(applied))
        )
    markers = [
        Marker(key.title, key.date, round(WEEK_WIDTH * (key.date - first).days / 7, 2))
        for key in key_dates
        if first <= key.date <= last + dt.timedelta(days=6)
    ]
    return weeks, markers, WEEK_WIDTH * len(starts)


def _durations(counts: list[int], mean: dt.timedelta | None, total: int) -> Durations:
    return Durations(
        bars([(label, n, "") for (label, _), n in zip(DURATION_BUCKETS, counts, strict=True)]),
        round(mean.total_seconds() / 86400, 2) if mean is not None else None,
        total,
    )


def durations(queryset, span) -> Durations:
    """Bucket counts and the mean of `span` (a duration expression) over `queryset`, in one
    aggregate query: the database counts, nothing is fetched row by row."""
    spans = queryset.annotate(span=ExpressionWrapper(span, output_field=DurationField())).filter(
        span__gte=dt.timedelta(0)
    )
    # Counted on the span, not "pk": over grouped rows (one per application) a "pk" would
    # join the GROUP BY and count the rows inside each group.
    counts: dict[str, Any] = {"total": Count("span"), "mean": Avg("span")}
    previous: dt.timedelta | None = None
    for i, (_, limit) in enumerate(DURATION_BUCKETS):
        within = Q() if previous is None else Q(span__gt=previous)
        if limit is not None:
            within &= Q(span__lte=limit)
        counts[f"bucket_{i}"] = Count("span", filter=within)
        previous = limit
    found = spans.aggregate(**counts)
    return _durations(
        [found[f"bucket_{i}"] for i in range(len(DURATION_BUCKETS))], found["mean"], found["total"]
    )


def _review_times(cycle: RecruitingCycle) -> Durations:
    """For each review decision, the time since the submission it decided (the change just
    before it in the posting's history, read with a window function): a resubmitted posting
    counts once per review. The database buckets and averages them in one query over the
    cycle's status changes; reading them row by row here cost half a second per 10,000
    postings, and a correlated subquery per decision cost seconds.

    Only the window may filter the rows (a WHERE on the decision's own statuses would run
    before LAG and hide the submissions), so a change that is no decision gets no span."""
    in_order = {"partition_by": [F("posting_id")], "order_by": [F("at").asc(), F("pk").asc()]}
    decision = Q(from_status=PostingStatus.SUBMITTED, to_status__in=REVIEW_OUTCOMES)
    changes = (
        PostingStatusChange.objects.filter(posting__cycle=cycle)
        .annotate(asked_status=Window(Lag("to_status"), **in_order))
        .filter(asked_status=PostingStatus.SUBMITTED)
    )
    decided_at = Case(When(decision, then=F("at")), output_field=DateTimeField())
    return durations(changes, decided_at - Window(Lag("at"), **in_order))


def _response_times(cycle: RecruitingCycle) -> tuple[Durations, int]:
    """From an application to the employer's first move on it; and how many still wait.

    The first answers are grouped from the status changes (one row per answered
    application), not by annotating every application with a join: about half the time."""
    answers = ApplicationStatusChange.objects.filter(
        application__posting__cycle=cycle, to_status__in=EMPLOYER_ANSWERS
    )
    first_answers = (
        answers.values("application_id", "application__submitted_at")
        .annotate(answered_at=Min("at"))
        .order_by()
    )
    waiting = (
        Application.objects.filter(posting__cycle=cycle)
        .exclude(Exists(answers.filter(application=OuterRef("pk"))))
        .count()
    )
    return durations(first_answers, F("answered_at") - F("application__submitted_at")), waiting


def _outcome_rows(counted: dict[str, dict[str, int]]) -> list[OutcomeRow]:
    labels = dict(OfferStatus.choices)
    rows = []
    for label in sorted(counted, key=lambda name: (-sum(counted[name].values()), name)):
        counts = counted[label]
        total = sum(counts.values())
        segments, x = [], 0.0
        for status in OUTCOMES:
            width = round(BAR_WIDTH * counts.get(status, 0) / total, 2) if total else 0.0
            if width:
                segments.append((status, labels[status], x, width))
            x += width
        rows.append(OutcomeRow(label, {s: counts.get(s, 0) for s in OUTCOMES}, total, segments))
    return rows


def _outcomes(cycle: RecruitingCycle) -> tuple[list[OutcomeRow], list[OutcomeRow]]:
    """Decided offers by the posting's field of study (a posting with several fields counts
    in each) and by whether an alum hosts it."""
    decided = Offer.objects.filter(cycle=cycle, status__in=OUTCOMES)
    by_field: dict[str, dict[str, int]] = defaultdict(dict)
    for name, status, n in (
        decided.values_list("application__posting__fields_of_study__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_field[name or NO_FIELD][status] = n
    by_host: dict[str, dict[str, int]] = defaultdict(dict)
    for alumni_host, status, n in (
        decided.values_list("application__posting__alumni_host", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_host["Alumni host" if alumni_host else "Other employers"][status] = n
    return _outcome_rows(by_field), _outcome_rows(by_host)


def cycle_charts(cycle: RecruitingCycle) -> CycleCharts:
    weeks, markers, weeks_width = _weeks(cycle)
    response, waiting = _response_times(cycle)
    by_field, by_host = _outcomes(cycle)
    return CycleCharts(
        cycle=cycle,
        funnel=_funnel(cycle),
        weeks=weeks,
        markers=markers,
        weeks_width=weeks_width,
        review=_review_times(cycle),
        response=response,
        still_waiting=waiting,
        by_field=by_field,
        by_host=by_host,
        outcome_labels=[(s, OfferStatus(s).label) for s in OUTCOMES],
        computed_at=timezone.now(),
    )


# The charts are the same for every member of CAPD who opens them, and cost seconds at a large
# university's size (every posting, application and offer of the cycle is counted): they are
# kept for CHARTS_SECONDS and the page says when they were computed. A change to the cycle
# itself (its name, its key dates) empties them at once (apps.py); a new application shows
# within CHARTS_SECONDS, which a picture of weeks and totals can wait for.
CHARTS_SECONDS = 5 * 60


def _charts_key(cycle_pk: int) -> str:
    return f"portal:cycle-charts:v1:{cycle_pk}"


def cached_cycle_charts(cycle: RecruitingCycle) -> CycleCharts:
    """cycle_charts(cycle), as computed at most CHARTS_SECONDS ago."""
    found = cache.get(_charts_key(cycle.pk))
    if found is None:
        found = cycle_charts(cycle)
        cache.set(_charts_key(cycle.pk), found, CHARTS_SECONDS)
    return found


def forget_cycle_charts(instance: RecruitingCycle, **_signal: Any) -> None:
    cache.delete(_charts_key(instance.pk))
    transaction.on_commit(lambda: cache.delete(_charts_key(instance.pk)))
