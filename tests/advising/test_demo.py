"""seed_demo's advising: the demo CAPD staff login has office hours over the next two weeks
and the demo student an appointment to prepare for their interview; a second run adds
nothing."""

from __future__ import annotations

import pytest

from microintern.advising.models import AdvisingSlot, Appointment, OfficeHours, Topic
from microintern.portal.demo import seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_adviser_with_office_hours_and_a_booked_appointment():
    seed.run()
    hours = OfficeHours.objects.filter(adviser__email="staff@example.edu")
    assert hours.count() == 2
    assert AdvisingSlot.objects.filter(office_hours__in=hours).count() >= 8
    appointment = Appointment.objects.get(student__email="student@example.edu")
    assert appointment.topic == Topic.INTERVIEW_PREPARATION
    assert appointment.interview is not None
    assert appointment.interview.application.student == appointment.student


def test_seeding_twice_adds_nothing():
    seed.run()
    counts = (
        OfficeHours.objects.count(),
        AdvisingSlot.objects.count(),
        Appointment.objects.count(),
    )
    assert "advising appointment" not in seed.run()
    assert (
        OfficeHours.objects.count(),
        AdvisingSlot.objects.count(),
        Appointment.objects.count(),
    ) == counts
