"""Reminders about work-authorization checklists: steps due soon, and steps overdue.

A sweep that beat runs every few minutes. From 9:00 Eastern it finds, with one query, the
open steps of active cases due within three days or overdue, and tells the student and every
ISO advisor once per step and kind of reminder: the outbox's deduplication key makes a second
run, or a second beat, a no-op. The key carries the due date, so a step whose date an advisor
moves earns its reminders again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from authorization.models import ACTIVE_STATES, ChecklistItem
from authorization.services import _case_url, iso_advisors
from microintern.accounts.models import User
from microintern.notifications.schedule import local, reminder_hour_passed
from microintern.notifications.services import notify

DUE_SOON = dt.timedelta(days=3)


def due_checklist_items(today: dt.date) -> QuerySet[ChecklistItem]:
    """Steps not done of open or submitted cases, due by `today` + 3 days (overdue too)."""
    return (
        ChecklistItem.objects.filter(
            done_at__isnull=True,
            case__state__in=ACTIVE_STATES,
            case__student__is_active=True,
            due_date__lte=today + DUE_SOON,
        )
        .select_related("case__student")
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
    for item in due_checklist_items(today):
        case = item.case
        which = "overdue" if item.due_date < today else "due-soon"
        context = {"case": case, "item": item, "which": which, "today": today}
        with transaction.atomic():
            for recipient, for_advisor in [(case.student, False)] + [(a, True) for a in advisors]:
                written += bool(
                    notify(
                        recipient=recipient,
                        kind="authorization_item_due",
                        dedup_key=item_due_key(item, which, recipient),
                        context={**context, "for_advisor": for_advisor},
                        url=_case_url(case, for_advisor=for_advisor),
                    )
                )
    return written
