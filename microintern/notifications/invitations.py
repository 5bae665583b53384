"""What every calendar invitation (RFC 5545) the portal sends has in common, for the
interview (applications/calendar.py) and advising (microintern/advising/calendar.py)
invitations: the calendar and its event in the institute's zone, the people as calendar
addresses, the portal as SENT-BY, a VTIMEZONE covering only the event's years."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from microintern.accounts.models import User

ICS_MIMETYPE = "text/calendar"


def calendar_address(user: User, **params: str) -> vCalAddress:
    """mailto: with the person's name as CN; `sent_by="..."` becomes SENT-BY, and so on."""
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(str(user))
    for name, value in params.items():
        address.params[name.replace("_", "-")] = vText(value)
    return address


def portal_mailto() -> str:
    """The portal's own address: the SENT-BY of an organizer, since the portal sends it."""
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


def invitation(
    *,
    prodid: str,
    method: str,
    uid: str,
    sequence: int,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    description: str,
) -> tuple[Calendar, Event]:
    """The calendar and its event, times in the institute's zone; the caller adds the
    organizer and attendees, then calls `to_ics`."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    return calendar, event


def to_ics(calendar: Calendar, event: Event) -> str:
    calendar.add_component(event)
    # The VTIMEZONE only needs to cover this event's dates, not 1970 to 2038.
    year = event.decoded("dtstart").year
    calendar.add_missing_timezones(
        first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31)
    )
    return calendar.to_ical().decode()
