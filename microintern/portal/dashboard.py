"""What waits for the staff today, for the top of the admin index: counts that link to the
filtered admin lists, per role, in a fixed handful of aggregate queries whatever the data
(each role's counts in one or two: microintern.core.counting).

CAPD staff: postings to review (with the oldest one's age), organizations to verify, unpaid
postings to decide, offers expiring in 48 hours, requests for more time, arrangements not
confirmed though the cycle's arrangements date passed, emails that failed.
CAPD staff also get the advising section: their own appointments today and this week,
appointments left to record, and every adviser's upcoming appointments per topic and per week.
ISO advisors: cases at risk, checklist steps to verify, first-year students without an
exception. MISTI program managers: global postings and their applicants.
CAPD's counts hold no immigration data; the ISO advisors' are theirs alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from authorization.eligibility import MIN_FULL_TIME_TERMS
from authorization.models import (
    ACTIVE_STATES,
    AuthorizationCase,
    ChecklistItem,
    FirstYearOverride,
    ImmigrationProfile,
)
from microintern.accounts.models import CAPD_STAFF_GROUP, MISTI_MANAGERS_GROUP, User
from microintern.advising.models import BOOKABLE_TOPICS, Appointment, AppointmentStatus, Topic
from microintern.advising.periods import day_bounds, week_bounds
from microintern.core.counting import count_each
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import EmailState, Notification
from offers.models import (
    Arrangement,
    ArrangementStatus,
    ExtensionRequest,
    ExtensionStatus,
    Offer,
    OfferStatus,
)
from postings.models import Organization, Posting, PostingStatus


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    detail: str = ""  # e.g. "oldest: 6 days"


@dataclass(frozen=True)
class WorkList:
    heading: str
    items: list[WorkItem]

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items)


# `cycle` left out: work_for reads the current cycle itself.
READ_CURRENT_CYCLE: Any = object()


def work_for(
    user: User,
    *,
    now: dt.datetime | None = None,
    cycle: RecruitingCycle | None = READ_CURRENT_CYCLE,
) -> list[WorkList]:
    """The lists this staff member's roles call for (none for anyone else). A page that has
    read the current cycle already passes it (None: there is none)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    now = now or timezone.now()
    lists = []
    if user.in_group(CAPD_STAFF_GROUP):
        if cycle is READ_CURRENT_CYCLE:
            cycle = RecruitingCycle.objects.current()
        lists.append(WorkList("CAPD: waiting for you", _linked(user, _capd(now, cycle))))
        lists.append(WorkList("CAPD advising", _linked(user, _advising(user, now))))
    if user.is_iso_advisor:
        lists.append(WorkList("ISO advisors: waiting for you", _linked(user, _iso())))
    if user.in_group(MISTI_MANAGERS_GROUP):
        lists.append(WorkList("MISTI: global postings", _linked(user, _misti())))
    return lists


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _linked(user: User, items: list[WorkItem]) -> list[WorkItem]:
    """A count links to its list only where the user may open that list."""
    return [item if _may_open(user, item.url) else replace(item, url="") for item in items]


def _may_open(user: User, url: str) -> bool:
    # /admin/<app_label>/<model>/ : the model's view permission decides, as the admin does.
    app_label, model = url.split("?")[0].strip("/").split("/")[1:3]
    return user.has_perm(f"{app_label}.view_{model}") or user.has_perm(
        f"{app_label}.change_{model}"
    )


def _age(since: dt.datetime | None, now: dt.datetime) -> str:
    if since is None:
        return ""
    days = (now - since).days
    return "oldest: today" if days == 0 else f"oldest: {days} day{'s' if days != 1 else ''}"


def _capd(now: dt.datetime, cycle: RecruitingCycle | None) -> list[WorkItem]:
    # Filtered before aggregating: only the postings under review are read (an index), not
    # every posting ever made, which a FILTER clause alone would scan.
    postings = Posting.objects.filter(status=PostingStatus.SUBMITTED).aggregate(
        review=Count("pk"),
        unpaid=Count("pk", filter=Q(is_paid=False)),
        oldest=Min("submitted_at"),
    )
    waiting = {
        "unverified": Organization.objects.filter(verified=False),
        "expiring": Offer.objects.filter(
            status=OfferStatus.PENDING,
            deadline__gt=now,
            deadline__lte=now + dt.timedelta(hours=48),
        ),
        "extensions": ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING),
        "failed": Notification.objects.filter(email_state=EmailState.FAILED),
    }
    if cycle is not None and timezone.localdate(now) >= cycle.arrangements_begin:
        waiting["late_arrangements"] = Arrangement.objects.filter(
            offer__cycle=cycle, offer__status=OfferStatus.ACCEPTED
        ).exclude(status=ArrangementStatus.CONFIRMED)
    counts = {"late_arrangements": 0, **count_each(**waiting)}
    return [
        WorkItem(
            "Postings awaiting review",
            postings["review"],
            _url("admin:postings_submittedposting_changelist"),
            _age(postings["oldest"], now),
        ),
        WorkItem(
            "Organizations to verify",
            counts["unverified"],
            _url("admin:postings_organization_changelist", "verified__exact=0"),
        ),
        WorkItem(
            "Unpaid postings to decide",
            postings["unpaid"],
            _url("admin:postings_submittedposting_changelist", "is_paid__exact=0"),
        ),
        WorkItem(
            "Offers expiring in the next 48 hours",
            counts["expiring"],
            _url("admin:offers_offer_changelist", "deadline=soon"),
        ),
        WorkItem(
            "Requests for more time waiting",
            counts["extensions"],
            _url("admin:offers_extensionrequest_changelist", "status__exact=pending"),
        ),
        WorkItem(
            "Arrangements not confirmed (the arrangements date has passed)",
            counts["late_arrangements"],
            _url("admin:offers_arrangement_changelist", "confirmed=no"),
        ),
        WorkItem(
            "Emails that failed",
            counts["failed"],
            _url("admin:notifications_notification_changelist", "email_state__exact=failed"),
        ),
    ]


