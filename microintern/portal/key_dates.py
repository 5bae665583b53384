"""Key dates of the cycle, announced on the day from 9:00 Eastern: postings open (to
students), interviews begin and offers go out (to employers with published postings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import Role, User
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import already_notified, notify
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
        # Their preferences with them: deciding each email costs no query of its own.
        audience = key_date_audience(cycle, key_date.key).select_related("notification_preference")
        for batch in batches(audience, BATCH):
            # On the day this runs every 15 minutes over 20,000 students: who was told
            # already is one query per batch, and nothing is rendered for them.
            keys = {user.pk: f"cycle:{cycle.pk}:{key_date.key}:{user.pk}" for user in batch}
            told = already_notified(keys.values())
            for user in batch:
                if keys[user.pk] in told:
                    continue
                with transaction.atomic():
                    written += bool(
                        notify(
                            recipient=user,
                            kind="key_date",
                            dedup_key=keys[user.pk],
                            context={"cycle": cycle, "key_date": key_date},
                            url=url,
                            batched=True,  # the batch's told ones were left out above
                        )
                    )
    return written


def batches(users: QuerySet[User], size: int) -> Iterator[list[User]]:
    """Users in primary-key order, `size` at a time (keyset pages: no OFFSET scans)."""
    last = 0
    while batch := list(users.filter(pk__gt=last).order_by("pk")[:size]):
        yield batch
        last = batch[-1].pk
