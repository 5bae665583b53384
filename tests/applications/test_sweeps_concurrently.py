"""Every reminder sweep, run from two threads at once and then again, sends each
notification exactly once (PostgreSQL: real row locks and a real unique index)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from applications.reminders import interview_reminder_sweep
from microintern.notifications.digest import digest_sweep
from microintern.notifications.models import EmailState, Notification
from postings.reminders import saved_posting_deadline_sweep, saved_search_alert_sweep
from tests.applications import factories
from tests.postings import factories as posting_factories

NOW = dt.datetime(2026, 11, 11, 10, 0, tzinfo=ZoneInfo("America/New_York"))
SWEEPS = [
    interview_reminder_sweep,
    saved_posting_deadline_sweep,
    saved_search_alert_sweep,
    digest_sweep,
]
EXPECTED = {
    "interview_reminder": 2,  # the student and the employer
    "posting_deadline_reminder": 1,
    "saved_search_alert": 1,
    "daily_digest": 1,
}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent sweeps need PostgreSQL's row locks: run with DATABASE_URL=postgres://",
    ),
]


@pytest.fixture
def due_everywhere(posting, student, employer, other_student):
    application = factories.InterviewingApplicationFactory(posting=posting, student=student)
    factories.InterviewFactory(application=application, slot__start=NOW + dt.timedelta(hours=23))
    closing = posting_factories.PublishedPostingFactory(deadline=NOW + dt.timedelta(hours=30))
    posting_factories.SavedPostingFactory(user=other_student, posting=closing)
    search = posting_factories.SavedSearchFactory(
        user=other_student, query_string="q=robot", frequency="daily"
    )
    type(search).objects.filter(pk=search.pk).update(created_at=NOW - dt.timedelta(days=1))
    posting_factories.PublishedPostingFactory(
        title="Robot arm calibration",
        published_at=NOW - dt.timedelta(hours=2),
        deadline=NOW + dt.timedelta(days=20),
    )
    for i in range(2):
        Notification.objects.create(
            recipient=student,
            kind="application_received",
            dedup_key=f"waiting-for-digest:{i}",
            subject=f"Alert {i}",
            body_text="...",
            email_state=EmailState.DIGEST,
        )


def run_all_sweeps() -> None:
    for sweep in SWEEPS:
        sweep(now=NOW)


def counts() -> dict[str, int]:
    kinds = Notification.objects.exclude(email_state=EmailState.SENT, kind="application_received")
    return dict(Counter(kinds.values_list("kind", flat=True)))


@pytest.mark.django_db(transaction=True)
def test_two_threads_running_every_sweep_at_once_send_each_notification_once(due_everywhere):
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            run_all_sweeps()
        except BaseException as exc:  # a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert counts() == EXPECTED


@pytest.mark.django_db(transaction=True)
def test_running_every_sweep_again_sends_nothing_new(due_everywhere):
    run_all_sweeps()
    first = counts()
    run_all_sweeps()
    assert counts() == first == EXPECTED