ADVISING_WEEKS = 3  # this week and the two after it


def _advising(user: User, now: dt.datetime) -> list[WorkItem]:
    """One aggregate query: the adviser's own day and week, what waits to be recorded, and
    every adviser's upcoming appointments per topic and per week."""
    booked = Q(status=AppointmentStatus.BOOKED)
    mine = Q(slot__adviser=user) & ~Q(status=AppointmentStatus.CANCELLED)
    today_start, today_end = day_bounds(now)
    week_start, week_end = week_bounds(now)
    in_day = Q(slot__start__gte=today_start, slot__start__lt=today_end)
    in_week = Q(slot__start__gte=week_start, slot__start__lt=week_end)
    upcoming = booked & Q(slot__start__gt=now)
    weeks = [week_bounds(now, n) for n in range(ADVISING_WEEKS)]
    counts = Appointment.objects.aggregate(
        today=Count("pk", filter=mine & in_day),
        week=Count("pk", filter=mine & in_week),
        to_record=Count("pk", filter=booked & Q(slot__start__lte=now)),
        **{
            f"topic_{topic}": Count("pk", filter=upcoming & Q(topic=topic))
            for topic in BOOKABLE_TOPICS
        },
        **{
            f"week_{n}": Count(
                "pk",
                filter=~Q(status=AppointmentStatus.CANCELLED)
                & Q(slot__start__gte=start, slot__start__lt=end),
            )
            for n, (start, end) in enumerate(weeks)
        },
    )
    changelist = "admin:advising_appointment_changelist"
    items = [
        WorkItem("Your appointments today", counts["today"], _url(changelist, "mine=1&when=today")),
        WorkItem(
            "Your appointments this week", counts["week"], _url(changelist, "mine=1&when=week")
        ),
        WorkItem(
            "Appointments to record as held or no-show",
            counts["to_record"],
            _url(changelist, "when=to_record"),
        ),
    ]
    items += [
        WorkItem(
            f"Upcoming, {Topic(topic).label.lower()}",
            counts[f"topic_{topic}"],
            _url(changelist, f"when=upcoming&topic__exact={topic}"),
        )
        for topic in BOOKABLE_TOPICS
    ]
    week_query = ["when=week", "when=next_week", ""]
    items += [
        WorkItem(
            f"Week of {timezone.localtime(start):%b %-d}, all advisers",
            counts[f"week_{n}"],
            _url(changelist, week_query[n]),
        )
        for n, (start, _) in enumerate(weeks)
    ]
    return items


def _iso() -> list[WorkItem]:
    counts = count_each(
        at_risk=AuthorizationCase.objects.filter(at_risk=True, state__in=ACTIVE_STATES),
        to_verify=ChecklistItem.objects.filter(
            done_at__isnull=False, verified_at__isnull=True, case__state__in=ACTIVE_STATES
        ),
        first_years=ImmigrationProfile.objects.filter(
            full_time_terms_completed__lt=MIN_FULL_TIME_TERMS
        )
        .exclude(immigration_status__in=["citizen", "permanent_resident"])
        .exclude(Exists(FirstYearOverride.objects.filter(student=OuterRef("student")))),
    )
    return [
        WorkItem(
            "Cases at risk",
            counts["at_risk"],
            _url("admin:authorization_authorizationcase_changelist", "at_risk__exact=1"),
        ),
        WorkItem(
            "Checklist steps to verify",
            counts["to_verify"],
            _url(
                "admin:authorization_checklistitem_changelist",
                "done_at__isempty=0&verified_at__isempty=1",
            ),
        ),
        WorkItem(
            "First-year students without an exception",
            counts["first_years"],
            _url("admin:authorization_immigrationprofile_changelist"),
        ),
    ]


def _misti() -> list[WorkItem]:
    global_postings = Posting.objects.filter(is_global=True)
    counts = global_postings.aggregate(
        published=Count("pk", filter=Q(status=PostingStatus.PUBLISHED)),
        submitted=Count("pk", filter=Q(status=PostingStatus.SUBMITTED)),
    )
    applicants = Application.objects.filter(posting__is_global=True).count()
    return [
        WorkItem(
            "Global postings published",
            counts["published"],
            _url("admin:postings_posting_changelist", "is_global__exact=1"),
        ),
        WorkItem(
            "Global postings awaiting review",
            counts["submitted"],
            _url("admin:postings_submittedposting_changelist", "is_global__exact=1"),
        ),
        WorkItem(
            "Applicants to global postings",
            applicants,
            _url("admin:applications_application_changelist", "posting__is_global__exact=1"),
        ),
    ]
