"""Calendar invitations (RFC 5545) for interviews, built with `icalendar`.

Times carry the institute's time zone (America/New_York, with its VTIMEZONE), so calendars
show the right local time anywhere. A moved interview keeps its UID with a higher SEQUENCE;
a cancelled one is sent with METHOD:CANCEL.

The employer's interviewer is the ORGANIZER (RFC 5546), with the portal's address as SENT-BY
since the portal sends the email: the student's Accept or Decline goes to the interviewer,
not to a mailbox nobody reads. The student and the interviewer are both ATTENDEEs, and both
are sent the invitation.
"""

from __future__ import annotations

from django.urls import reverse
from icalendar import vCalAddress, vText

from applications.models import Interview, InterviewStatus
from applications.selectors import interview_hosts
from microintern.accounts.models import User
from microintern.notifications.invitations import (
    ICS_MIMETYPE,
    calendar_address,
    invitation,
    portal_mailto,
    to_ics,
)
from microintern.notifications.services import absolute_url

PRODID = "-//CAPD Micro-internships//Interviews//EN"


def ics_method(interview: Interview) -> str:
    """REQUEST while booked, CANCEL once cancelled: the calendar's METHOD and the email
    part's `method=` parameter, which must agree (RFC 6047)."""
    return "CANCEL" if interview.status == InterviewStatus.CANCELLED else "REQUEST"


def ics_content_type(interview: Interview) -> str:
    """The invitation's MIME type, in an email or a download: a mail client shows Accept
    and Decline for `text/calendar; method=REQUEST`, and a bare `text/calendar` as a file."""
    return f"{ICS_MIMETYPE}; method={ics_method(interview)}"


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.uid}@microintern"


def interview_ics(interview: Interview, hosts: list[User] | None = None) -> str:
    """The invitation as it stands: REQUEST while booked, CANCEL once cancelled.

    `hosts` is `interview_hosts(interview)`, for a caller that has it already.
    """
    slot = interview.slot
    application = interview.application
    posting = application.posting
    method = ics_method(interview)
    hosts = interview_hosts(interview) if hosts is None else hosts
    calendar, event = invitation(
        prodid=PRODID,
        method=method,
        uid=interview_uid(interview),
        sequence=interview.sequence,
        start=slot.start,
        end=slot.end,
        summary=f"Interview: {posting.title} ({posting.organization.name})",
        location=slot.location,
        description=(
            f"{slot.get_format_display()} interview for the micro-internship “{posting.title}”.\n"
            f"Where: {slot.location}\n"
            f"Application: {absolute_url(reverse('applications:detail', args=[application.pk]))}"
        ),
    )
    portal = portal_mailto()
    if hosts:
        event.add("organizer", calendar_address(hosts[0], sent_by=portal))
    else:  # nobody is left at the employer: the portal stands in, as before
        organizer = vCalAddress(portal)
        organizer.params["cn"] = vText(posting.organization.name)
        event.add("organizer", organizer)
    # The student's calendar asks them to answer, and the answer goes to the organizer.
    event.add(
        "attendee",
        calendar_address(
            application.student,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp="TRUE",
        ),
    )
    for host in hosts:
        # They offered this time, so they have accepted it; their calendar asks nothing.
        event.add(
            "attendee",
            calendar_address(
                host, cutype="INDIVIDUAL", role="REQ-PARTICIPANT", partstat="ACCEPTED", rsvp="FALSE"
            ),
        )
    return to_ics(calendar, event)


def ics_filename(interview: Interview) -> str:
    return f"interview-{interview.pk}.ics"
