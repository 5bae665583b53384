"""Reminders about work-authorization checklists: steps due soon, and steps overdue.

A sweep that beat runs every few minutes. From 9:00 Eastern it finds, with one query, the
open steps of active cases due within three days or overdue, and tells the student and every
ISO advisor once per step and kind of reminder: the outbox's deduplication key makes a second
run, or a second beat, a no-op. The key carries the due date, so a step whose date an advisor
moves earns its reminders again.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from authorization.models import ACTIVE_STATES, ChecklistItem
from authorization.services import _case_url, iso_advisors
from microintern.accounts.models import User
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import already_notified, notify

DUE_SOON = dt.timedelta(days=3)


# Steps read, and reminder keys checked, per query.
REMINDER_BATCH = 500


def due_checklist_items(today: dt.date) -> QuerySet[ChecklistItem]:
    """Steps not done of open or submitted cases, due by `today` + 3 days (overdue too)."""
    return (
        ChecklistItem.objects.filter(
            done_at__isnull=True,
            case__state__in=ACTIVE_STATES,
            case__student__is_active=True,
            due_date__lte=today + DUE_SOON,
        )
        .select_related("case__student__notification_preference")
        .order_by("due_date", "case_id", "position")
    )


def item_due_key(item: ChecklistItem, which: str, recipient: User) -> str:
    return f"authorization_item_due:{item.pk}:{which}:{item.due_date.isoformat()}:{recipient.pk}"


def authorization_item_due_sweep(*, now: dt.datetime | None = None) -> int:
    """From 9:00 Eastern: a "due-soon" reminder once a step is due within three days, and an
    "overdue" one once its day has passed. Returns how many notifications were written."""
    now = now or timezone.now()
    if not reminder_hour_passed(now):
        return 0
    today = local(now).date()
    advisors = iso_advisors()
    written = 0
    items = due_checklist_items(today).iterator(chunk_size=REMINDER_BATCH)
    while batch := list(islice(items, REMINDER_BATCH)):
        written += _remind_items(batch, advisors, today)
    return written


def _remind_items(batch: list[ChecklistItem], advisors: list[User], today: dt.date) -> int:
    """One query for what this batch's student and advisors were told already; a steady run
    (every step reminded) renders nothing and opens no savepoint."""
    due = []
    for item in batch:
        which = "overdue" if item.due_date < today else "due-soon"
        recipients = [(item.case.student, False)] + [(a, True) for a in advisors]
        due.append((item, which, [(r, adv, item_due_key(item, which, r)) for r, adv in recipients]))
    told = already_notified(key for *_, keyed in due for *_, key in keyed)
    written = 0
    for item, which, keyed in due:
        untold = [(r, adv, key) for r, adv, key in keyed if key not in told]
        if not untold:
            continue
        case = item.case
        context = {"case": case, "item": item, "which": which, "today": today}
        with transaction.atomic():
            for recipient, for_advisor, key in untold:
                written += bool(
                    notify(
                        recipient=recipient,
                        kind="authorization_item_due",
                        dedup_key=key,
                        context={**context, "for_advisor": for_advisor},
                        url=_case_url(case, for_advisor=for_advisor),
                        batched=True,
                    )
                )
    return written
