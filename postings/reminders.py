"""Reminders about postings: deadlines of saved postings, new postings for saved searches and
new postings in the fields of students who asked for them on their profile.

Each is a sweep that beat runs every few minutes. A sweep finds the due rows with one
indexed query and notifies each once: the deduplication key of the outbox makes a second run,
or a second beat, a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import StudentProfile
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import already_notified, notify, notify_batch
from postings.forms import IgnoredFilter, PostingSearchForm
from postings.models import AlertFrequency, Posting, PostingStatus, SavedPosting, SavedSearch
from postings.search import apply_filters

# Saved postings: reminders 3 days and 1 day before the deadline.
DEADLINE_REMINDERS = (("1d", dt.timedelta(days=1)), ("3d", dt.timedelta(days=3)))
ALERT_PERIODS = {
    AlertFrequency.DAILY: dt.timedelta(days=1),
    AlertFrequency.WEEKLY: dt.timedelta(days=7),
}
ALERT_BATCH = 200
REMINDER_BATCH = 500


def open_postings(now: dt.datetime):
    """Published and open at `now` (the sweep's clock, not the wall clock, so that a late
    sweep judges by the moment it stands for)."""
    return Posting.objects.filter(status=PostingStatus.PUBLISHED, deadline__gt=now)


def deadline_reminder_key(saved: SavedPosting, which: str) -> str:
    return f"saved-posting:{saved.pk}:deadline-{which}"


def saved_posting_deadline_sweep(*, now: dt.datetime | None = None) -> int:
    """Remind students of saved postings they have not applied to, 3 days and 1 day before
    the deadline. Returns how many reminders were written."""
    now = now or timezone.now()
    due = SavedPosting.objects.filter(
        posting__status=PostingStatus.PUBLISHED,
        posting__deadline__gt=now,
        posting__deadline__lte=now + DEADLINE_REMINDERS[-1][1],
        user__is_active=True,
    )
    # Nobody is told to apply to a posting they already applied to (one NOT EXISTS over the
    # applications' reverse relation: no import of the layer above).
    due = due.exclude(posting__applications__student=F("user")).select_related(
        "posting__organization", "user__notification_preference"
    )
    written = 0
    for batch in batches(due.order_by("pk"), REMINDER_BATCH):
        written += _remind_batch(batch, now=now)
    return written


def batches(queryset, size: int):
    """The rows in primary-key order, `size` at a time (keyset pages: no OFFSET scans)."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _remind_batch(batch: list[SavedPosting], *, now: dt.datetime) -> int:
    # The sweep runs every few minutes over the same saved postings: what was told already
    # is skipped with one query per batch, before anything is rendered.
    due = []
    for saved in batch:
        left = saved.posting.deadline - now
        # The closest reminder only: a posting saved 20 hours before its deadline gets the
        # 1-day reminder, not a late 3-day one as well.
        which = next(label for label, before in DEADLINE_REMINDERS if left <= before)
        due.append((saved, which, deadline_reminder_key(saved, which)))
    told = already_notified(key for _, _, key in due)
    untold = [(saved, which, key) for saved, which, key in due if key not in told]
    if not untold:
        return 0
    # The told ones were left out and the preferences read with the batch (notify_batch).
    return notify_batch(
        {
            "recipient": saved.user,
            "kind": "posting_deadline_reminder",
            "dedup_key": key,
            "context": {"posting": saved.posting, "which": which},
            "url": reverse("postings:detail", args=[saved.posting_id]),
        }
        for saved, which, key in untold
    )


