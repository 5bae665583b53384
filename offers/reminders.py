"""Reminders about offers and arrangements. Each is a sweep that beat runs every few minutes;
it finds the due rows with one indexed query and notifies each once (the outbox's
deduplication key makes a second run, or a second beat, a no-op). Reminder times are 9:00
Eastern wall-clock time, on both sides of a daylight-saving change.

- decision reminders: to the student 2 business days before the deadline's day and on the
  morning of the last day;
- arrangement reminders: from the cycle's `arrangements_begin`, weekly to both sides of an
  accepted offer whose arrangement is not confirmed; after three, to CAPD staff as well;
- start reminders: a week before the agreed (confirmed) start date, to both sides, with the
  arrangement's details.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from itertools import islice

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import CAPD_STAFF_GROUP, User
from microintern.cycles.business_days import holidays_between
from microintern.notifications.models import Notification
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import already_notified, notify, notify_batch
from offers.deadlines import INSTITUTE_TZ, business_days_left
from offers.models import (
    Arrangement,
    ArrangementReminder,
    ArrangementStatus,
    Offer,
    OfferStatus,
)
from offers.selectors import start_readiness
from offers.services.common import context_for, tell_employer, tell_student
from postings.access import employer_recipients_by_organization

DECISION_REMINDERS = {2: "2d", 0: "last"}  # business days left after today -> which
ARRANGEMENT_PERIOD = dt.timedelta(days=7)
ESCALATE_AFTER = 3
# Offers read, and dedup keys checked, per query.
REMINDER_BATCH = 500
START_LEAD = dt.timedelta(days=7)


def decision_reminder_sweep(*, now: dt.datetime | None = None) -> int:
    """From 9:00 Eastern: the student's reminders for pending offers. The key carries the
    deadline's day, so an extension granted later earns its own reminders."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    written = 0
    batch: list[tuple[Offer, str, str]] = []
    for day, which in _decision_reminder_days(now):
        for offer in _decision_reminders_unsent(now, day, which).iterator(
            chunk_size=REMINDER_BATCH
        ):
            batch.append((offer, which, _decision_key(offer.pk, which, day)))
            if len(batch) == REMINDER_BATCH:
                written += _send_decision_reminders(batch)
                batch = []
    return written + _send_decision_reminders(batch)


def _decision_reminder_days(now: dt.datetime) -> list[tuple[dt.date, str]]:
    """The deadline days whose offers are reminded today, and which reminder each gets.

    Two business days can span a long weekend and a holiday: the days up to 6 ahead are
    counted, with the holidays read once for the run. Deciding by the deadline's day in
    Python keeps the rule in one place (business_days_left) while the database only reads the
    offers of those days."""
    today = local(now).date()
    holidays = holidays_between(today, today + dt.timedelta(days=7))
    days = []
    for ahead in range(7):
        day = today + dt.timedelta(days=ahead)
        deadline = dt.datetime.combine(day, dt.time(12), tzinfo=INSTITUTE_TZ)  # its day counts
        which = DECISION_REMINDERS.get(business_days_left(deadline, now, holidays))
        if which is not None:
            days.append((day, which))
    return days


def _decision_key(offer_pk: int, which: str, day: dt.date) -> str:
    return f"offer:{offer_pk}:decision-{which}:{day}:student"


def _decision_reminders_unsent(now: dt.datetime, day: dt.date, which: str):
    """Pending offers whose deadline falls on `day` (Eastern) and is still ahead, without the
    ones already told: a steady run reads no offer, whatever the backlog."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=INSTITUTE_TZ)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=INSTITUTE_TZ)
    key = Concat(
        Value("offer:"),
        Cast("pk", CharField()),
        Value(f":decision-{which}:{day}:student"),
        output_field=CharField(),
    )
    return (
        Offer.objects.filter(
            status=OfferStatus.PENDING,
            deadline__gt=now,
            deadline__gte=start,
            deadline__lt=end,
        )
        .alias(reminder_key=key)
        .exclude(Exists(Notification.objects.filter(dedup_key=OuterRef("reminder_key"))))
        .select_related("application__posting__organization", "student__notification_preference")
        .order_by("deadline", "pk")
    )


def _send_decision_reminders(batch: list[tuple[Offer, str, str]]) -> int:
    """The batch was read without the offers already told; notify()'s unique key still
    settles a race with a second beat (notify_batch: one commit for the batch)."""
    return notify_batch(
        {
            "recipient": offer.student,
            "kind": "offer_decision_reminder",
            "dedup_key": key,
            "context": context_for(offer, for_student=True, which=which),
            "url": reverse("offers:detail", args=[offer.pk]),
        }
        for offer, which, key in batch
    )


def capd_staff() -> list[User]:
    group = Group.objects.filter(name=CAPD_STAFF_GROUP).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True).order_by("pk"))


def arrangement_reminder_sweep(*, now: dt.datetime | None = None) -> int:
    """Weekly from the cycle's arrangements date, 9:00 Eastern, while not confirmed."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    today = local(now).date()
    offers = (
        Offer.objects.filter(
            status=OfferStatus.ACCEPTED,
            cycle__arrangements_begin__lte=today,
            cycle__iap_end__gte=today,
        )
        .exclude(arrangement__status=ArrangementStatus.CONFIRMED)
        .select_related(
            "application__posting__organization", "student__notification_preference", "cycle"
        )
        # The last week reminded and when, in the same query (weeks are sent in order, so the
        # latest sending is the last week's): a steady run reads no reminder row by row.
        .annotate(
            last_week=Max("arrangement_reminders__week"),
            last_sent=Max("arrangement_reminders__sent_at"),
        )
        .filter(
            Q(last_sent__isnull=True)
            | Q(last_sent__lte=now - ARRANGEMENT_PERIOD + dt.timedelta(hours=1))
        )
        .order_by("pk")
    )
    written = 0
    staff = functools.cache(capd_staff)  # read once per run, when a reminder escalates
    rows = offers.iterator(chunk_size=REMINDER_BATCH)
    while batch := list(islice(rows, REMINDER_BATCH)):
        # Each organization's members once per batch, with their preferences: a reminder
        # then costs its claim and its inserts (it read the members per offer: 6 queries and
        # 14 ms a reminder at a university's size).
        members = employer_recipients_by_organization(
            offer.application.posting.organization_id for offer in batch
        )
        written += _remind_arrangements(batch, members=members, now=now, staff=staff)
    return written


