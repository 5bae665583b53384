"""In a real browser: from their interview's page a student books "interview preparation"
with a CAPD adviser, sees it on the home page, moves it to another time, and once the time
has come the adviser (CAPD staff, a member of the group) records it as held in the admin,
with a private note the student never sees."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from microintern.advising.models import Appointment, AppointmentStatus, Topic
from microintern.cycles.models import Holiday
from tests.advising import factories as advising_factories
from tests.applications import factories
from tests.factories import StaffFactory, StudentFactory
from tests.postings.factories import current_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw"


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('account_login')}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_a_student_books_moves_and_the_adviser_records_it_held(page: Page, live_server, settings):
    settings.STAFF_MFA_REQUIRED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Holiday.objects.all().delete()  # the slots below must not fall on one
    current_cycle()
    student = StudentFactory(email="maya@example.edu", full_name="Maya Chen", password=PASSWORD)
    adviser = StaffFactory(email="tavi@example.edu", full_name="Tavi Staff", password=PASSWORD)
    application = factories.InterviewingApplicationFactory(student=student)
    interview = factories.InterviewFactory(application=application)
    first = advising_factories.AdvisingSlotFactory(
        adviser=adviser, start=advising_factories.days_ahead(2, 10)
    )
    second = advising_factories.AdvisingSlotFactory(
        adviser=adviser, start=advising_factories.days_ahead(3, 14)
    )
    base = live_server.url

    # From the interview (on the application's page) to the booking page, topic and
    # interview filled in.
    sign_in(page, base, student.email)
    page.goto(f"{base}{reverse('applications:detail', args=[application.pk])}")
    page.get_by_role("link", name="Prepare for this interview with CAPD").click()
    expect(page.get_by_label("Topic")).to_have_value(Topic.INTERVIEW_PREPARATION)
    expect(page.get_by_label("About (optional)")).to_have_value(f"interview-{interview.pk}")
    page.locator(f"#slot-{first.pk}").check()
    page.get_by_label("What would you like help with?").fill("My first interview: how to start?")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Appointment booked for")).to_be_visible()
    appointment = Appointment.objects.get(student=student)
    assert (appointment.topic, appointment.interview_id) == (
        Topic.INTERVIEW_PREPARATION,
        interview.pk,
    )

    # The home page shows it.
    page.goto(f"{base}{reverse('home')}")
    upcoming = page.locator(".appointments-upcoming")
    expect(upcoming).to_contain_text("Interview preparation with Tavi Staff")
    upcoming.get_by_role("link").click()

    # Moved to the other time.
    page.locator(f"#move-slot-{second.pk}").check()
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_text("Appointment moved to")).to_be_visible()
    appointment.refresh_from_db()
    assert (appointment.slot_id, appointment.sequence) == (second.pk, 1)
    page.get_by_role("link", name="My advising appointments").click()
    expect(page.locator(".appointments-upcoming")).to_contain_text("Interview preparation")

    # After the time, the adviser records it as held, with a private note.
    with time_machine.travel(second.end + dt.timedelta(hours=1), tick=True):
        staff_page = page.context.browser.new_context().new_page()
        sign_in(staff_page, base, adviser.email)
        staff_page.goto(f"{base}{reverse('admin:index')}")
        staff_page.get_by_role("link", name="Appointments to record as held or no-show").click()
        staff_page.locator("#result_list tbody th a").first.click()
        staff_page.get_by_label("Record").select_option(AppointmentStatus.HELD)
        staff_page.get_by_label("Adviser's private note").fill("Practised the opening; confident.")
        staff_page.get_by_role("button", name="Save", exact=True).click()
        staff_page.wait_for_load_state()
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.HELD

        page.goto(f"{base}{reverse('advising:detail', args=[appointment.pk])}")
        expect(page.get_by_text("Held", exact=True)).to_be_visible()
        assert "Practised the opening" not in page.content()
