"""Booking, moving, cancelling and recording appointments, through the services: what each
refuses, with which message, and that a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from microintern.advising import services
from microintern.advising.models import (
    AdvisingError,
    AdvisingSlot,
    Appointment,
    AppointmentStatus,
    SlotTaken,
    Topic,
)
from microintern.advising.selectors import open_slots, resolve_about
from microintern.cycles.models import Holiday
from microintern.notifications.models import Notification
from tests.advising import factories
from tests.applications import factories as application_factories

pytestmark = pytest.mark.django_db


def book(student, slot, topic=Topic.APPLICATION_REVIEW, **kwargs):
    return services.appointment_book(
        student=student, slot=slot, topic=topic, message="Please read my resume.", **kwargs
    )


def test_it_books_an_open_slot_and_tells_both_with_an_invitation(student, adviser, slot):
    appointment = book(student, slot)
    assert appointment.status == AppointmentStatus.BOOKED
    told = Notification.objects.filter(kind="advising_booked").order_by("recipient_id")
    assert {n.recipient for n in told} == {student, adviser}
    assert all(n.attachment_name.endswith(".ics") for n in told)
    assert all("METHOD:REQUEST" in n.attachment_content for n in told)


def test_it_refuses_a_slot_in_the_past(student, adviser):
    past = factories.PastSlotFactory(adviser=adviser)
    with pytest.raises(AdvisingError, match="That time has passed"):
        book(student, past)
    assert not Appointment.objects.exists()


def test_it_refuses_a_slot_after_the_booking_cutoff(student, adviser, settings):
    settings.ADVISING_BOOKING_CUTOFF_HOURS = 4
    soon = factories.AdvisingSlotFactory(
        adviser=adviser, start=timezone.now() + dt.timedelta(hours=3)
    )
    with pytest.raises(AdvisingError, match="Booking closes 4 hours before"):
        book(student, soon)
    assert not Appointment.objects.exists()


def test_it_refuses_a_taken_slot(student, other_student, slot):
    book(other_student, slot)
    with pytest.raises(SlotTaken, match="Someone else booked that time"):
        book(student, slot)
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_it_frees_a_slot_when_its_appointment_is_cancelled(student, other_student, slot):
    first = book(other_student, slot)
    services.appointment_cancel(appointment=first, by=other_student)
    assert book(student, slot).slot == slot


def test_it_refuses_another_students_application(student, other_student, posting, slot):
    theirs = application_factories.SubmittedApplicationFactory(
        posting=posting, student=other_student
    )
    with pytest.raises(AdvisingError, match="not yours"):
        book(student, slot, about=services.About(application=theirs))
    with pytest.raises(AdvisingError, match="your own"):
        resolve_about(student, f"application-{theirs.pk}")
    assert not Appointment.objects.exists()


def test_it_links_the_students_own_interview(student, posting, slot):
    application = application_factories.InterviewingApplicationFactory(
        posting=posting, student=student
    )
    interview = application_factories.InterviewFactory(application=application)
    about = resolve_about(student, f"interview-{interview.pk}")
    appointment = book(student, slot, topic=Topic.INTERVIEW_PREPARATION, about=about)
    assert appointment.interview == interview


def test_it_refuses_a_third_upcoming_appointment(student, adviser, settings):
    settings.ADVISING_MAX_UPCOMING_APPOINTMENTS = 2
    first, second, third = factories.AdvisingSlotFactory.create_batch(3, adviser=adviser)
    book(student, first)
    book(student, second)
    with pytest.raises(AdvisingError, match="You have 2 upcoming appointments"):
        book(student, third)
    assert Appointment.objects.filter(student=student).count() == 2


def test_it_sends_work_authorization_questions_to_the_iso(student, slot):
    with pytest.raises(AdvisingError, match="ISO"):
        book(student, slot, topic=Topic.WORK_AUTHORIZATION)
    assert not Appointment.objects.exists()


def test_it_refuses_a_slot_that_does_not_serve_the_topic(student, adviser):
    only_reviews = factories.AdvisingSlotFactory(adviser=adviser, topics="application_review")
    with pytest.raises(AdvisingError, match="not for this topic"):
        book(student, only_reviews, topic=Topic.OFFER_DECISION)


def test_it_refuses_a_non_student(employer, slot):
    with pytest.raises(PermissionDenied):
        book(employer, slot)


def test_a_holiday_blocks_the_slots_of_its_day(student, slot):
    Holiday.objects.create(date=slot.date, name="Snow day")
    assert slot not in open_slots(topic=Topic.APPLICATION_REVIEW)
    with pytest.raises(AdvisingError, match="no longer available"):
        book(student, slot)


def test_a_busy_period_blocks_the_advisers_slots(student, adviser, slot):
    factories.BusyPeriodFactory(
        adviser=adviser, start=slot.start - dt.timedelta(hours=1), end=slot.end
    )
    assert slot not in open_slots(topic=Topic.APPLICATION_REVIEW)
    with pytest.raises(AdvisingError, match="no longer available"):
        book(student, slot)


def test_another_appointment_of_the_adviser_blocks_an_overlapping_slot(
    student, other_student, adviser, slot
):
    overlapping = factories.AdvisingSlotFactory(
        adviser=adviser, start=slot.start + dt.timedelta(minutes=15), length_minutes=30
    )
    book(other_student, slot)
    assert overlapping not in open_slots(topic=Topic.APPLICATION_REVIEW)
    with pytest.raises(AdvisingError, match="no longer available"):
        book(student, overlapping)


def test_it_lists_open_slots_next_available_first(adviser):
    later = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(5))
    sooner = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(2))
    assert list(open_slots(topic=Topic.APPLICATION_REVIEW)) == [sooner, later]


def test_a_move_keeps_the_uid_and_raises_the_sequence(student, adviser, slot):
    appointment = book(student, slot)
    other = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(4))
    moved = services.appointment_move(appointment=appointment, slot=other, by=student)
    assert (moved.uid, moved.sequence, moved.slot) == (appointment.uid, 1, other)
    assert Notification.objects.filter(kind="advising_moved").count() == 2
    # The old time is open again.
    assert slot in open_slots(topic=Topic.APPLICATION_REVIEW)


def test_it_refuses_a_move_after_the_change_cutoff(student, adviser, settings):
    settings.ADVISING_CHANGE_CUTOFF_HOURS = 4
    appointment = factories.BookedAppointmentFactory(
        student=student,
        slot=factories.AdvisingSlotFactory(
            adviser=adviser, start=timezone.now() + dt.timedelta(hours=2)
        ),
    )
    other = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(4))
    with pytest.raises(AdvisingError, match="up to 4 hours before"):
        services.appointment_move(appointment=appointment, slot=other, by=student)
    with pytest.raises(AdvisingError, match="up to 4 hours before"):
        services.appointment_cancel(appointment=appointment, by=student)
    appointment.refresh_from_db()
    assert (appointment.slot_id, appointment.status) == (
        appointment.slot_id,
        AppointmentStatus.BOOKED,
    )
    assert appointment.sequence == 0


def test_it_refuses_a_cancel_by_someone_else(student, other_student, employer, iso_advisor, slot):
    appointment = book(student, slot)
    for outsider in (other_student, employer, iso_advisor):
        with pytest.raises(PermissionDenied):
            services.appointment_cancel(appointment=appointment, by=outsider)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_adviser_cancels_with_a_message(student, adviser, slot):
    appointment = book(student, slot)
    services.appointment_cancel(appointment=appointment, by=adviser, message="I am ill, sorry.")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_message) == ("cancelled", "I am ill, sorry.")
    told = Notification.objects.get(kind="advising_cancelled", recipient=student)
    assert "I am ill, sorry." in told.body_text
    assert "METHOD:CANCEL" in told.attachment_content


def test_it_records_held_only_after_the_start(student, adviser, slot):
    appointment = book(student, slot)
    with pytest.raises(AdvisingError, match="not started yet"):
        services.appointment_record_outcome(appointment=appointment, by=adviser, status="held")
    past = factories.PastAppointmentFactory(slot__adviser=adviser)
    services.appointment_record_outcome(
        appointment=past, by=adviser, status="held", note="Went well."
    )
    past.refresh_from_db()
    assert (past.status, past.private_note, past.recorded_by) == ("held", "Went well.", adviser)


def test_only_capd_staff_record_an_outcome(iso_advisor, student):
    past = factories.PastAppointmentFactory(student=student)
    for outsider in (iso_advisor, student):
        with pytest.raises(PermissionDenied):
            services.appointment_record_outcome(appointment=past, by=outsider, status="held")


def test_office_hours_make_their_slots_once(adviser):
    hours = factories.OfficeHoursFactory(adviser=adviser)  # two Mondays-or-so, 10 to 12
    made = services.office_hours_generate(office_hours=hours)
    assert made == 8  # two weeks, four 30-minute slots each
    assert services.office_hours_generate(office_hours=hours) == 0
    starts = [timezone.localtime(s.start).time() for s in AdvisingSlot.objects.all()[:4]]
    assert starts == [dt.time(10), dt.time(10, 30), dt.time(11), dt.time(11, 30)]
