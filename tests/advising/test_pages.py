"""The student's pages: booking (a GET never books; bad input keeps what was typed), the
links that pre-fill the topic and the object, my appointments, one appointment, and the
home page's upcoming appointments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microintern.advising.models import Appointment, AppointmentStatus, Topic
from tests.advising import factories
from tests.applications import factories as application_factories
from tests.offers import factories as offer_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def test_the_booking_page_lists_open_times_in_eastern_time(student_client, slot):
    response = student_client.get(reverse("advising:book"), {"topic": Topic.APPLICATION_REVIEW})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{slot.pk}"' in page
    assert "10:00 AM E" in page  # EST or EDT, with the zone
    assert not Appointment.objects.exists()


def test_a_get_with_every_field_never_books(student_client, slot):
    student_client.get(
        reverse("advising:book"),
        {"topic": Topic.APPLICATION_REVIEW, "slot": slot.pk, "message": "Help"},
    )
    assert not Appointment.objects.exists()


def test_it_books_on_post_and_shows_the_appointment(student_client, student, slot):
    response = student_client.post(
        reverse("advising:book"),
        {"topic": Topic.APPLICATION_REVIEW, "about": "", "slot": slot.pk, "message": "My CV"},
        follow=True,
    )
    appointment = Appointment.objects.get(student=student)
    assert response.redirect_chain[-1][0] == reverse("advising:detail", args=[appointment.pk])
    assert "Appointment booked for" in response.content.decode()


def test_a_taken_slot_says_so_and_keeps_the_message(student_client, other_student, slot):
    factories.BookedAppointmentFactory(slot=slot, student=other_student)
    response = student_client.post(
        reverse("advising:book"),
        {"topic": Topic.APPLICATION_REVIEW, "slot": slot.pk, "message": "My long story"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else booked that time" in page
    assert "My long story" in page
    assert Appointment.objects.count() == 1


def test_another_students_application_is_refused_with_a_message(
    student_client, other_student, posting, slot
):
    theirs = application_factories.SubmittedApplicationFactory(
        posting=posting, student=other_student
    )
    response = student_client.post(
        reverse("advising:book"),
        {
            "topic": Topic.APPLICATION_REVIEW,
            "about": f"application-{theirs.pk}",
            "slot": slot.pk,
            "message": "Hi",
        },
    )
    assert response.status_code == 400
    assert "Choose one of your own" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_missing_slot_or_message_is_a_form_error(student_client):
    response = student_client.post(reverse("advising:book"), {"topic": Topic.APPLICATION_REVIEW})
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_work_authorization_points_to_the_iso(student_client, slot):
    response = student_client.get(reverse("advising:book"), {"topic": Topic.WORK_AUTHORIZATION})
    page = response.content.decode()
    assert "Work authorization questions go to the ISO" in page
    assert f'value="{slot.pk}"' not in page


def test_the_interview_link_prefills_topic_and_interview(student_client, student, posting, slot):
    application = application_factories.InterviewingApplicationFactory(
        posting=posting, student=student
    )
    interview = application_factories.InterviewFactory(application=application)
    detail = student_client.get(
        reverse("applications:detail", args=[application.pk])
    ).content.decode()
    link = f"{reverse('advising:book')}?topic=interview_preparation&amp;interview={interview.pk}"
    assert link in detail
    page = student_client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="interview-{interview.pk}" selected>' in page
    assert '<option value="interview_preparation" selected>' in page


def test_the_apply_page_links_to_help_with_the_application(student_client, posting):
    page = student_client.get(reverse("applications:apply", args=[posting.pk])).content.decode()
    assert f"topic=application_review&amp;posting={posting.pk}" in page
    booking = student_client.get(
        reverse("advising:book"), {"topic": "application_review", "posting": posting.pk}
    ).content.decode()
    assert f'<option value="posting-{posting.pk}" selected>' in booking


def test_the_offer_page_links_to_talk_it_over(student_client, student, posting):
    offer = offer_factories.PendingOfferFactory(
        application=offer_factories.OfferedApplicationFactory(posting=posting, student=student)
    )
    page = student_client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert f"topic=offer_decision&amp;offer={offer.pk}" in page


def test_the_home_page_shows_upcoming_appointments(student_client, student, slot):
    factories.BookedAppointmentFactory(slot=slot, student=student)
    factories.CancelledAppointmentFactory(student=student)
    page = student_client.get(reverse("home")).content.decode()
    assert "Your advising appointments" in page
    assert page.count('href="/advising/') >= 3  # the appointment, book, mine
    assert page.count("appointments-upcoming") == 1


def test_my_appointments_lists_upcoming_and_past(student_client, student, slot):
    upcoming = factories.BookedAppointmentFactory(slot=slot, student=student)
    held = factories.HeldAppointmentFactory(student=student)
    page = student_client.get(reverse("advising:mine")).content.decode()
    assert reverse("advising:detail", args=[upcoming.pk]) in page
    assert reverse("advising:detail", args=[held.pk]) in page
    assert "Held" in page


def test_the_student_moves_and_cancels_from_the_detail_page(student_client, student, adviser, slot):
    appointment = factories.BookedAppointmentFactory(slot=slot, student=student)
    other = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(6))
    detail = reverse("advising:detail", args=[appointment.pk])
    assert f'value="{other.pk}"' in student_client.get(detail).content.decode()
    student_client.post(reverse("advising:move", args=[appointment.pk]), {"slot": other.pk})
    appointment.refresh_from_db()
    assert appointment.slot == other
    student_client.post(reverse("advising:cancel", args=[appointment.pk]), {"message": "Sorted"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_a_get_on_an_action_changes_nothing(student_client, student, slot):
    appointment = factories.BookedAppointmentFactory(slot=slot, student=student)
    for name in ("advising:move", "advising:cancel"):
        assert student_client.get(reverse(name, args=[appointment.pk])).status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