def _remind_arrangements(
    batch: list[Offer],
    *,
    members: dict[int, list[User]],
    now: dt.datetime,
    staff: Callable[[], list[User]],
) -> int:
    """One transaction per batch, a savepoint per reminder: its claim and its notifications
    stand or fall together."""
    written = 0
    with transaction.atomic():
        for offer in batch:
            week = (offer.last_week or 0) + 1
            written += _remind_arrangement(
                offer=offer,
                week=week,
                now=now,
                employers=members.get(offer.application.posting.organization_id, []),
                staff=staff() if week > ESCALATE_AFTER else [],
            )
    return written


def _remind_arrangement(
    *, offer: Offer, week: int, now: dt.datetime, employers: list[User], staff: list[User]
) -> int:
    """The week's claim is the "told already?": the offers were read without those reminded
    this week, and a second sweep that read the same week fails on the claim's unique week,
    so the notifications skip their own lookups (batched)."""
    try:
        with transaction.atomic():
            ArrangementReminder.objects.create(offer=offer, week=week, sent_at=now)
            key = f"arrangement-reminder-{week}"
            url = reverse("offers:arrangement", args=[offer.pk])
            told = {"kind": "arrangement_reminder", "key": key, "count": week, "batched": True}
            written = tell_student(offer, **told)
            written += tell_employer(offer, recipients=employers, **told)
            if week > ESCALATE_AFTER:
                for user in staff:
                    written += bool(
                        notify(
                            recipient=user,
                            kind="arrangement_reminder",
                            dedup_key=f"offer:{offer.pk}:{key}:capd-{user.pk}",
                            context=context_for(offer, for_staff=True, count=week - 1),
                            url=url,
                        )
                    )
            return written
    except IntegrityError:
        return 0


def start_reminder_sweep(*, now: dt.datetime | None = None) -> int:
    """A week before the agreed start date, 9:00 Eastern, to both sides (a late sweep still
    sends it until the day before the start)."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    today = local(now).date()
    arrangements = (
        Arrangement.objects.filter(
            status=ArrangementStatus.CONFIRMED,
            offer__status=OfferStatus.ACCEPTED,
            start_date__gt=today,
            start_date__lte=today + START_LEAD,
        )
        .select_related(
            "offer__application__posting__organization",
            "offer__student__notification_preference",
            "offer__authorization_case",
        )
        .order_by("pk")
    )
    written = 0
    rows = arrangements.iterator(chunk_size=REMINDER_BATCH)
    while batch := list(islice(rows, REMINDER_BATCH)):
        with transaction.atomic():  # one commit per batch, a savepoint per reminder
            written += _remind_starts(batch)
    return written


def _remind_starts(batch: list[Arrangement]) -> int:
    """Both sides are told in one transaction, so the student's key stands for the whole
    reminder: one query for the batch's keys, and a steady run reads nothing per row. (A
    member who joins the organization after the reminder went out is not sent it.)"""
    keyed = [(a, f"start-{a.start_date.isoformat()}") for a in batch]
    told = already_notified(f"offer:{a.offer_id}:{key}:student" for a, key in keyed)
    members = employer_recipients_by_organization(
        a.offer.application.posting.organization_id for a in batch
    )
    written = 0
    for arrangement, key in keyed:
        if f"offer:{arrangement.offer_id}:{key}:student" in told:
            continue
        offer = arrangement.offer
        # The reminder never says "starts on ..." while authorization still gates the start.
        readiness = start_readiness(offer, offer.authorization_case, arrangement.start_date)
        extra = {"arrangement": arrangement, "readiness": readiness}
        employers = members.get(offer.application.posting.organization_id, [])
        told_once = {"kind": "start_reminder", "key": key, "batched": True}
        with transaction.atomic():
            written += tell_student(offer, **told_once, **extra)
            written += tell_employer(offer, recipients=employers, **told_once, **extra)
    return written
