"""Every beat schedule's steady run makes the same few queries for 2 due rows or 10.

Beat runs the sweeps every few minutes all cycle long, and nearly every run is a steady one:
the run before it did the work and nothing new is due. A sweep that re-reads its backlog row
by row on such a run grows with the data; at a large university's size that is thousands of
queries every few minutes on the cores the pages share. So each schedule the migrations write
(django_celery_beat's PeriodicTask rows) runs here as the worker runs it: the task by its
registered name, with the schedule's arguments, at a moment when the rows built for it are
due. First over 2 due rows, then over 8 more; the run after each (one beat later, nothing new
due) must make the same number of queries, at most STEADY_MAX. Each work run is checked to
have done the new rows' work, so a steady run cannot pass because nothing was ever due.

tests/perf/scale/measure.py measures the same runs over the large seeded database.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery import Celery
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from applications.models import Application, ApplicationStatus
from microintern.celery import app
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import EmailState, Notification
from microintern.notifications.services import notify_rendered, preferences_update
from offers.models import Offer, OfferStatus
from postings.models import AlertFrequency, CloseReason, FieldOfStudy, Posting, PostingStatus
from tests.advising.factories import AdvisingSlotFactory, BookedAppointmentFactory
from tests.applications.factories import (
    ApplicationFactory,
    InterviewFactory,
    InterviewingApplicationFactory,
    SubmittedApplicationFactory,
)
from tests.authorization.helpers import ACCEPTED_AT, make_profile, open_case
from tests.factories import EmployerFactory, StudentFactory
from tests.offers.factories import (
    AcceptedOfferFactory,
    ArrangementFactory,
    ConfirmedArrangementFactory,
    OfferedApplicationFactory,
    PendingOfferFactory,
)
from tests.postings.factories import (
    ClosedPostingFactory,
    PublishedPostingFactory,
    SavedPostingFactory,
    SavedSearchFactory,
)

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
STEADY_MAX = 20
BEAT = dt.timedelta(minutes=5)  # the next run of a sweep beat runs every few minutes
FEW, MORE = 2, 8  # due rows built before the first steady run, and added before the second


def eastern(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=NY)


# A Monday of the IAP 2027 cycle, after its arrangements date (Nov 1) and before IAP.
MONDAY = eastern(2026, 11, 2)


# --- due rows: each builder makes `count` independent rows due at its sweep's moment ----------
def posting_with_member(**kwargs: object) -> Posting:
    """A published posting of an organization of its own, whose one member is told."""
    member = EmployerFactory()
    return PublishedPostingFactory(
        organization=member.membership.organization, created_by=member, **kwargs
    )


def decision_reminders_due(count: int) -> None:
    """Offers extended Mon Oct 26, 2026 for 5 business days (deadline Mon Nov 2): on Thu
    Oct 29, two business days are left."""
    for _ in range(count):
        PendingOfferFactory(
            application=OfferedApplicationFactory(posting=posting_with_member()),
            extended_at=eastern(2026, 10, 26),
        )


def offers_past_deadline(count: int) -> None:
    """Pending offers extended ten days ago: five business days have passed."""
    for _ in range(count):
        PendingOfferFactory(
            application=OfferedApplicationFactory(posting=posting_with_member()),
            extended_at=timezone.now() - dt.timedelta(days=10),
        )


def accepted_offer() -> Offer:
    return AcceptedOfferFactory(
        application=OfferedApplicationFactory(posting=posting_with_member(), status="hired")
    )


def arrangements_to_make(count: int) -> None:
    """Accepted offers whose arrangement is still to make, after the cycle's arrangements date."""
    for _ in range(count):
        ArrangementFactory(offer=accepted_offer())


def starts_next_week(count: int) -> None:
    """Confirmed arrangements starting on the first day of IAP (Jan 6, 2027)."""
    for _ in range(count):
        ConfirmedArrangementFactory(offer=accepted_offer())


def interviews_tomorrow(count: int) -> None:
    for _ in range(count):
        InterviewFactory(
            application=InterviewingApplicationFactory(posting=posting_with_member()),
            slot__start=timezone.now() + dt.timedelta(hours=20),
        )


def applicants_waiting_since_last_week(count: int) -> None:
    """Postings whose deadline passed eight days ago, with an applicant still undecided."""
    for _ in range(count):
        posting = posting_with_member(deadline=timezone.now() - dt.timedelta(days=8))
        SubmittedApplicationFactory(posting=posting)


def applications_left_undecided(count: int) -> None:
    """Applications still submitted on postings that closed a month ago."""
    month_ago = timezone.now() - dt.timedelta(days=30)
    for _ in range(count):
        ApplicationFactory(posting=ClosedPostingFactory(deadline=month_ago, closed_at=month_ago))