def saved_search_alert_sweep(*, now: dt.datetime | None = None) -> int:
    """Daily or weekly: new postings matching each saved search, from 9:00 Eastern. A saved
    search with a criterion that is no longer valid sends no alert; its owner is told once
    that it needs updating (saved_search_stale)."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    due = Q()
    for frequency, period in ALERT_PERIODS.items():
        due |= Q(frequency=frequency) & (
            Q(last_alerted_at__isnull=True)
            | Q(last_alerted_at__lte=now - period + dt.timedelta(hours=1))
        )
    written = 0
    searches = SavedSearch.objects.filter(due, user__is_active=True).select_related("user")
    for search in searches[:ALERT_BATCH]:
        written += _alert_one(search=search, now=now)
    return written


@transaction.atomic
def _alert_one(*, search: SavedSearch, now: dt.datetime) -> int:
    since = search.last_alerted_at or search.created_at
    # Claim the period first: a concurrent sweep that read the same row changes nothing.
    claimed = SavedSearch.objects.filter(
        pk=search.pk, last_alerted_at=search.last_alerted_at
    ).update(last_alerted_at=now)
    if not claimed:
        return 0
    form = PostingSearchForm(QueryDict(search.query_string))
    stale = form.ignored()
    if stale:
        # A criterion that no longer holds (a field of study since removed): alerts for the
        # wider search would be wrong, so none go out, and the owner is told once.
        return _tell_stale(search=search, stale=stale)
    filters = form.filters()
    matches = list(
        apply_filters(open_postings(now).filter(published_at__gt=since), filters).select_related(
            "organization"
        )[:20]
    )
    if not matches:
        return 0
    notification = notify(
        recipient=search.user,
        kind="saved_search_alert",
        dedup_key=f"saved-search:{search.pk}:{local(now).date().isoformat()}",
        context={"search": search, "postings": matches},
        url=reverse("postings:list") + ("?" + search.query_string if search.query_string else ""),
    )
    return int(notification is not None)


def stale_notice_key(search: SavedSearch, stale: list[IgnoredFilter]) -> str:
    """Once per saved search and set of stale criteria (hashed: a value can be long)."""
    criteria = "&".join(sorted(f"{item.name}={item.value}" for item in stale))
    return f"saved-search:{search.pk}:stale:{hashlib.sha256(criteria.encode()).hexdigest()[:16]}"


def _tell_stale(*, search: SavedSearch, stale: list[IgnoredFilter]) -> int:
    notification = notify(
        recipient=search.user,
        kind="saved_search_stale",
        dedup_key=stale_notice_key(search, stale),
        context={"search": search, "stale": stale},
        url=reverse("postings:saved"),
    )
    return int(notification is not None)


FIELD_ALERT_PERIOD = dt.timedelta(days=1)


def field_alert_sweep(*, now: dt.datetime | None = None) -> int:
    """Daily, from 9:00 Eastern: postings published since the last look in the majors or
    minor of each student who ticked "tell me about new postings in my fields"."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    due = (
        StudentProfile.objects.filter(notify_new_postings=True, user__is_active=True)
        .filter(
            Q(new_postings_alerted_at__isnull=True)
            | Q(new_postings_alerted_at__lte=now - FIELD_ALERT_PERIOD + dt.timedelta(hours=1))
        )
        .select_related("user")
        .order_by("pk")
    )
    written = 0
    for profile in due[:ALERT_BATCH]:
        written += _field_alert_one(profile=profile, now=now)
    return written


@transaction.atomic
def _field_alert_one(*, profile: StudentProfile, now: dt.datetime) -> int:
    since = profile.new_postings_alerted_at or now - FIELD_ALERT_PERIOD
    # Claim the period first: a concurrent sweep that read the same row changes nothing.
    claimed = StudentProfile.objects.filter(
        pk=profile.pk, new_postings_alerted_at=profile.new_postings_alerted_at
    ).update(new_postings_alerted_at=now)
    if not claimed:
        return 0
    fields = [*profile.major_list(), *([profile.minor] if profile.minor else [])]
    if not fields:
        return 0
    matches = list(
        open_postings(now)
        .filter(published_at__gt=since, fields_of_study__name__in=fields)
        .distinct()
        .select_related("organization")
        .order_by("deadline", "pk")[:20]
    )
    if not matches:
        return 0
    notification = notify(
        recipient=profile.user,
        kind="new_postings_in_fields",
        dedup_key=f"fields-alert:{profile.user_id}:{local(now).date().isoformat()}",
        context={"postings": matches, "fields": fields},
        url=reverse("postings:list"),
    )
    return int(notification is not None)
