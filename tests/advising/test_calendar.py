"""The invitations read back by vobject, a parser independent of icalendar (which writes
them): METHOD, the adviser as ORGANIZER and the student as ATTENDEE, the time in
America/New_York with its zone, one UID across a move with a higher SEQUENCE, and CANCEL."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse

from microintern.advising import services
from microintern.advising.calendar import appointment_ics
from microintern.advising.models import Topic
from microintern.notifications.models import Notification
from tests.advising import factories

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("America/New_York")


def parse(text: str):
    return vobject.readOne(text)


def booked(student, slot):
    return services.appointment_book(
        student=student, slot=slot, topic=Topic.INTERVIEW_PREPARATION, message="Mock interview"
    )


def test_the_invitation_is_a_request_from_the_adviser_to_the_student(
    client, student, adviser, slot
):
    appointment = booked(student, slot)
    client.force_login(student)
    response = client.get(reverse("advising:ics", args=[appointment.pk]))
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    calendar = parse(response.content.decode())
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.organizer.value == f"mailto:{adviser.email}"
    assert event.attendee.value == f"mailto:{student.email}"
    assert event.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    # vobject resolves TZID against the calendar's VTIMEZONE and keeps the name it read.
    assert event.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["America/New_York"]
    tzid = vobject.icalendar.TimezoneComponent.pickTzid(event.dtstart.value.tzinfo)
    assert tzid == "America/New_York"
    assert event.dtstart.value.utcoffset() == slot.start.astimezone(ZONE).utcoffset()
    assert event.dtstart.value == slot.start
    assert event.dtend.value == slot.end
    assert calendar.vtimezone.tzid.value == "America/New_York"
    assert int(event.sequence.value) == 0


def test_a_move_keeps_the_uid_with_a_higher_sequence(student, adviser, slot):
    appointment = booked(student, slot)
    first = parse(appointment_ics(appointment))
    other = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(5))
    moved = services.appointment_move(appointment=appointment, slot=other, by=student)
    second = parse(appointment_ics(moved))
    assert second.vevent.uid.value == first.vevent.uid.value
    assert int(second.vevent.sequence.value) == 1
    assert second.vevent.dtstart.value == other.start


def test_a_cancelled_appointment_is_sent_as_cancel(student, adviser, slot):
    appointment = booked(student, slot)
    services.appointment_cancel(appointment=appointment, by=adviser, message="Sorry")
    sent = Notification.objects.get(kind="advising_cancelled", recipient=student)
    calendar = parse(sent.attachment_content)
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) == 1
    assert sent.attachment_mimetype == "text/calendar; method=CANCEL"