def postings_past_deadline(count: int) -> None:
    for _ in range(count):
        PublishedPostingFactory(deadline=timezone.now() - dt.timedelta(hours=1))


def saved_postings_closing_tomorrow(count: int) -> None:
    for _ in range(count):
        SavedPostingFactory(
            posting=PublishedPostingFactory(deadline=timezone.now() + dt.timedelta(hours=30))
        )


def saved_searches_with_new_postings(count: int) -> None:
    """Daily searches last alerted two days ago, each with a new matching posting."""
    for _ in range(count):
        SavedSearchFactory(
            query_string="q=robot",
            frequency=AlertFrequency.DAILY,
            last_alerted_at=timezone.now() - dt.timedelta(days=2),
        )
        PublishedPostingFactory(title="Robot arm calibration")


def new_postings_in_fields(count: int) -> None:
    """Students who asked for new postings in their field, each with a new one in Physics."""
    physics = FieldOfStudy.objects.get(name="Physics")
    for _ in range(count):
        StudentFactory(profile__field_of_study="Physics", profile__notify_new_postings=True)
        PublishedPostingFactory(title="Magnet lab helper", fields=[physics])


def appointments_tomorrow(count: int) -> None:
    for _ in range(count):
        BookedAppointmentFactory(
            slot=AdvisingSlotFactory(start=timezone.now() + dt.timedelta(hours=20))
        )


def checklist_steps_due(count: int) -> None:
    """International students' cases, each with one step due in two days (the rest far off)."""
    for _ in range(count):
        student = StudentFactory()
        make_profile(student)
        case = open_case(student)
        case.items.update(due_date=dt.date(2027, 6, 1))
        first = case.items.order_by("position").first()
        first.due_date = timezone.localdate() + dt.timedelta(days=2)
        first.save(update_fields=["due_date"])


def cases_at_risk(count: int) -> None:
    """Cases opened on offers day for an IAP start: on track then, at risk by early January."""
    with time_machine.travel(ACCEPTED_AT, tick=False):
        for _ in range(count):
            student = StudentFactory()
            make_profile(student)
            open_case(student)


def emails_waiting(count: int) -> None:
    """Notifications whose delivery task never ran (the broker was down): pending rows."""
    for _ in range(count):
        student = StudentFactory()
        notify_rendered(
            recipient=student,
            kind="test_message",
            dedup_key=f"steady-run:{student.pk}",
            subject="Test message from the micro-internship portal",
            body_text="Hello",
            body_html="<p>Hello</p>",
        )


def digests_due(count: int) -> None:
    """Students who chose the daily digest, each with an alert waiting for it."""
    for _ in range(count):
        student = StudentFactory()
        preferences_update(user=student, email_off=[], daily_digest=True)
        notify_rendered(
            recipient=student,
            kind="saved_search_alert",
            dedup_key=f"steady-run:{student.pk}",
            subject="New postings for Robots",
            body_text="Robot arm calibration",
            body_html="<p>Robot arm calibration</p>",
        )


def students(count: int) -> None:
    StudentFactory.create_batch(count)


# --- what the work leaves behind ----------------------------------------------------------------
def notifications(kind: str) -> Callable[[], int]:
    return lambda: Notification.objects.filter(kind=kind).count()


def emails_sent() -> int:
    return Notification.objects.filter(email_state=EmailState.SENT).count()


def offers_expired() -> int:
    return Offer.objects.filter(status=OfferStatus.EXPIRED).count()


def applications_closed() -> int:
    return Application.objects.filter(status=ApplicationStatus.NOT_SELECTED).count()


def postings_closed() -> int:
    return Posting.objects.filter(
        status=PostingStatus.CLOSED, close_reason=CloseReason.DEADLINE
    ).count()


# --- the schedules ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sweep:
    moment: dt.datetime  # when the rows `make_due` builds are due
    make_due: Callable[[int], None] | None = None  # None: nothing row-based
    done: Callable[[], int] | None = None  # counts what the work runs left behind
    per_row: int = 1  # what `done` counts for each due row (student and employer: 2)


POSTINGS_OPEN = RecruitingCycle.defaults_for_iap_year(2027)["postings_open"]

