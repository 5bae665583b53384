"""Who sees an appointment: its student. Everyone else gets 404 on its page and on every
action (other students, employers, ISO advisors, MISTI managers, and CAPD staff, who work
with appointments in the admin). The adviser's private note never reaches the student."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microintern.advising import services
from microintern.advising.models import AppointmentStatus
from microintern.notifications.models import Notification
from tests.advising import factories

pytestmark = pytest.mark.django_db

NOTE = "Private: seemed anxious about the offer; follow up"
PAGES = ["advising:detail", "advising:ics"]
ACTIONS = ["advising:move", "advising:cancel"]


@pytest.fixture
def appointment(student, slot):
    return factories.BookedAppointmentFactory(slot=slot, student=student, private_note=NOTE)


@pytest.mark.parametrize(
    "outsider", ["other_student", "employer", "iso_advisor", "misti_manager", "staff"]
)
def test_everyone_but_the_student_gets_404_on_the_page_and_every_action(
    client, request, appointment, outsider, settings
):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(request.getfixturevalue(outsider))
    for name in PAGES:
        assert client.get(reverse(name, args=[appointment.pk])).status_code == 404
    for name in ACTIONS:
        response = client.post(reverse(name, args=[appointment.pk]), {"slot": appointment.slot_id})
        assert response.status_code == 404
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == (AppointmentStatus.BOOKED, 0)


@pytest.mark.parametrize("outsider", ["employer", "iso_advisor", "misti_manager", "staff"])
def test_only_students_have_the_booking_and_list_pages(client, request, outsider, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(reverse("advising:book")).status_code == 404
    assert client.get(reverse("advising:mine")).status_code == 404


def test_the_student_sees_their_appointment(client, student, appointment):
    client.force_login(student)
    assert client.get(reverse("advising:detail", args=[appointment.pk])).status_code == 200


def test_the_private_note_never_reaches_the_student(client, student, appointment, adviser):
    held = factories.HeldAppointmentFactory(student=student, private_note=NOTE)
    client.force_login(student)
    pages = [
        reverse("home"),
        reverse("advising:mine"),
        reverse("advising:detail", args=[appointment.pk]),
        reverse("advising:detail", args=[held.pk]),
        reverse("advising:ics", args=[appointment.pk]),
        reverse("notifications:inbox"),
    ]
    for url in pages:
        assert NOTE not in client.get(url).content.decode(), url
    services.appointment_cancel(appointment=appointment, by=adviser, message="Rescheduling")
    assert not Notification.objects.filter(body_text__contains="Private:").exists()
    assert not Notification.objects.filter(attachment_content__contains="Private:").exists()
