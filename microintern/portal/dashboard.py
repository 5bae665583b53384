"""What waits for the staff today, for the top of the admin index: counts that link to the
filtered admin lists, per role, in a fixed handful of aggregate queries whatever the data.

CAPD staff: postings to review (with the oldest one's age), organizations to verify, unpaid
postings to decide, offers expiring in 48 hours, requests for more time, arrangements not
confirmed though the cycle's arrangements date passed, emails that failed.
ISO advisors: cases at risk, checklist steps to verify, first-year students without an
exception. MISTI program managers: global postings and their applicants.
CAPD's counts hold no immigration data; the ISO advisors' are theirs alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

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


def work_for(user: User, *, now: dt.datetime | None = None) -> list[WorkList]:
    """The lists this staff member's roles call for (none for anyone else)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    now = now or timezone.now()
    lists = []
    if user.in_group(CAPD_STAFF_GROUP):
        lists.append(WorkList("CAPD: waiting for you", _linked(user, _capd(now))))
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


def _capd(now: dt.datetime) -> list[WorkItem]:
    submitted = Q(status=PostingStatus.SUBMITTED)
    postings = Posting.objects.aggregate(
        review=Count("pk", filter=submitted),
        unpaid=Count("pk", filter=submitted & Q(is_paid=False)),
        oldest=Min("submitted_at", filter=submitted),
    )
    unverified = Organization.objects.filter(verified=False).count()
    expiring = Offer.objects.filter(
        status=OfferStatus.PENDING, deadline__gt=now, deadline__lte=now + dt.timedelta(hours=48)
    ).count()
    extensions = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count()
    cycle = RecruitingCycle.objects.current()
    late_arrangements = (
        Arrangement.objects.filter(offer__cycle=cycle, offer__status=OfferStatus.ACCEPTED)
        .exclude(status=ArrangementStatus.CONFIRMED)
        .count()
        if cycle is not None and timezone.localdate(now) >= cycle.arrangements_begin
        else 0
    )
    failed = Notification.objects.filter(email_state=EmailState.FAILED).count()
    return [
        WorkItem(
            "Postings awaiting review",
            postings["review"],
            _url("admin:postings_submittedposting_changelist"),
            _age(postings["oldest"], now),
        ),
        WorkItem(
            "Organizations to verify",
            unverified,
            _url("admin:postings_organization_changelist", "verified__exact=0"),
        ),
        WorkItem(
            "Unpaid postings to decide",
            postings["unpaid"],
            _url("admin:postings_submittedposting_changelist", "is_paid__exact=0"),
        ),
        WorkItem(
            "Offers expiring in the next 48 hours",
            expiring,
            _url("admin:offers_offer_changelist", "deadline=soon"),
        ),
        WorkItem(
            "Requests for more time waiting",
            extensions,
            _url("admin:offers_extensionrequest_changelist", "status__exact=pending"),
        ),
        WorkItem(
            "Arrangements not confirmed (the arrangements date has passed)",
            late_arrangements,
            _url("admin:offers_arrangement_changelist", "confirmed=no"),
        ),
        WorkItem(
            "Emails that failed",
            failed,
            _url("admin:notifications_notification_changelist", "email_state__exact=failed"),
        ),
    ]


def _iso() -> list[WorkItem]:
    at_risk = AuthorizationCase.objects.filter(at_risk=True, state__in=ACTIVE_STATES).count()
    to_verify = ChecklistItem.objects.filter(
        done_at__isnull=False, verified_at__isnull=True, case__state__in=ACTIVE_STATES
    ).count()
    first_years = (
        ImmigrationProfile.objects.filter(full_time_terms_completed__lt=MIN_FULL_TIME_TERMS)
        .exclude(immigration_status__in=["citizen", "permanent_resident"])
        .exclude(Exists(FirstYearOverride.objects.filter(student=OuterRef("student"))))
        .count()
    )
    return [
        WorkItem(
            "Cases at risk",
            at_risk,
            _url("admin:authorization_authorizationcase_changelist", "at_risk__exact=1"),
        ),
        WorkItem(
            "Checklist steps to verify",
            to_verify,
            _url(
                "admin:authorization_checklistitem_changelist",
                "done_at__isempty=0&verified_at__isempty=1",
            ),
        ),
        WorkItem(
            "First-year students without an exception",
            first_years,
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
