"""Key dates of the cycle, announced on the day from 9:00 Eastern: postings open (to
students), interviews begin and offers go out (to employers with published postings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import Role, User
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import Notification
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import notify_batch
from postings.models import Posting, PostingStatus

BATCH = 500


def key_date_audience(cycle: RecruitingCycle, key: str) -> QuerySet[User]:
    active = User.objects.filter(is_active=True)
    if key == "postings_open":
        return active.filter(role=Role.STUDENT)
    posting_orgs = Posting.objects.filter(cycle=cycle, status=PostingStatus.PUBLISHED).values(
        "organization_id"
    )
    return active.filter(role=Role.EMPLOYER, membership__organization__in=posting_orgs)


ANNOUNCED = ("postings_open", "interviews_begin", "offers_begin")


def key_date_sweep(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cycle = RecruitingCycle.objects.current()
    if cycle is None or not reminder_hour_passed(now):
        return 0
    today = local(now).date()
    written = 0
    for key_date in cycle.key_dates():
        if key_date.key not in ANNOUNCED or key_date.date != today:
            continue
        url = reverse("postings:list") if key_date.key == "postings_open" else reverse("home")
        # Without those told already (NOT EXISTS on the announcement's key), with their
        # preferences: on the day this runs every 15 minutes over 20,000 students, and a run
        # after the announcement went out reads nobody (it read every student, 40 batches,
        # 2 s at a university's size).
        told_key = Concat(
            Value(f"cycle:{cycle.pk}:{key_date.key}:"),
            Cast("pk", CharField()),
            output_field=CharField(),
        )
        audience = (
            key_date_audience(cycle, key_date.key)
            .alias(announcement_key=told_key)
            .exclude(Exists(Notification.objects.filter(dedup_key=OuterRef("announcement_key"))))
            .select_related("notification_preference")
        )
        for batch in batches(audience, BATCH):
            # One commit per batch (a commit per student waited for the disk 20,000 times);
            # the told ones were left out above.
            written += notify_batch(
                {
                    "recipient": user,
                    "kind": "key_date",
                    "dedup_key": f"cycle:{cycle.pk}:{key_date.key}:{user.pk}",
                    "context": {"cycle": cycle, "key_date": key_date},
                    "url": url,
                }
                for user in batch
            )
    return written


def batches(users: QuerySet[User], size: int) -> Iterator[list[User]]:
    """Users in primary-key order, `size` at a time (keyset pages: no OFFSET scans)."""
    last = 0
    while batch := list(users.filter(pk__gt=last).order_by("pk")[:size]):
        yield batch
        last = batch[-1].pk
