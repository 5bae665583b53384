"""Calendar invitations (RFC 5545) for advising appointments, built with `icalendar` as the
interview invitations are (applications/calendar.py).

The adviser is the ORGANIZER (with the portal's address as SENT-BY, since the portal sends
the email) and the student the ATTENDEE; both are sent it. Times carry America/New_York with
its VTIMEZONE. A moved appointment keeps its UID with a higher SEQUENCE; a cancelled one is
METHOD:CANCEL.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from microintern.accounts.models import User
from microintern.advising.models import Appointment, AppointmentStatus
from microintern.notifications.services import absolute_url

PRODID = "-//CAPD Micro-internships//Advising//EN"
ICS_MIMETYPE = "text/calendar"


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


def _address(user: User, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(str(user))
    for name, value in params.items():
        address.params[name.replace("_", "-")] = vText(value)
    return address


def appointment_ics(appointment: Appointment) -> str:
    """The invitation as it stands. The adviser's private note is never in it."""
    slot = appointment.slot
    adviser = slot.adviser
    zone = ZoneInfo(settings.TIME_ZONE)
    method = ics_method(appointment)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", slot.start.astimezone(zone))
    event.add("dtend", slot.end.astimezone(zone))
    event.add("summary", f"CAPD advising: {appointment.get_topic_display()}")
    event.add("location", slot.location)
    event.add(
        "description",
        f"{slot.get_format_display()} with {adviser} (CAPD) about "
        f"{appointment.get_topic_display().lower()}.\n"
        f"Where: {slot.location}\n"
        f"Appointment: {absolute_url(reverse('advising:detail', args=[appointment.pk]))}",
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    portal = f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    event.add("organizer", _address(adviser, sent_by=portal))
    event.add(
        "attendee",
        _address(
            appointment.student,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp="TRUE",
        ),
    )
    calendar.add_component(event)
    year = slot.start.year
    calendar.add_missing_timezones(
        first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31)
    )
    return calendar.to_ical().decode()
