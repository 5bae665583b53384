"""Reminders about applications: upcoming interviews, and applicants left waiting.

Each is a sweep that beat runs every few minutes. A sweep finds the due rows with one query
and notifies each once: the deduplication key of the outbox makes a second run, or a second
beat, a no-op.

- interview reminders: to both sides of a booked interview, 24 hours and 1 hour before it
  starts. The key carries the start time, so an interview moved to another time is reminded
  again for its new time;
- undecided applications: to the posting's employer members, from 9:00 Eastern once its
  deadline passed a week ago and some applicants are still waiting for a decision.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from applications.models import UNDECIDED_STATUSES, Interview, InterviewStatus
from microintern.accounts.models import User
from microintern.notifications.schedule import at_local, local, reminder_hour_passed
from microintern.notifications.services import already_notified, notify
from postings.access import employer_recipients_by_organization
from postings.models import Posting, PostingStatus

# Closest first: an interview booked 30 minutes ahead gets the 1-hour reminder only.
INTERVIEW_REMINDERS = (("1h", dt.timedelta(hours=1)), ("24h", dt.timedelta(hours=24)))
UNDECIDED_AFTER = dt.timedelta(days=7)
# Rows read, and reminder keys checked, per query.
REMINDER_BATCH = 500
# A posting is looked at for a week after it became due (a sweep missed for days still
# sends); after that its undecided applications close on their own (applications.close_undecided).
UNDECIDED_WINDOW = dt.timedelta(days=7)


def due_interviews(now: dt.datetime) -> QuerySet[Interview]:
    """Booked interviews starting after `now` and within the longest reminder's lead."""
    now = now.astimezone(dt.UTC)  # real hours: aware arithmetic in one zone is wall-clock
    return (
        Interview.objects.filter(
            status=InterviewStatus.BOOKED,
            slot__start__gt=now,
            slot__start__lte=now + INTERVIEW_REMINDERS[-1][1],
        )
        .select_related(
            "slot",
            "application__student__notification_preference",
            "application__posting__organization",
        )
        .order_by("slot__start", "pk")
    )


def interview_reminder_key(interview: Interview, which: str, user: User) -> str:
    # In UTC, so the key does not depend on the time zone the start was read in.
    start = interview.slot.start.astimezone(dt.UTC).isoformat()
    return f"interview:{interview.pk}:reminder-{which}:{start}:{user.pk}"


def interview_reminder_sweep(*, now: dt.datetime | None = None) -> int:
    """Remind both sides of a booked interview 24 hours and 1 hour before it starts.
    Returns how many reminders were written."""
    now = now or timezone.now()
    written = 0
    interviews = due_interviews(now).iterator(chunk_size=REMINDER_BATCH)
    while batch := list(islice(interviews, REMINDER_BATCH)):
        written += _remind_interviews(batch, now)
    return written


def _remind_interviews(batch: list[Interview], now: dt.datetime) -> int:
    """The batch's employer members in one query and what was told already in another: a
    steady run costs the same few queries whatever the interviews."""
    employers = employer_recipients_by_organization(
        i.application.posting.organization_id for i in batch
    )
    due = []
    for interview in batch:
        application = interview.application
        left = interview.slot.start - now
        which = next(label for label, before in INTERVIEW_REMINDERS if left <= before)
        recipients = [application.student] if application.student.is_active else []
        recipients += employers[application.posting.organization_id]
        keyed = [(r, interview_reminder_key(interview, which, r)) for r in recipients]
        due.append((interview, which, keyed))
    told = already_notified(key for *_, keyed in due for _, key in keyed)
    written = 0
    for interview, which, keyed in due:
        untold = [(recipient, key) for recipient, key in keyed if key not in told]
        if not untold:
            continue
        application = interview.application
        url = reverse("applications:detail", args=[application.pk])
        with transaction.atomic():
            for recipient, key in untold:
                written += bool(
                    notify(
                        recipient=recipient,
                        kind="interview_reminder",
                        dedup_key=key,
                        context={
                            "interview": interview,
                            "slot": interview.slot,
                            "application": application,
                            "posting": application.posting,
                            "which": which,
                            "for_student": recipient.pk == application.student_id,
                        },
                        url=url,
                        batched=True,
                    )
                )
    return written


def postings_with_undecided_applications(now: dt.datetime) -> QuerySet[Posting]:
    """Postings whose deadline passed a week ago (9:00 Eastern seven days before today's
    date, so the reminder goes out in the morning on both sides of a daylight-saving change)
    and that still have undecided applications, each with `undecided` counted."""
    today = local(now).date()
    cutoff = at_local(today - UNDECIDED_AFTER)
    undecided = Q(applications__status__in=UNDECIDED_STATUSES)
    return (
        Posting.objects.filter(
            status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED],
            deadline__lte=cutoff,
            deadline__gt=at_local(today - UNDECIDED_AFTER - UNDECIDED_WINDOW),
        )
        .annotate(undecided=Count("applications", filter=undecided))
        .filter(undecided__gt=0)
        .select_related("organization")
        .order_by("deadline", "pk")
    )


def undecided_applications_sweep(*, now: dt.datetime | None = None) -> int:
    """From 9:00 Eastern: one notification per posting and employer member when applicants
    are still waiting a week after the deadline. Sent once per posting and member."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    written = 0
    postings = postings_with_undecided_applications(now).iterator(chunk_size=REMINDER_BATCH)
    while batch := list(islice(postings, REMINDER_BATCH)):
        written += _remind_undecided(batch)
    return written


def _remind_undecided(batch: list[Posting]) -> int:
    employers = employer_recipients_by_organization(p.organization_id for p in batch)
    due = [
        (
            posting,
            [
                (r, f"posting:{posting.pk}:undecided-applications:{r.pk}")
                for r in employers[posting.organization_id]
            ],
        )
        for posting in batch
    ]
    told = already_notified(key for _, keyed in due for _, key in keyed)
    written = 0
    for posting, keyed in due:
        untold = [(recipient, key) for recipient, key in keyed if key not in told]
        if not untold:
            continue
        url = reverse("applications:applicants", args=[posting.pk])
        with transaction.atomic():
            for recipient, key in untold:
                written += bool(
                    notify(
                        recipient=recipient,
                        kind="undecided_applications",
                        dedup_key=key,
                        context={"posting": posting, "count": posting.undecided},
                        url=url,
                        batched=True,
                    )
                )
    return written
