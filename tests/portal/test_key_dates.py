"""Key dates announced on the day, from 9:00 Eastern: postings open to students; interviews
and offers to employers with published postings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from microintern.notifications import services as notifications
from microintern.notifications.models import EmailState, Notification
from microintern.portal.key_dates import key_date_sweep
from tests.postings import factories

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def eastern(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def test_it_tells_students_that_postings_are_open_on_the_day(iap_2027, student, employer):
    assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9)) == 1
    notification = Notification.objects.get()
    assert notification.recipient == student
    assert notification.subject == "Postings go live: IAP 2027 micro-internships"


def test_it_waits_for_nine_eastern(iap_2027, student):
    assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 8, 59)) == 0


def test_it_is_not_due_on_other_days(iap_2027, student):
    assert key_date_sweep(now=eastern(dt.date(2026, 9, 17), 9)) == 0


def test_it_announces_once_however_often_it_runs(iap_2027, student):
    key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9))
    key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9, 5))
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("students", [2, 12])
def test_a_later_run_on_the_day_costs_the_same_for_two_students_or_twelve(
    iap_2027, students, django_assert_num_queries, monkeypatch
):
    from microintern.portal import key_dates
    from tests.factories import StudentFactory

    # Batches of 2, so that 12 students are 6 batches: a steady run that walked the students
    # batch by batch (as it did, 40 batches at a university) would grow here.
    monkeypatch.setattr(key_dates, "BATCH", 2)
    StudentFactory.create_batch(students)
    assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9)) == students
    # The current cycle, and the first batch of students not told yet: empty.
    with django_assert_num_queries(2):
        assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9, 15)) == 0


def test_the_first_run_reads_nothing_more_per_student_than_its_own_insert(iap_2027):
    """Each announcement is its insert inside two savepoints (the sweep's and the outbox's):
    no "told already?" lookup and no preferences read per student; the batch read both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import StudentFactory

    StudentFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9)) == 2
    StudentFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        assert key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9, 15)) == 10
    assert (len(many) - len(few)) / 8 <= 5


def test_it_tells_employers_with_published_postings_that_interviews_begin(
    iap_2027, student, employer, other_employer, org_a
):
    factories.PublishedPostingFactory(organization=org_a, cycle=iap_2027)
    assert key_date_sweep(now=eastern(dt.date(2026, 10, 11), 9)) == 1
    assert Notification.objects.get().recipient == employer


def test_offers_day_after_the_daylight_saving_change_is_at_nine_eastern(iap_2027, employer, org_a):
    # Oct 25, 2026 is in daylight time; the same check on Nov 1, 2026 (the change) would move
    # a UTC-based schedule by an hour: 9:00 Eastern is 13:00 UTC before and 14:00 UTC after.
    factories.PublishedPostingFactory(organization=org_a, cycle=iap_2027)
    assert key_date_sweep(now=dt.datetime(2026, 10, 25, 12, 59, tzinfo=dt.UTC)) == 0
    assert key_date_sweep(now=dt.datetime(2026, 10, 25, 13, 0, tzinfo=dt.UTC)) == 1


def test_a_user_who_turned_key_dates_off_sees_them_in_the_portal_only(iap_2027, student):
    notifications.preferences_update(user=student, email_off=["key_date"], daily_digest=False)
    key_date_sweep(now=eastern(dt.date(2026, 9, 16), 9))
    assert Notification.objects.get().email_state == EmailState.SKIPPED
