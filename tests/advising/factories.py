"""Factories for advising: slots (one-off and from office hours), busy periods, and an
appointment per state. Advisers are CAPD staff (tests/factories.py StaffFactory); the
students come from there too."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from microintern.advising.models import (
    BOOKABLE_TOPICS,
    AdvisingSlot,
    Appointment,
    AppointmentFormat,
    AppointmentStatus,
    BusyPeriod,
    OfficeHours,
    Topic,
)
from tests.factories import StaffFactory, StudentFactory


def days_ahead(days: int, hour: int = 10) -> dt.datetime:
    """`hour`:00 Eastern, `days` days from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class AdvisingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisingSlot

    adviser = factory.SubFactory(StaffFactory)
    # A month ahead, clear of the times tests name (a few days ahead, on the hour).
    start = factory.Sequence(lambda n: days_ahead(30) + dt.timedelta(minutes=30 * n))
    length_minutes = 30
    format = AppointmentFormat.VIDEO
    location = "https://meet.example.edu/capd"
    topics = ",".join(BOOKABLE_TOPICS)


class PastSlotFactory(AdvisingSlotFactory):
    start = factory.Sequence(lambda n: days_ahead(-60) + dt.timedelta(minutes=30 * n))


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    adviser = factory.SubFactory(StaffFactory)
    weekday = factory.LazyFunction(lambda: (timezone.localdate() + dt.timedelta(days=2)).weekday())
    start_time = dt.time(10)
    end_time = dt.time(12)
    first_date = factory.LazyFunction(timezone.localdate)
    last_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=13))
    length_minutes = 30
    format = AppointmentFormat.IN_PERSON
    location = "CAPD, Room 170"
    topics = ",".join(BOOKABLE_TOPICS)


class BusyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusyPeriod

    adviser = factory.SubFactory(StaffFactory)
    start = factory.LazyFunction(lambda: days_ahead(3, 9))
    end = factory.LazyFunction(lambda: days_ahead(3, 17))
    reason = "Conference"


class BookedAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    slot = factory.SubFactory(AdvisingSlotFactory)
    student = factory.SubFactory(StudentFactory)
    topic = Topic.APPLICATION_REVIEW
    message = "Could you read my cover letter?"
    status = AppointmentStatus.BOOKED


class CancelledAppointmentFactory(BookedAppointmentFactory):
    status = AppointmentStatus.CANCELLED
    cancelled_at = factory.LazyFunction(timezone.now)


class PastAppointmentFactory(BookedAppointmentFactory):
    """Booked, and its time has come: the adviser records held or no-show."""

    slot = factory.SubFactory(PastSlotFactory)


class HeldAppointmentFactory(PastAppointmentFactory):
    status = AppointmentStatus.HELD
    private_note = "Nervous about salary questions; practise next time."
