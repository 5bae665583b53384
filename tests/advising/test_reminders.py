"""Reminders 24 hours and 1 hour before an appointment, to the student and the adviser,
each once; a moved appointment is reminded again for its new time; a steady sweep with
nothing due costs a handful of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from microintern.advising import services
from microintern.advising.reminders import appointment_reminder_sweep
from microintern.notifications.models import Notification
from tests.advising import factories

pytestmark = pytest.mark.django_db


def reminders():
    return Notification.objects.filter(kind="advising_reminder")


def test_it_reminds_both_a_day_ahead_then_an_hour_ahead(student, adviser):
    start = timezone.now() + dt.timedelta(hours=20)
    factories.BookedAppointmentFactory(
        student=student, slot=factories.AdvisingSlotFactory(adviser=adviser, start=start)
    )
    assert appointment_reminder_sweep() == 2
    assert {n.recipient for n in reminders()} == {student, adviser}
    assert appointment_reminder_sweep() == 0  # once
    assert appointment_reminder_sweep(now=start - dt.timedelta(minutes=50)) == 2
    assert reminders().count() == 4
    assert "within the hour" in reminders().filter(recipient=student).latest("pk").body_text


def test_it_does_not_remind_a_cancelled_or_far_off_appointment(student, adviser):
    factories.CancelledAppointmentFactory(
        student=student,
        slot=factories.AdvisingSlotFactory(
            adviser=adviser, start=timezone.now() + dt.timedelta(hours=5)
        ),
    )
    factories.BookedAppointmentFactory(
        student=student,
        slot=factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(4)),
    )
    assert appointment_reminder_sweep() == 0


def test_a_moved_appointment_is_reminded_for_its_new_time(student, adviser, settings):
    settings.ADVISING_BOOKING_CUTOFF_HOURS = 1
    settings.ADVISING_CHANGE_CUTOFF_HOURS = 1
    now = timezone.now()
    appointment = factories.BookedAppointmentFactory(
        student=student,
        slot=factories.AdvisingSlotFactory(adviser=adviser, start=now + dt.timedelta(hours=10)),
    )
    appointment_reminder_sweep()
    later = factories.AdvisingSlotFactory(adviser=adviser, start=now + dt.timedelta(hours=12))
    services.appointment_move(appointment=appointment, slot=later, by=student)
    assert appointment_reminder_sweep() == 2


def test_a_steady_sweep_makes_a_handful_of_queries(student, adviser):
    for hours in (3, 6, 9, 12, 15):
        factories.BookedAppointmentFactory(
            slot=factories.AdvisingSlotFactory(
                adviser=adviser, start=timezone.now() + dt.timedelta(hours=hours)
            )
        )
    appointment_reminder_sweep()
    with CaptureQueriesContext(connection) as queries:
        assert appointment_reminder_sweep() == 0
    # The due appointments (with student and adviser), then which reminders went out.
    assert len(queries) == 2
