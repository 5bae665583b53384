"""Reminders of work-authorization checklist steps (due within 3 days, overdue), and the
at-risk notification of the daily forecast check.

Due, not yet due, already sent, preference off (the kinds are mandatory: the email still
goes), across the daylight-saving changes of Nov 1, 2026 and Mar 14, 2027, and a candidate
query that does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from authorization import services
from authorization.models import AuthorizationCase, ChecklistItem
from authorization.reminders import authorization_item_due_sweep, due_checklist_items
from microintern.notifications import services as notifications
from microintern.notifications.models import EmailState, Notification
from tests.authorization.helpers import make_profile, open_case
from tests.factories import ISOAdvisorFactory, StudentFactory

NY = ZoneInfo("America/New_York")
FAR = dt.date(2027, 6, 1)


def eastern(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def only_step_due(case: AuthorizationCase, day: dt.date) -> ChecklistItem:
    """Leave one step of the case due on `day`, the others far ahead."""
    case.items.update(due_date=FAR)
    item = case.items.order_by("position").first()
    item.due_date = day
    item.save(update_fields=["due_date"])
    return item


def reminders(**filters) -> list[Notification]:
    return list(Notification.objects.filter(kind="authorization_item_due", **filters))


def test_it_reminds_the_student_and_the_advisors_three_days_ahead_from_nine(
    case, intl_student, iso_advisor
):
    item = only_step_due(case, dt.date(2026, 11, 5))
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 1), 9)) == 0
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 8, 59)) == 0
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9)) == 2
    to_student = Notification.objects.get(kind="authorization_item_due", recipient=intl_student)
    assert to_student.subject == f"Due Nov 5: {item.title}"
    assert "is due on Thursday, Nov 5, 2026" in to_student.body_text
    assert to_student.url.endswith(reverse("authorization:mine"))
    to_advisor = Notification.objects.get(kind="authorization_item_due", recipient=iso_advisor)
    assert to_advisor.subject == f"Due Nov 5: {intl_student.get_full_name()}, {item.title}"
    assert "/admin/" in to_advisor.url


def test_it_reminds_once_more_when_the_step_is_overdue(case, intl_student, iso_advisor):
    item = only_step_due(case, dt.date(2026, 11, 5))
    authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9))
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 5), 17)) == 0
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 6), 9)) == 2
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 9), 9)) == 0
    overdue = reminders(recipient=intl_student, dedup_key__contains=":overdue:")[0]
    assert overdue.subject == f"Overdue: {item.title}"
    assert "was due on Thursday, Nov 5, 2026 and is not done yet" in overdue.body_text


def test_it_sends_each_reminder_once_when_run_twice(case, iso_advisor):
    only_step_due(case, dt.date(2026, 11, 4))
    now = eastern(dt.date(2026, 11, 2), 9)
    assert authorization_item_due_sweep(now=now) == 2
    assert authorization_item_due_sweep(now=now + dt.timedelta(minutes=15)) == 0
    assert len(reminders()) == 2


def test_a_step_done_gets_no_reminder(case, intl_student, iso_advisor):
    item = only_step_due(case, dt.date(2026, 11, 4))
    services.checklist_item_mark_done(item=item, student=intl_student)
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9)) == 0
    assert reminders() == []


def test_a_withdrawn_case_gets_no_reminder(case, intl_student, iso_advisor):
    only_step_due(case, dt.date(2026, 11, 4))
    services.case_withdraw(case=case, by=intl_student)
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9)) == 0
    assert reminders() == []


def test_a_submitted_case_still_gets_reminders(case, intl_student, iso_advisor):
    services.case_mark_submitted(case=case, by=iso_advisor)
    only_step_due(case, dt.date(2026, 11, 3))
    assert authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9)) == 2


def test_the_email_goes_even_to_a_student_who_turned_it_off(case, intl_student, iso_advisor):
    # The kind is mandatory: a preference cannot switch it off.
    prefs = notifications.preferences_update(
        user=intl_student, email_off=["authorization_item_due"], daily_digest=False
    )
    assert prefs.email_off == []
    only_step_due(case, dt.date(2026, 11, 4))
    authorization_item_due_sweep(now=eastern(dt.date(2026, 11, 2), 9))
    assert reminders(recipient=intl_student)[0].email_state == EmailState.PENDING


@pytest.mark.parametrize(
    "day", [dt.date(2026, 11, 1), dt.date(2027, 3, 14)], ids=["fall-back", "spring-forward"]
)
def test_across_a_daylight_saving_change_it_comes_at_nine_eastern(case, iso_advisor, day):
    only_step_due(case, day + dt.timedelta(days=3))
    assert authorization_item_due_sweep(now=eastern(day, 8, 59)) == 0
    assert authorization_item_due_sweep(now=eastern(day, 9)) == 2
    utc_hour = eastern(day, 9).astimezone(dt.UTC).hour
    assert utc_hour == (14 if day.month == 11 else 13)


@pytest.mark.parametrize("rows", [2, 20])
def test_finding_due_steps_takes_one_query_whatever_their_number(
    db, rows, django_assert_max_num_queries
):
    for n in range(rows):
        user = StudentFactory(email=f"student{n}@example.edu")
        make_profile(user)
        only_step_due(open_case(user), dt.date(2026, 11, 3))
    # 1. the open steps with their case and student
    with django_assert_max_num_queries(1):
        found = list(due_checklist_items(dt.date(2026, 11, 2)))
        assert all(item.case.student.email and item.case.state for item in found)
    assert len(found) == rows


def test_beat_runs_the_sweep_every_quarter_hour(db):
    from django_celery_beat.models import PeriodicTask

    from authorization import tasks

    periodic = PeriodicTask.objects.get(task="authorization.item_due_sweep")
    assert periodic.enabled and periodic.interval.every == 15
    assert tasks.item_due_sweep.name == "authorization.item_due_sweep"


# --- at risk: the daily forecast check tells both sides ---------------------------------------
def test_the_daily_check_tells_the_student_and_every_iso_advisor_once(
    case, intl_student, iso_advisor
):
    second_advisor = ISOAdvisorFactory(email="noor@example.edu")
    services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 2))
    services.authorization_cases_refresh_forecasts(today=dt.date(2027, 1, 3))
    at_risk = Notification.objects.filter(kind="authorization_at_risk")
    assert sorted(n.recipient.pk for n in at_risk) == sorted(
        [intl_student.pk, iso_advisor.pk, second_advisor.pk]
    )
    assert all(n.email_state == EmailState.PENDING for n in at_risk)
