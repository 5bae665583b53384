"""Each advising email renders (subject, text and HTML) for both sides, with the time in
Eastern time and the zone; none carries the adviser's private note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from microintern.advising import services
from microintern.advising.models import Topic
from microintern.advising.reminders import appointment_reminder_sweep
from microintern.notifications.models import EmailState, Notification
from tests.advising import factories

pytestmark = pytest.mark.django_db


def test_every_advising_email_renders_for_both_sides(student, adviser, slot):
    appointment = services.appointment_book(
        student=student, slot=slot, topic=Topic.OFFER_DECISION, message="Two offers!"
    )
    other = factories.AdvisingSlotFactory(
        adviser=adviser, start=timezone.now() + dt.timedelta(hours=20)
    )
    services.appointment_move(appointment=appointment, slot=other, by=student)
    appointment_reminder_sweep()
    services.appointment_cancel(appointment=appointment, by=adviser, message="Sick today")
    sent = Notification.objects.filter(kind__startswith="advising_")
    assert {n.kind for n in sent} == {
        "advising_booked",
        "advising_moved",
        "advising_reminder",
        "advising_cancelled",
    }
    assert sent.count() == 8  # each to the student and to the adviser
    for notification in sent:
        assert notification.email_state != EmailState.FAILED, notification.last_error
        assert " ES" in notification.subject or " ED" in notification.subject  # EST or EDT
        assert "deciding on an offer" in notification.body_text
        assert notification.body_html.startswith("<!DOCTYPE html>")
    to_adviser = sent.get(kind="advising_booked", recipient=adviser)
    assert "Two offers!" in to_adviser.body_text
    assert "Sick today" in sent.get(kind="advising_cancelled", recipient=student).body_text
