"""Two students click the same interview time at once: exactly one booking."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from applications import services
from applications.models import Interview, SlotTaken
from tests.applications import factories

# Skipped before any database set-up, so that SQLite runs do not flush the database for it.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks need PostgreSQL: run with DATABASE_URL=postgres://...",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_it_books_a_slot_once_when_two_students_click_together():
    posting = factories.PublishedPostingFactory()
    first = factories.InterviewingApplicationFactory(posting=posting)
    second = factories.InterviewingApplicationFactory(posting=posting)
    slot = factories.SlotFactory(
        posting=posting,
        offered_to=[first, second],
        start=timezone.now() + dt.timedelta(days=2),
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(application) -> None:
        try:
            barrier.wait()
            services.interview_book(application=application, slot=slot, by=application.student)
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "taken"]
    assert Interview.objects.filter(slot=slot).count() == 1
