"""Reminders about applications: upcoming interviews and applicants left waiting.

For each: due, not yet due, already sent, preference off, across the daylight-saving changes
of Nov 1, 2026 and Mar 14, 2027, and a candidate query that does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from applications.models import InterviewStatus
from applications.reminders import (
    due_interviews,
    interview_reminder_sweep,
    postings_with_undecided_applications,
    undecided_applications_sweep,
)
from microintern.notifications import services as notifications
from microintern.notifications.models import EmailState, Notification
from tests.applications import factories
from tests.postings import factories as posting_factories

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def eastern(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


# --- interview reminders ----------------------------------------------------------------------
START = eastern(dt.date(2026, 11, 12), 14)


def booked(posting, student, start: dt.datetime = START):
    application = factories.InterviewingApplicationFactory(posting=posting, student=student)
    return factories.InterviewFactory(application=application, slot__start=start)


def keys() -> list[str]:
    return sorted(Notification.objects.values_list("dedup_key", flat=True))


def test_it_reminds_both_sides_a_day_before(posting, student, employer):
    interview = booked(posting, student)
    assert interview_reminder_sweep(now=START - dt.timedelta(hours=23)) == 2
    reminders = Notification.objects.filter(kind="interview_reminder")
    assert {n.recipient for n in reminders} == {student, employer}
    assert keys() == sorted(
        f"interview:{interview.pk}:reminder-24h:{START.astimezone(dt.UTC).isoformat()}:{user.pk}"
        for user in (student, employer)
    )
    to_student = reminders.get(recipient=student)
    assert to_student.subject == "Coming up: interview for Sensor data cleanup, Nov 12, 2:00 PM EST"
    assert "Nov 12, 2026, 2:00 PM EST" in to_student.body_text


def test_it_reminds_again_an_hour_before(posting, student, employer):
    booked(posting, student)
    interview_reminder_sweep(now=START - dt.timedelta(hours=23))
    assert interview_reminder_sweep(now=START - dt.timedelta(minutes=50)) == 2
    last = Notification.objects.filter(recipient=student).order_by("pk").last()
    assert last.subject.startswith("In an hour: interview")


def test_it_does_not_remind_more_than_a_day_ahead(posting, student):
    booked(posting, student)
    assert interview_reminder_sweep(now=START - dt.timedelta(hours=24, minutes=1)) == 0


def test_it_never_reminds_after_the_start(posting, student):
    booked(posting, student)
    assert interview_reminder_sweep(now=START) == 0
    assert interview_reminder_sweep(now=START + dt.timedelta(minutes=5)) == 0


def test_a_cancelled_interview_gets_no_reminder(posting, student):
    interview = booked(posting, student)
    interview.status = InterviewStatus.CANCELLED
    interview.save(update_fields=["status"])
    assert interview_reminder_sweep(now=START - dt.timedelta(hours=2)) == 0


def test_it_sends_each_reminder_once_when_run_twice(posting, student):
    booked(posting, student)
    now = START - dt.timedelta(hours=20)
    assert interview_reminder_sweep(now=now) == 2
    assert interview_reminder_sweep(now=now + dt.timedelta(minutes=5)) == 0
    assert Notification.objects.count() == 2


def test_an_interview_booked_late_gets_only_the_one_hour_reminder(posting, student):
    booked(posting, student)
    interview_reminder_sweep(now=START - dt.timedelta(minutes=40))
    assert all(":reminder-1h:" in key for key in keys())


def test_a_moved_interview_is_reminded_again_for_its_new_time(posting, student):
    interview = booked(posting, student)
    interview_reminder_sweep(now=START - dt.timedelta(hours=23))
    later = START + dt.timedelta(hours=3)
    interview.slot = factories.SlotFactory(posting=posting, start=later)
    interview.save(update_fields=["slot"])
    assert interview_reminder_sweep(now=START - dt.timedelta(hours=20)) == 2
    assert sum(later.astimezone(dt.UTC).isoformat() in key for key in keys()) == 2


def test_all_members_of_the_organization_are_reminded(posting, student, employer, colleague):
    booked(posting, student)
    assert interview_reminder_sweep(now=START - dt.timedelta(hours=2)) == 3
    colleague_reminder = Notification.objects.get(recipient=colleague)
    assert "Your interview with Maya Chen" in colleague_reminder.body_text


def test_a_student_who_turned_interview_emails_off_gets_it_in_the_portal_only(posting, student):
    notifications.preferences_update(
        user=student, email_off=["interview_reminder"], daily_digest=False
    )
    booked(posting, student)
    interview_reminder_sweep(now=START - dt.timedelta(hours=2))
    assert Notification.objects.get(recipient=student).email_state == EmailState.SKIPPED


@pytest.mark.parametrize(
    "start",
    [eastern(dt.date(2026, 11, 1), 10), eastern(dt.date(2027, 3, 14), 10)],
    ids=["fall-back", "spring-forward"],
)
def test_across_a_daylight_saving_change_the_day_reminder_comes_24_real_hours_ahead(
    posting, student, start
):
    # Oct 31 11:00 EDT -> Nov 1 10:00 EST is 24 hours; Mar 13 09:00 EST -> Mar 14 10:00 EDT too.
    booked(posting, student, start=start)
    day_before = start.astimezone(dt.UTC) - dt.timedelta(hours=24)
    assert day_before.astimezone(NY).hour == (11 if start.month == 11 else 9)
    assert interview_reminder_sweep(now=day_before - dt.timedelta(minutes=1)) == 0
    assert interview_reminder_sweep(now=day_before) == 2
    assert interview_reminder_sweep(now=start - dt.timedelta(hours=1)) == 2


@pytest.mark.parametrize("rows", [2, 20])
def test_finding_due_interviews_takes_one_query_whatever_their_number(
    posting, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        booked(posting, factories.StudentFactory())
    now = START - dt.timedelta(hours=2)
    # 1. the booked interviews with their slot, application, student, posting, organization
    with django_assert_max_num_queries(1):
        found = list(due_interviews(now))
        assert {i.application.posting.organization.pk for i in found} == {posting.organization_id}
        assert all(i.slot.start == START and i.application.student.email for i in found)
    assert len(found) == rows


# --- undecided applications -------------------------------------------------------------------
DEADLINE = eastern(dt.date(2026, 11, 2), 17)


def closed_posting(org, deadline: dt.datetime = DEADLINE, **kwargs):
    return factories.PublishedPostingFactory(organization=org, deadline=deadline, **kwargs)


def test_it_tells_the_employer_a_week_after_the_deadline_from_nine(org_a, employer):
    posting = closed_posting(org_a, title="Robot arm calibration")
    factories.SubmittedApplicationFactory(posting=posting)
    factories.InterviewingApplicationFactory(posting=posting)
    factories.HiredApplicationFactory(posting=posting)
    # Nov 9, 17:00 is a week after the deadline: the reminder waits for the next morning.
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 9), 18)) == 0
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 8, 59)) == 0
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9)) == 1
    reminder = Notification.objects.get()
    assert reminder.recipient == employer
    assert reminder.kind == "undecided_applications"
    assert reminder.subject == "2 applicants still waiting: Robot arm calibration"
    assert "2 applicants are still waiting" in reminder.body_text
    assert reminder.url.endswith(f"/postings/{posting.pk}/applicants/")


def test_a_closed_posting_counts_too(org_a, employer):
    posting = posting_factories.ClosedPostingFactory(
        organization=org_a, deadline=DEADLINE, closed_at=DEADLINE
    )
    factories.UnderReviewApplicationFactory(posting=posting)
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9)) == 1


def test_it_does_not_tell_when_every_applicant_has_an_answer(org_a, employer):
    posting = closed_posting(org_a)
    factories.NotSelectedApplicationFactory(posting=posting)
    factories.OfferedApplicationFactory(posting=posting)
    factories.WithdrawnApplicationFactory(posting=posting)
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9)) == 0


def test_it_tells_each_member_once_when_run_twice_and_on_later_days(org_a, employer, colleague):
    factories.SubmittedApplicationFactory(posting=closed_posting(org_a))
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9)) == 2
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9, 15)) == 0
    assert undecided_applications_sweep(now=eastern(dt.date(2026, 11, 12), 9)) == 0
    assert Notification.objects.count() == 2


def test_an_employer_who_turned_these_emails_off_gets_it_in_the_portal_only(org_a, employer):
    notifications.preferences_update(
        user=employer, email_off=["undecided_applications"], daily_digest=False
    )
    factories.SubmittedApplicationFactory(posting=closed_posting(org_a))
    undecided_applications_sweep(now=eastern(dt.date(2026, 11, 10), 9))
    assert Notification.objects.get(recipient=employer).email_state == EmailState.SKIPPED


@pytest.mark.parametrize(
    ("deadline_day", "reminder_day"),
    [(dt.date(2026, 10, 30), dt.date(2026, 11, 7)), (dt.date(2027, 3, 9), dt.date(2027, 3, 17))],
    ids=["fall-back", "spring-forward"],
)
def test_across_a_daylight_saving_change_it_comes_at_nine_eastern(
    org_a, employer, deadline_day, reminder_day
):
    factories.SubmittedApplicationFactory(posting=closed_posting(org_a, eastern(deadline_day, 17)))
    assert undecided_applications_sweep(now=eastern(reminder_day, 8, 59)) == 0
    assert undecided_applications_sweep(now=eastern(reminder_day, 9)) == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_finding_postings_with_undecided_applicants_takes_one_query(
    org_a, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        factories.SubmittedApplicationFactory.create_batch(2, posting=closed_posting(org_a))
    # 1. the postings with their organization and their undecided applications counted
    with django_assert_max_num_queries(1):
        found = list(postings_with_undecided_applications(eastern(dt.date(2026, 11, 10), 9)))
        assert {(p.organization.pk, p.undecided) for p in found} == {(org_a.pk, 2)}
    assert len(found) == rows


# --- the clock --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("task", "minutes"),
    [
        ("applications.interview_reminder_sweep", 5),
        ("applications.undecided_applications_sweep", 15),
    ],
)
def test_beat_runs_the_sweeps_every_few_minutes(task, minutes):
    from django_celery_beat.models import PeriodicTask

    from applications import tasks

    periodic = PeriodicTask.objects.get(task=task)
    assert periodic.enabled and periodic.interval.every == minutes
    assert getattr(tasks, task.split(".")[1]).name == task
