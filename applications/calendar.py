"""Calendar invitations (RFC 5545) for interviews, built with `icalendar`.

Times carry the institute's time zone (America/New_York, with its VTIMEZONE), so calendars
show the right local time anywhere. A moved interview keeps its UID with a higher SEQUENCE;
a cancelled one is sent with METHOD:CANCEL.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from applications.models import Interview, InterviewStatus
from microintern.notifications.services import absolute_url

PRODID = "-//CAPD Micro-internships//Interviews//EN"
ICS_MIMETYPE = "text/calendar"


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.uid}@microintern"


def interview_ics(interview: Interview) -> str:
    """The invitation as it stands: REQUEST while booked, CANCEL once cancelled."""
    slot = interview.slot
    application = interview.application
    posting = application.posting
    zone = ZoneInfo(settings.TIME_ZONE)
    cancelled = interview.status == InterviewStatus.CANCELLED

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", slot.start.astimezone(zone))
    event.add("dtend", slot.end.astimezone(zone))
    event.add("summary", f"Interview: {posting.title} ({posting.organization.name})")
    event.add("location", slot.location)
    event.add(
        "description",
        f"{slot.get_format_display()} interview for the micro-internship “{posting.title}”.\n"
        f"Where: {slot.location}\n"
        f"Application: {absolute_url(reverse('applications:detail', args=[application.pk]))}",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}")
    organizer.params["cn"] = vText(posting.organization.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{application.student.email}")
    attendee.params["cn"] = vText(str(application.student))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    # The VTIMEZONE only needs to cover this event's dates, not 1970 to 2038.
    year = slot.start.year
    calendar.add_missing_timezones(
        first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31)
    )
    return calendar.to_ical().decode()


def ics_filename(interview: Interview) -> str:
    return f"interview-{interview.pk}.ics"
