"""Calendar invitations (RFC 5545) for advising appointments, built with `icalendar` as the
interview invitations are (applications/calendar.py).

The adviser is the ORGANIZER (with the portal's address as SENT-BY, since the portal sends
the email) and the student the ATTENDEE; both are sent it. Times carry America/New_York with
its VTIMEZONE. A moved appointment keeps its UID with a higher SEQUENCE; a cancelled one is
METHOD:CANCEL.
"""

from __future__ import annotations

from django.urls import reverse

from microintern.advising.models import Appointment, AppointmentStatus
from microintern.notifications.invitations import (
    ICS_MIMETYPE,
    calendar_address,
    invitation,
    portal_mailto,
    to_ics,
)
from microintern.notifications.services import absolute_url

PRODID = "-//CAPD Micro-internships//Advising//EN"


def ics_method(appointment: Appointment) -> str:
    """CANCEL once cancelled, REQUEST otherwise: the calendar's METHOD and the email part's
    `method=` parameter, which must agree (RFC 6047)."""
    return "CANCEL" if appointment.status == AppointmentStatus.CANCELLED else "REQUEST"


def ics_content_type(appointment: Appointment) -> str:
    return f"{ICS_MIMETYPE}; method={ics_method(appointment)}"


def ics_filename(appointment: Appointment) -> str:
    return f"advising-{appointment.pk}.ics"


def appointment_uid(appointment: Appointment) -> str:
    return f"advising-{appointment.uid}@microintern"


def appointment_ics(appointment: Appointment) -> str:
    """The invitation as it stands. The adviser's private note is never in it."""
    slot = appointment.slot
    adviser = slot.adviser
    method = ics_method(appointment)
    topic = appointment.get_topic_display()
    calendar, event = invitation(
        prodid=PRODID,
        method=method,
        uid=appointment_uid(appointment),
        sequence=appointment.sequence,
        start=slot.start,
        end=slot.end,
        summary=f"CAPD advising: {topic}",
        location=slot.location,
        description=(
            f"{slot.get_format_display()} with {adviser} (CAPD) about {topic.lower()}.\n"
            f"Where: {slot.location}\n"
            f"Appointment: {absolute_url(reverse('advising:detail', args=[appointment.pk]))}"
        ),
    )
    portal = portal_mailto()
    event.add("organizer", calendar_address(adviser, sent_by=portal))
    event.add(
        "attendee",
        calendar_address(
            appointment.student,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp="TRUE",
        ),
    )
    return to_ics(calendar, event)
