"""Reminders about postings: saved postings' deadlines and saved-search alerts.

For each: due, not yet due, already sent, and preference off; across the daylight-saving
changes of Nov 1, 2026 and Mar 14, 2027 (time-machine).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from microintern.notifications import services as notifications
from microintern.notifications.models import EmailState, Notification
from postings.reminders import saved_posting_deadline_sweep, saved_search_alert_sweep
from tests.applications.factories import ApplicationFactory
from tests.postings import factories

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db

DST_DAYS = [dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2027, 3, 13), dt.date(2027, 3, 14)]


def eastern(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def saved_posting_due_in(hours: float, *, now: dt.datetime):
    with time_machine.travel(now, tick=False):
        posting = factories.PublishedPostingFactory(deadline=now + dt.timedelta(hours=hours))
        return factories.SavedPostingFactory(posting=posting)


@pytest.mark.parametrize("day", DST_DAYS)
def test_it_reminds_three_days_before_the_deadline(day):
    now = eastern(day, 10)
    saved = saved_posting_due_in(70, now=now)
    assert saved_posting_deadline_sweep(now=now) == 1
    reminder = Notification.objects.get(recipient=saved.user)
    assert reminder.kind == "posting_deadline_reminder"
    assert reminder.subject.startswith("3 days left to apply")


@pytest.mark.parametrize("day", DST_DAYS)
def test_it_reminds_again_one_day_before(day):
    now = eastern(day, 10)
    saved = saved_posting_due_in(70, now=now)
    saved_posting_deadline_sweep(now=now)
    assert saved_posting_deadline_sweep(now=now + dt.timedelta(hours=47)) == 1
    subjects = list(
        Notification.objects.filter(recipient=saved.user).values_list("subject", flat=True)
    )
    assert any(subject.startswith("Last day to apply") for subject in subjects)


def test_it_does_not_remind_four_days_before():
    now = eastern(dt.date(2026, 11, 2), 10)
    saved_posting_due_in(4 * 24, now=now)
    assert saved_posting_deadline_sweep(now=now) == 0


def test_it_does_not_remind_after_the_deadline():
    now = eastern(dt.date(2026, 11, 2), 10)
    saved = saved_posting_due_in(1, now=now)
    assert saved_posting_deadline_sweep(now=saved.posting.deadline + dt.timedelta(minutes=1)) == 0


def test_it_sends_each_reminder_once_when_run_twice():
    now = eastern(dt.date(2026, 11, 2), 10)
    saved_posting_due_in(30, now=now)
    assert saved_posting_deadline_sweep(now=now) == 1
    assert saved_posting_deadline_sweep(now=now + dt.timedelta(minutes=1)) == 0
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("count", [2, 12])
def test_a_run_with_nothing_new_costs_three_queries_however_many_are_saved(
    count, django_assert_num_queries
):
    now = eastern(dt.date(2026, 11, 2), 10)
    for _ in range(count):
        saved_posting_due_in(30, now=now)
    assert saved_posting_deadline_sweep(now=now) == count
    # The batch, the one "told already?" check for it, and the empty next batch.
    with django_assert_num_queries(3):
        assert saved_posting_deadline_sweep(now=now + dt.timedelta(minutes=5)) == 0


def test_a_posting_saved_late_gets_only_the_last_day_reminder():
    now = eastern(dt.date(2026, 11, 2), 10)
    saved = saved_posting_due_in(20, now=now)
    saved_posting_deadline_sweep(now=now)
    assert list(Notification.objects.values_list("dedup_key", flat=True)) == [
        f"saved-posting:{saved.pk}:deadline-1d"
    ]


def test_a_student_who_turned_deadline_emails_off_gets_it_in_the_portal_only(mailoutbox):
    now = eastern(dt.date(2026, 11, 2), 10)
    saved = saved_posting_due_in(30, now=now)
    notifications.preferences_update(
        user=saved.user, email_off=["posting_deadline_reminder"], daily_digest=False
    )
    saved_posting_deadline_sweep(now=now)
    assert Notification.objects.get(recipient=saved.user).email_state == EmailState.SKIPPED


def saved_search(frequency: str, *, created: dt.datetime, query: str = "q=robot"):
    with time_machine.travel(created, tick=False):
        return factories.SavedSearchFactory(query_string=query, frequency=frequency)


def robot_posting(at: dt.datetime, **kwargs):
    with time_machine.travel(at, tick=False):
        return factories.PublishedPostingFactory(
            title="Robot arm calibration", deadline=at + dt.timedelta(days=20), **kwargs
        )


@pytest.mark.parametrize("day", DST_DAYS)
def test_a_daily_search_alerts_from_nine_eastern_with_the_new_postings(day):
    search = saved_search("daily", created=eastern(day, 8) - dt.timedelta(days=1))
    robot_posting(eastern(day, 7))
    assert saved_search_alert_sweep(now=eastern(day, 8, 59)) == 0
    assert saved_search_alert_sweep(now=eastern(day, 9, 0)) == 1
    alert = Notification.objects.get(recipient=search.user)
    assert alert.kind == "saved_search_alert"
    assert "Robot arm calibration" in alert.body_text


def test_it_does_not_alert_without_new_matching_postings():
    day = dt.date(2026, 11, 2)
    saved_search("daily", created=eastern(day, 8) - dt.timedelta(days=1))
    with time_machine.travel(eastern(day, 7), tick=False):
        factories.PublishedPostingFactory(title="Accounting help")
    assert saved_search_alert_sweep(now=eastern(day, 9)) == 0


def test_a_daily_search_alerts_once_a_day():
    day = dt.date(2026, 11, 2)
    saved_search("daily", created=eastern(day, 8) - dt.timedelta(days=1))
    robot_posting(eastern(day, 7))
    assert saved_search_alert_sweep(now=eastern(day, 9)) == 1
    robot_posting(eastern(day, 10))
    assert saved_search_alert_sweep(now=eastern(day, 11)) == 0
    assert saved_search_alert_sweep(now=eastern(day + dt.timedelta(days=1), 9)) == 1


def test_a_weekly_search_waits_a_week():
    day = dt.date(2026, 11, 2)
    saved_search("weekly", created=eastern(day, 8) - dt.timedelta(days=1))
    robot_posting(eastern(day, 7))
    assert saved_search_alert_sweep(now=eastern(day, 9)) == 1
    robot_posting(eastern(day, 10))
    assert saved_search_alert_sweep(now=eastern(day + dt.timedelta(days=3), 9)) == 0
    assert saved_search_alert_sweep(now=eastern(day + dt.timedelta(days=7), 9)) == 1


def test_a_search_with_alerts_off_never_alerts():
    day = dt.date(2026, 11, 2)
    saved_search("none", created=eastern(day, 8) - dt.timedelta(days=1))
    robot_posting(eastern(day, 7))
    assert saved_search_alert_sweep(now=eastern(day, 9)) == 0


def test_a_student_who_turned_alerts_off_gets_them_in_the_portal_only():
    day = dt.date(2026, 11, 2)
    search = saved_search("daily", created=eastern(day, 8) - dt.timedelta(days=1))
    notifications.preferences_update(
        user=search.user, email_off=["saved_search_alert"], daily_digest=False
    )
    robot_posting(eastern(day, 7))
    saved_search_alert_sweep(now=eastern(day, 9))
    assert Notification.objects.get(recipient=search.user).email_state == EmailState.SKIPPED


def test_a_student_who_chose_the_digest_gets_alerts_in_it():
    day = dt.date(2026, 11, 2)
    search = saved_search("daily", created=eastern(day, 8) - dt.timedelta(days=1))
    notifications.preferences_update(user=search.user, email_off=[], daily_digest=True)
    robot_posting(eastern(day, 7))
    saved_search_alert_sweep(now=eastern(day, 9))
    assert Notification.objects.get(recipient=search.user).email_state == EmailState.DIGEST


def test_it_does_not_remind_a_student_who_already_applied():
    now = eastern(dt.date(2026, 11, 2), 10)
    applied = saved_posting_due_in(70, now=now)
    ApplicationFactory(posting=applied.posting, student=applied.user)
    not_yet = factories.SavedPostingFactory(posting=applied.posting)

    assert saved_posting_deadline_sweep(now=now) == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [not_yet.user_id]
