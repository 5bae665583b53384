"""The advising admin, as CAPD staff (a member of the group, never a superuser): office
hours make their slots, the adviser records held with a private note through the change
page, cancels with a message through an action; ISO advisors and MISTI managers are kept
out; the dashboard counts per topic and per week."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from microintern.advising.models import AdvisingSlot, AppointmentStatus, OfficeHours, Topic
from microintern.notifications.models import Notification
from microintern.portal.dashboard import work_for
from tests.advising import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.STAFF_MFA_REQUIRED = False


def test_saving_office_hours_makes_their_slots(client, staff):
    client.force_login(staff)
    hours = factories.OfficeHoursFactory.build(adviser=staff)
    response = client.post(
        reverse("admin:advising_officehours_add"),
        {
            "adviser": staff.pk,
            "weekday": hours.weekday,
            "start_time": "10:00",
            "end_time": "11:00",
            "first_date": hours.first_date.isoformat(),
            "last_date": hours.last_date.isoformat(),
            "length_minutes": 15,
            "format": "phone",
            "location": "+1 617 555 0100",
            "topics": ["application_review", "interview_preparation"],
        },
        follow=True,
    )
    assert "8 slot(s) made" in response.content.decode()
    assert OfficeHours.objects.count() == 1
    slot = AdvisingSlot.objects.first()
    assert (slot.length_minutes, slot.topics) == (15, "application_review,interview_preparation")


def test_office_hours_refuse_the_work_authorization_topic(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:advising_advisingslot_add"),
        {
            "adviser": staff.pk,
            "start_0": "2030-01-07",
            "start_1": "10:00",
            "length_minutes": 30,
            "format": "video",
            "location": "https://meet.example.edu/x",
            "topics": ["work_authorization"],
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert not AdvisingSlot.objects.exists()


def test_the_adviser_records_held_with_a_private_note(client, staff, student):
    appointment = factories.PastAppointmentFactory(student=student, slot__adviser=staff)
    client.force_login(staff)
    url = reverse("admin:advising_appointment_change", args=[appointment.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"outcome": "held", "private_note": "Practised the opening."})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    assert appointment.private_note == "Practised the opening."
    assert appointment.recorded_by == staff


def test_an_upcoming_appointment_cannot_be_recorded(client, staff, student, slot):
    appointment = factories.BookedAppointmentFactory(student=student, slot=slot)
    client.force_login(staff)
    url = reverse("admin:advising_appointment_change", args=[appointment.pk])
    response = client.post(url, {"outcome": "held", "private_note": ""})
    assert "has not started yet" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_adviser_cancels_with_a_message_after_confirming(client, staff, student, slot):
    appointment = factories.BookedAppointmentFactory(student=student, slot=slot)
    client.force_login(staff)
    url = reverse("admin:advising_appointment_changelist")
    data = {"action": "cancel_with_message", ACTION_CHECKBOX_NAME: [appointment.pk]}
    assert "Message to the student" in client.post(url, data).content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # asked, not done
    client.post(url, {**data, "confirm": "yes", "message": "Office closed that day."})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_message) == (
        AppointmentStatus.CANCELLED,
        "Office closed that day.",
    )
    assert Notification.objects.filter(kind="advising_cancelled", recipient=student).exists()


@pytest.mark.parametrize("outsider", ["iso_advisor", "misti_manager"])
def test_iso_advisors_and_misti_managers_see_nothing_of_it(client, request, outsider, student):
    appointment = factories.HeldAppointmentFactory(student=student)
    client.force_login(request.getfixturevalue(outsider))
    for url in (
        reverse("admin:advising_appointment_changelist"),
        reverse("admin:advising_appointment_change", args=[appointment.pk]),
        reverse("admin:advising_advisingslot_changelist"),
        reverse("admin:advising_officehours_changelist"),
    ):
        assert client.get(url).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Advising" not in index
    assert appointment.private_note not in index


def test_the_adviser_sees_their_week(client, staff, student, slot):
    mine = factories.BookedAppointmentFactory(student=student, slot=slot)
    theirs = factories.BookedAppointmentFactory(slot__start=slot.start)
    client.force_login(staff)
    page = client.get(
        reverse("admin:advising_appointment_changelist"), {"mine": "1", "when": "upcoming"}
    ).content.decode()
    assert reverse("admin:advising_appointment_change", args=[mine.pk]) in page
    assert reverse("admin:advising_appointment_change", args=[theirs.pk]) not in page


def test_the_dashboard_counts_per_topic_and_per_week(staff, student, slot):
    factories.BookedAppointmentFactory(student=student, slot=slot, topic=Topic.OFFER_DECISION)
    factories.PastAppointmentFactory(slot__adviser=staff)
    advising = next(w for w in work_for(staff) if w.heading == "CAPD advising")
    counts = {item.label: item.count for item in advising.items}
    assert counts["Upcoming, deciding on an offer"] == 1
    assert counts["Upcoming, interview preparation"] == 0
    assert counts["Appointments to record as held or no-show"] == 1
    assert sum(count for label, count in counts.items() if label.startswith("Week of")) >= 1


def test_iso_advisors_get_no_advising_section(iso_advisor):
    assert all(w.heading != "CAPD advising" for w in work_for(iso_advisor))
