"""Reminders of advising appointments: to the student and the adviser, 24 hours and 1 hour
before the start. Beat runs the sweep every few minutes; it finds the due appointments with
one query, asks the outbox which reminders went out already with one more, and writes only
the missing ones (the outbox's unique key makes a second beat harmless). The key carries the
start time, so a moved appointment is reminded again for its new time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.advising.models import Appointment, AppointmentStatus
from microintern.notifications.services import already_notified, notify

# Closest first: an appointment booked 30 minutes ahead gets the 1-hour reminder only.
REMINDERS = (("1h", dt.timedelta(hours=1)), ("24h", dt.timedelta(hours=24)))


def due_appointments(now: dt.datetime) -> QuerySet[Appointment]:
    now = now.astimezone(dt.UTC)
    return (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            slot__start__gt=now,
            slot__start__lte=now + REMINDERS[-1][1],
        )
        .select_related("slot__adviser", "student")
        .order_by("slot__start", "pk")
    )


def reminder_key(appointment: Appointment, which: str, user: User) -> str:
    start = appointment.slot.start.astimezone(dt.UTC).isoformat()
    return f"advising:{appointment.pk}:reminder-{which}:{start}:{user.pk}"


def appointment_reminder_sweep(*, now: dt.datetime | None = None) -> int:
    """Returns how many reminders were written."""
    now = now or timezone.now()
    due = []
    for appointment in due_appointments(now):
        left = appointment.slot.start - now
        which = next(label for label, before in REMINDERS if left <= before)
        for recipient in (appointment.student, appointment.slot.adviser):
            if recipient.is_active:
                due.append(
                    (appointment, which, recipient, reminder_key(appointment, which, recipient))
                )
    sent = already_notified(key for *_, key in due)
    written = 0
    for appointment, which, recipient, key in due:
        if key in sent:
            continue
        for_student = recipient.pk == appointment.student_id
        url = (
            reverse("advising:detail", args=[appointment.pk])
            if for_student
            else reverse("admin:advising_appointment_change", args=[appointment.pk])
        )
        with transaction.atomic():
            written += bool(
                notify(
                    recipient=recipient,
                    kind="advising_reminder",
                    dedup_key=key,
                    context={
                        "appointment": appointment,
                        "slot": appointment.slot,
                        "adviser": appointment.slot.adviser,
                        "student": appointment.student,
                        "which": which,
                        "for_student": for_student,
                    },
                    url=url,
                )
            )
    return written
