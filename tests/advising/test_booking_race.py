"""Two students click the last open time at once: exactly one booking, and the other gets
the clear message (SlotTaken). On PostgreSQL, with real threads and connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from microintern.advising import services
from microintern.advising.models import Appointment, SlotTaken, Topic
from tests.advising import factories
from tests.factories import StaffFactory, StudentFactory

# Skipped before any database set-up, so that SQLite runs do not flush the database for it.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks need PostgreSQL: run with DATABASE_URL=postgres://...",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_it_books_the_last_slot_once_when_two_students_click_together():
    adviser = StaffFactory()
    slot = factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(3, 10))
    students = [StudentFactory(), StudentFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(student) -> None:
        try:
            barrier.wait()
            services.appointment_book(
                student=student,
                slot=slot,
                topic=Topic.APPLICATION_REVIEW,
                message="Please look at my resume.",
            )
            outcomes.append("booked")
        except SlotTaken as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [
        "Someone else booked that time a moment ago. Choose another of the open times.",
        "booked",
    ]
    assert Appointment.objects.filter(slot=slot).count() == 1
