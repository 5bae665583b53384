"""Interviews: slots offered, booked once, moved until the cut-off, cancelled by either
side; each event gives both sides an RFC 5545 invitation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from applications import services
from applications.models import MOVE_CUTOFF, Interview, InterviewSlot, SlotTaken
from applications.services import InterviewError, SlotSpec
from microintern.notifications.models import Notification
from tests.applications import factories


@pytest.fixture
def interviewing(posting, student):
    return factories.InterviewingApplicationFactory(posting=posting, student=student)


@pytest.fixture
def rival(posting, other_student):
    return factories.InterviewingApplicationFactory(posting=posting, student=other_student)


def in_days(days: float, hour: int = 10) -> dt.datetime:
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def spec(start: dt.datetime, minutes: int = 30, **kwargs) -> SlotSpec:
    values = {"format": "video", "location": "https://meet.example.com/x", **kwargs}
    return SlotSpec(start=start, end=start + dt.timedelta(minutes=minutes), **values)


def offer(posting, employer, applications, *starts):
    return services.interview_slots_offer(
        posting=posting, applications=applications, slots=[spec(s) for s in starts], by=employer
    )


def parse(ics: str):
    calendar = Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


# --- offering ---------------------------------------------------------------------------------
def test_it_offers_slots_to_a_set_of_applicants(posting, employer, interviewing, rival):
    slots = offer(posting, employer, [interviewing, rival], in_days(3), in_days(4))
    assert len(slots) == 2
    assert set(slots[0].offered_to.all()) == {interviewing, rival}


def test_it_tells_the_students_times_were_offered(posting, employer, interviewing):
    offer(posting, employer, [interviewing], in_days(3))
    notification = Notification.objects.get(recipient=interviewing.student)
    assert "Choose an interview time" in notification.subject


def test_it_refuses_slots_in_the_past(posting, employer, interviewing):
    with pytest.raises(ValidationError, match="passed"):
        offer(posting, employer, [interviewing], in_days(-1))


def test_it_refuses_a_slot_ending_before_it_starts(posting, employer, interviewing):
    bad = SlotSpec(in_days(3), in_days(3) - dt.timedelta(hours=1), "phone", "+1 617 555 0100")
    with pytest.raises(ValidationError, match="end comes before"):
        services.interview_slots_offer(
            posting=posting, applications=[interviewing], slots=[bad], by=employer
        )


def test_it_refuses_slots_for_applicants_not_yet_interviewing(posting, employer, application):
    with pytest.raises(ValidationError, match="interviewing"):
        offer(posting, employer, [application], in_days(3))


def test_it_refuses_slots_from_another_organization(posting, other_employer, interviewing):
    with pytest.raises(PermissionDenied):
        offer(posting, other_employer, [interviewing], in_days(3))


def test_it_offers_slots_through_the_page(client, employer, posting, interviewing):
    client.force_login(employer)
    start = in_days(5)
    response = client.post(
        reverse("applications:slots_offer", args=[posting.pk]),
        {
            "applications": [interviewing.pk],
            "slots-TOTAL_FORMS": "2",
            "slots-INITIAL_FORMS": "0",
            "slots-0-start": start.strftime("%Y-%m-%dT%H:%M"),
            "slots-0-duration": "45",
            "slots-0-format": "onsite",
            "slots-0-location": "1 Main St, Cambridge",
            "slots-1-start": "",
            "slots-1-duration": "30",
            "slots-1-format": "video",
            "slots-1-location": "",
        },
    )
    assert response.status_code == 302
    slot = InterviewSlot.objects.get()
    assert slot.start == start and slot.end == start + dt.timedelta(minutes=45)


# --- booking ----------------------------------------------------------------------------------
def test_it_books_an_offered_slot(posting, employer, interviewing, student):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    assert interview.slot == slot and interview.is_booked


def test_it_refuses_a_slot_someone_else_booked_with_a_clear_message(
    posting, employer, interviewing, rival, student, other_student
):
    (slot,) = offer(posting, employer, [interviewing, rival], in_days(3))
    services.interview_book(application=rival, slot=slot, by=other_student)
    with pytest.raises(SlotTaken, match="Someone else booked that time"):
        services.interview_book(application=interviewing, slot=slot, by=student)
    assert Interview.objects.count() == 1


def test_it_shows_the_taken_slot_message_on_the_page(
    client, posting, employer, interviewing, rival, student, other_student
):
    (slot,) = offer(posting, employer, [interviewing, rival], in_days(3))
    services.interview_book(application=rival, slot=slot, by=other_student)
    client.force_login(student)
    response = client.post(
        reverse("applications:interview_book", args=[interviewing.pk]),
        {"slot": slot.pk},
        follow=True,
    )
    assert "Someone else booked that time" in response.content.decode()


def test_it_guards_one_booking_per_slot_in_the_database(posting, employer, interviewing, rival):
    from django.db import IntegrityError, transaction

    (slot,) = offer(posting, employer, [interviewing, rival], in_days(3))
    Interview.objects.create(application=rival, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(application=interviewing, slot=slot)


def test_it_refuses_a_slot_not_offered_to_the_student(
    posting, employer, interviewing, rival, student
):
    (slot,) = offer(posting, employer, [rival], in_days(3))
    with pytest.raises(InterviewError, match="not offered to you"):
        services.interview_book(application=interviewing, slot=slot, by=student)


def test_it_refuses_a_second_booking_for_one_application(posting, employer, interviewing, student):
    first, second = offer(posting, employer, [interviewing], in_days(3), in_days(4))
    services.interview_book(application=interviewing, slot=first, by=student)
    with pytest.raises(InterviewError, match="move it instead"):
        services.interview_book(application=interviewing, slot=second, by=student)


def test_it_sends_both_sides_the_invitation(posting, employer, interviewing, student):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    services.interview_book(application=interviewing, slot=slot, by=student)
    booked = Notification.objects.filter(kind="interview_booked")
    assert {n.recipient for n in booked} == {student, employer}
    for notification in booked:
        assert notification.attachment_name.endswith(".ics")
        assert notification.attachment_mimetype == "text/calendar; method=REQUEST"
        _, event = parse(notification.attachment_content)
        assert event.decoded("dtstart") == slot.start


# --- the invitation ---------------------------------------------------------------------------
def test_it_writes_the_start_in_the_right_zone(posting, employer, interviewing, student):
    start = in_days(3, hour=14)  # 2 PM Eastern
    (slot,) = offer(posting, employer, [interviewing], start)
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    client_ics = services_ics(interview)
    calendar, event = parse(client_ics)
    assert str(calendar["method"]) == "REQUEST"
    assert event.decoded("dtstart").astimezone(dt.UTC) == start.astimezone(dt.UTC)
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert calendar.walk("VTIMEZONE")


def services_ics(interview):
    from applications.calendar import interview_ics

    interview.refresh_from_db()
    return interview_ics(interview)


def test_it_downloads_the_invitation_from_the_application_page(
    client, posting, employer, interviewing, student
):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    client.force_login(student)
    page = client.get(reverse("applications:detail", args=[interviewing.pk])).content.decode()
    url = reverse("applications:interview_ics", args=[interview.pk])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    _, event = parse(response.content.decode())
    assert event.decoded("dtstart").astimezone(dt.UTC) == slot.start.astimezone(dt.UTC)


def test_it_keeps_the_uid_and_raises_the_sequence_when_moved(
    posting, employer, interviewing, student
):
    first, second = offer(posting, employer, [interviewing], in_days(3), in_days(4))
    interview = services.interview_book(application=interviewing, slot=first, by=student)
    _, before = parse(services_ics(interview))
    services.interview_move(interview=interview, slot=second, by=student)
    _, after = parse(services_ics(interview))
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart") == second.start
    moved = Notification.objects.filter(kind="interview_moved")
    assert {n.recipient for n in moved} == {student, employer}


def test_it_sends_a_cancellation_as_method_cancel(posting, employer, interviewing, student):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    services.interview_cancel(interview=interview, by=employer, message="Our lead is ill.")
    notification = Notification.objects.get(kind="interview_cancelled", recipient=student)
    calendar, event = parse(notification.attachment_content)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert "Our lead is ill." in notification.body_text


# --- moving and cancelling --------------------------------------------------------------------
def test_it_refuses_a_move_by_the_student_inside_the_cut_off(
    posting, employer, interviewing, student
):
    soon = timezone.now() + MOVE_CUTOFF - dt.timedelta(hours=1)
    first, second = offer(posting, employer, [interviewing], soon, in_days(4))
    interview = services.interview_book(application=interviewing, slot=first, by=student)
    with pytest.raises(InterviewError, match="12 hours"):
        services.interview_move(interview=interview, slot=second, by=student)


def test_it_lets_the_employer_move_inside_the_cut_off(posting, employer, interviewing, student):
    soon = timezone.now() + dt.timedelta(hours=2)
    first, second = offer(posting, employer, [interviewing], soon, in_days(4))
    interview = services.interview_book(application=interviewing, slot=first, by=student)
    services.interview_move(interview=interview, slot=second, by=employer)
    interview.refresh_from_db()
    assert interview.slot == second


def test_it_refuses_moving_to_a_taken_slot(
    posting, employer, interviewing, rival, student, other_student
):
    first, second = offer(posting, employer, [interviewing, rival], in_days(3), in_days(4))
    interview = services.interview_book(application=interviewing, slot=first, by=student)
    services.interview_book(application=rival, slot=second, by=other_student)
    with pytest.raises(SlotTaken):
        services.interview_move(interview=interview, slot=second, by=student)


def test_it_lets_the_student_cancel_with_a_message(
    client, posting, employer, interviewing, student
):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    client.force_login(student)
    client.post(
        reverse("applications:interview_cancel", args=[interview.pk]), {"message": "Exam moved"}
    )
    interview.refresh_from_db()
    assert interview.status == "cancelled" and interview.cancel_message == "Exam moved"
    told = Notification.objects.get(kind="interview_cancelled", recipient=employer)
    assert "Exam moved" in told.body_text


def test_it_frees_the_slot_after_a_cancellation(
    posting, employer, interviewing, rival, student, other_student
):
    (slot,) = offer(posting, employer, [interviewing, rival], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    services.interview_cancel(interview=interview, by=student)
    assert services.interview_book(application=rival, slot=slot, by=other_student).is_booked


def test_it_cancels_the_interview_when_the_student_withdraws(
    posting, employer, interviewing, student
):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    interview = services.interview_book(application=interviewing, slot=slot, by=student)
    services.application_withdraw(application=interviewing, by=student, reason="Took another")
    interview.refresh_from_db()
    assert interview.status == "cancelled"
    assert Notification.objects.filter(kind="interview_cancelled", recipient=employer).exists()


def test_it_shows_the_booking_and_the_moves_on_the_timeline(
    client, posting, employer, interviewing, student
):
    (slot,) = offer(posting, employer, [interviewing], in_days(3))
    services.interview_book(application=interviewing, slot=slot, by=student)
    client.force_login(student)
    html = client.get(reverse("applications:detail", args=[interviewing.pk])).content.decode()
    assert "Interview booked for" in html
    assert "Download the calendar invitation" in html
