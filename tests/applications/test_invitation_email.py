"""Interview invitations as calendars take them: the email carries a `text/calendar;
method=REQUEST` (or CANCEL) alternative, the interviewer organizes, and both sides are
invited and sent it.

Each invitation is read twice: with `icalendar` (which wrote it) and with `ical`, a second,
strict RFC 5545 parser, so the file is not only what our own library reads back.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from applications import services
from microintern.notifications import services as notifications
from microintern.notifications.models import Notification
from postings.models import Membership
from tests.applications import factories
from tests.smtp_sink import SMTPSink


@pytest.fixture
def interviewing(posting, student):
    return factories.InterviewingApplicationFactory(posting=posting, student=student)


@pytest.fixture
def colleague(org_a):
    """A second member of the posting's organization, who runs this interview."""
    return factories.EmployerFactory(
        email="ines@example.com",
        full_name="Ines Interviewer",
        membership__organization=org_a,
        membership__role=Membership.Role.MEMBER,
    )


def offer_and_book(posting, by, application, student, days=3):
    start = (timezone.localtime() + dt.timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    (slot,) = services.interview_slots_offer(
        posting=posting,
        applications=[application],
        slots=[
            services.SlotSpec(
                start, start + dt.timedelta(minutes=30), "video", "https://meet.example.com/x"
            )
        ],
        by=by,
    )
    return services.interview_book(application=application, slot=slot, by=student)


def deliver_raw(kind: str, recipient) -> bytes:
    """Send the recipient's notification of this kind; the bytes that go over SMTP."""
    notification = Notification.objects.get(kind=kind, recipient=recipient)
    mail.outbox.clear()
    assert notifications.notification_deliver(notification_id=notification.pk)
    (sent,) = mail.outbox
    return sent.message().as_bytes()


def deliver(kind: str, recipient) -> EmailMessage:
    """The message as a mail client parses it."""
    return message_from_bytes(deliver_raw(kind, recipient), policy=policy.default)


def calendar_part(message: EmailMessage) -> EmailMessage:
    (alternative,) = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
    parts = list(alternative.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    return parts[2]


def strict_parse(ics: str):
    return IcsCalendarStream.calendar_from_ics(ics)


def test_it_sends_the_invitation_as_a_calendar_alternative_with_method_request(
    posting, employer, interviewing, student
):
    offer_and_book(posting, employer, interviewing, student)
    message = deliver("interview_booked", student)

    assert message.get_content_type() == "multipart/mixed"
    part = calendar_part(message)
    assert part["Content-Type"].params["method"] == "REQUEST"
    assert str(Calendar.from_ical(part.get_content())["method"]) == "REQUEST"
    assert strict_parse(part.get_content()).method == "REQUEST"


def test_it_writes_the_method_parameter_as_rfc_6047_does(posting, employer, interviewing, student):
    offer_and_book(posting, employer, interviewing, student)
    raw = deliver_raw("interview_booked", student)

    assert b'Content-Type: text/calendar; charset="utf-8"; method=REQUEST\n' in raw


def test_it_attaches_the_same_invitation_as_an_ics_file(posting, employer, interviewing, student):
    offer_and_book(posting, employer, interviewing, student)
    message = deliver("interview_booked", student)

    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".ics")
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content().decode() == calendar_part(message).get_content()


def test_the_interviewer_organizes_and_both_sides_are_attendees(
    posting, employer, colleague, interviewing, student
):
    offer_and_book(posting, colleague, interviewing, student)
    ics = calendar_part(deliver("interview_booked", student)).get_content()

    (event,) = strict_parse(ics).events
    assert event.organizer.uri == "mailto:ines@example.com"
    assert event.organizer.common_name == "Ines Interviewer"
    attendees = {a.uri: a for a in event.attendees}
    # The slot was offered by the colleague: the owner is neither organizer nor invited.
    assert set(attendees) == {f"mailto:{student.email}", "mailto:ines@example.com"}
    me = attendees[f"mailto:{student.email}"]
    assert (me.status, me.rsvp) == ("NEEDS-ACTION", True)
    assert attendees["mailto:ines@example.com"].status == "ACCEPTED"


def test_icalendar_reads_the_same_organizer_and_attendees(
    posting, employer, colleague, interviewing, student
):
    offer_and_book(posting, colleague, interviewing, student)
    ics = calendar_part(deliver("interview_booked", student)).get_content()

    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["organizer"]) == "mailto:ines@example.com"
    student_address = next(a for a in event["attendee"] if str(a) == f"mailto:{student.email}")
    assert student_address.params["PARTSTAT"] == "NEEDS-ACTION"
    assert student_address.params["RSVP"] == "TRUE"


def test_the_interviewer_is_sent_the_invitation_too(
    posting, employer, colleague, interviewing, student
):
    offer_and_book(posting, colleague, interviewing, student)
    message = deliver("interview_booked", colleague)

    assert message["To"] == "ines@example.com"
    (event,) = strict_parse(calendar_part(message).get_content()).events
    assert event.organizer.uri == "mailto:ines@example.com"
    assert not Notification.objects.filter(kind="interview_booked", recipient=employer).exists()


def test_a_move_keeps_the_uid_and_raises_the_sequence_in_the_email(
    posting, employer, interviewing, student
):
    interview = offer_and_book(posting, employer, interviewing, student)
    start = interview.slot.start + dt.timedelta(days=1)
    (later,) = services.interview_slots_offer(
        posting=posting,
        applications=[interviewing],
        slots=[services.SlotSpec(start, start + dt.timedelta(minutes=30), "phone", "+1 617")],
        by=employer,
    )
    booked = strict_parse(calendar_part(deliver("interview_booked", student)).get_content())
    services.interview_move(interview=interview, slot=later, by=student)
    moved = strict_parse(calendar_part(deliver("interview_moved", student)).get_content())

    assert moved.method == "REQUEST"
    assert moved.events[0].uid == booked.events[0].uid
    assert moved.events[0].sequence == booked.events[0].sequence + 1


def test_a_cancellation_is_sent_as_method_cancel(posting, employer, interviewing, student):
    interview = offer_and_book(posting, employer, interviewing, student)
    services.interview_cancel(interview=interview, by=employer, message="Our lead is ill.")

    for recipient in (student, employer):
        part = calendar_part(deliver("interview_cancelled", recipient))
        assert part["Content-Type"].params["method"] == "CANCEL"
        parsed = strict_parse(part.get_content())
        assert parsed.method == "CANCEL"
        assert parsed.events[0].status.value == "CANCELLED"


def test_the_download_names_the_method_too(
    client: Client, posting, employer, interviewing, student
):
    interview = offer_and_book(posting, employer, interviewing, student)
    client.force_login(student)
    response = client.get(reverse("applications:interview_ics", args=[interview.pk]))

    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert strict_parse(response.content.decode()).method == "REQUEST"


def test_a_posting_title_with_an_ampersand_arrives_as_typed(
    settings, posting, employer, interviewing, student
):
    posting.title = "R&D sensors at O'Brien's lab"
    posting.save(update_fields=["title"])
    offer_and_book(posting, employer, interviewing, student)
    notification = Notification.objects.get(kind="interview_booked", recipient=student)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with SMTPSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        notifications.notification_deliver(notification_id=notification.pk)
        (received,) = sink.messages

    assert received["Subject"].startswith("Interview booked: R&D sensors at O'Brien's lab,")
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "“R&D sensors at O'Brien's lab”" in text
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "R&amp;D sensors at O&#x27;Brien&#x27;s lab" in html  # escaped once, in HTML only
    assert "&amp;amp;" not in html