# Every enabled schedule, by task name; test_every_schedule_has_its_steady_run_here keeps the
# list equal to the migrations' rows. The cast's ISO advisor is on staff throughout.
SWEEPS: dict[str, Sweep] = {
    "core.heartbeat": Sweep(MONDAY),
    "notifications.outbox_sweep": Sweep(MONDAY, emails_waiting, emails_sent),
    "notifications.digest_sweep": Sweep(MONDAY, digests_due, notifications("daily_digest")),
    "cycles.key_date_sweep": Sweep(
        eastern(POSTINGS_OPEN.year, POSTINGS_OPEN.month, POSTINGS_OPEN.day),
        students,
        notifications("key_date"),
    ),
    "postings.close_expired": Sweep(MONDAY, postings_past_deadline, postings_closed),
    "postings.saved_posting_deadline_sweep": Sweep(
        MONDAY, saved_postings_closing_tomorrow, notifications("posting_deadline_reminder")
    ),
    "postings.saved_search_alert_sweep": Sweep(
        MONDAY, saved_searches_with_new_postings, notifications("saved_search_alert")
    ),
    "postings.field_alert_sweep": Sweep(
        MONDAY, new_postings_in_fields, notifications("new_postings_in_fields")
    ),
    "authorization.refresh_forecasts": Sweep(
        eastern(2027, 1, 2), cases_at_risk, notifications("authorization_at_risk"), per_row=2
    ),
    "authorization.item_due_sweep": Sweep(
        MONDAY, checklist_steps_due, notifications("authorization_item_due"), per_row=2
    ),
    "applications.close_undecided": Sweep(MONDAY, applications_left_undecided, applications_closed),
    "applications.interview_reminder_sweep": Sweep(
        MONDAY, interviews_tomorrow, notifications("interview_reminder"), per_row=2
    ),
    "applications.undecided_applications_sweep": Sweep(
        MONDAY, applicants_waiting_since_last_week, notifications("undecided_applications")
    ),
    "offers.expire_due": Sweep(MONDAY, offers_past_deadline, offers_expired),
    "offers.decision_reminder_sweep": Sweep(
        eastern(2026, 10, 29), decision_reminders_due, notifications("offer_decision_reminder")
    ),
    "offers.arrangement_reminder_sweep": Sweep(
        MONDAY, arrangements_to_make, notifications("arrangement_reminder"), per_row=2
    ),
    "offers.start_reminder_sweep": Sweep(
        eastern(2026, 12, 30), starts_next_week, notifications("start_reminder"), per_row=2
    ),
    "advising.appointment_reminder_sweep": Sweep(
        MONDAY, appointments_tomorrow, notifications("advising_reminder"), per_row=2
    ),
}

# Steady runs measured to grow with the due rows (queries for 2 rows / for 10): real faults,
# kept visible until fixed. strict: the fix turns the xfail into a failure to remove it here.
GROWS: dict[str, str] = {}


def schedules() -> list[object]:
    return [
        pytest.param(
            task,
            id=task,
            marks=[pytest.mark.xfail(raises=AssertionError, strict=True, reason=GROWS[task])]
            if task in GROWS
            else [],
        )
        for task in SWEEPS
    ]


# --- running a schedule as the worker does ------------------------------------------------------
def worker_app() -> Celery:
    """The Celery app with every app's tasks module imported, as the worker's autodiscovery
    does at start."""
    for config in django_apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks") is not None:
            importlib.import_module(f"{config.name}.tasks")
    return app


def run(schedule: PeriodicTask) -> object:
    task = worker_app().tasks[schedule.task]
    return task.apply(kwargs=json.loads(schedule.kwargs or "{}")).get(propagate=True)


def work_then_steady_run(
    schedule: PeriodicTask, sweep: Sweep, count: int, clock: time_machine.Coordinates
) -> int:
    """Make `count` more rows due, run the schedule (their work), and a beat later once more:
    the steady run's queries."""
    before = sweep.done() if sweep.done else 0
    if sweep.make_due:
        sweep.make_due(count)
    run(schedule)
    # pytest.fail, not assert: a builder whose rows are not due must fail even the cases
    # marked xfail (those expect the query counts' AssertionError only).
    if sweep.done and sweep.done() - before != count * sweep.per_row:
        pytest.fail(f"the work run did not do the {count} new rows' work")
    clock.shift(BEAT)
    with CaptureQueriesContext(connection) as steady:
        result = run(schedule)
    if result not in (0, None) or (sweep.done and sweep.done() - before != count * sweep.per_row):
        pytest.fail(f"the steady run did more work: {result}")
    return len(steady)


@pytest.mark.parametrize("task", schedules())
def test_a_steady_run_makes_the_same_few_queries_for_2_due_rows_or_10(task, iap_2027, iso_advisor):
    """A schedule with nothing row-based (the heartbeat) compares two steady runs."""
    sweep = SWEEPS[task]
    schedule = PeriodicTask.objects.get(task=task, enabled=True)
    with time_machine.travel(sweep.moment, tick=False) as clock:
        few = work_then_steady_run(schedule, sweep, FEW, clock)
        many = work_then_steady_run(schedule, sweep, MORE, clock)

    assert many == few <= STEADY_MAX


def test_every_schedule_has_its_steady_run_here():
    scheduled = PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True)
    assert sorted(scheduled) == sorted(SWEEPS)
