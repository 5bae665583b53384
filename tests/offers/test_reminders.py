"""Reminders: decision deadlines, arrangements, start dates. For each: due, not yet due,
already sent, and preference off (mandatory kinds ignore "off"); across the daylight-saving
changes of Nov 1, 2026 and Mar 14, 2027 (time-machine)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import CAPD_STAFF_GROUP
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import EmailState, Notification, NotificationPreference
from offers.reminders import (
    arrangement_reminder_sweep,
    decision_reminder_sweep,
    start_reminder_sweep,
)
from tests.offers import factories

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def eastern(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


@pytest.fixture
def cycle(iap_2027: RecruitingCycle) -> RecruitingCycle:
    """The cast's posting (and the offers on it) in IAP 2027, whose dates these tests visit."""
    return iap_2027


def pending_offer(posting, student, extended_at: dt.datetime):
    with time_machine.travel(extended_at, tick=False):
        return factories.PendingOfferFactory(
            application=factories.OfferedApplicationFactory(posting=posting, student=student),
            extended_at=extended_at,
        )


def reminders_to(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


# --- decision reminders ------------------------------------------------------------------------
# Extended Mon Oct 26, 2026 with 5 days: deadline Mon Nov 2, 11:59 PM EST (after the change).
def test_it_reminds_the_student_two_business_days_before_the_deadline(posting, student):
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    assert decision_reminder_sweep(now=eastern(2026, 10, 29, 9)) == 1
    assert reminders_to(student, "offer_decision_reminder") == 1


def test_it_reminds_the_student_on_the_morning_of_the_last_day_after_the_november_change(
    posting, student
):
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    assert decision_reminder_sweep(now=eastern(2026, 11, 2, 9)) == 1


def test_the_last_day_reminder_is_not_due_at_8_59_eastern(posting, student):
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    assert decision_reminder_sweep(now=eastern(2026, 11, 2, 8, 59)) == 0


def test_it_is_not_due_three_business_days_before(posting, student):
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    assert decision_reminder_sweep(now=eastern(2026, 10, 28, 10)) == 0


def test_the_sweep_reads_the_holidays_once_however_many_offers_are_due(
    posting, student, other_student, intl_student
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for who in (student, other_student, intl_student):
        pending_offer(posting, who, eastern(2026, 10, 26, 10))
    with CaptureQueriesContext(connection) as captured:
        assert decision_reminder_sweep(now=eastern(2026, 10, 29, 9)) == 3
    holiday_reads = [q for q in captured.captured_queries if "cycles_holiday" in q["sql"]]
    assert len(holiday_reads) == 1


def test_it_reminds_once(posting, student):
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    decision_reminder_sweep(now=eastern(2026, 11, 2, 9))
    assert decision_reminder_sweep(now=eastern(2026, 11, 2, 9, 5)) == 0
    assert reminders_to(student, "offer_decision_reminder") == 1


def test_it_reminds_at_9_eastern_after_the_march_change(posting, student):
    # Extended Mon Mar 8, 2027: the last day is Mon Mar 15, the day after clocks go forward.
    pending_offer(posting, student, eastern(2027, 3, 8, 10))
    assert decision_reminder_sweep(now=eastern(2027, 3, 15, 8, 59)) == 0
    assert decision_reminder_sweep(now=eastern(2027, 3, 15, 9)) == 1


def test_the_mandatory_decision_reminder_ignores_email_off(posting, student):
    NotificationPreference.objects.create(user=student, email_off=["offer_decision_reminder"])
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    decision_reminder_sweep(now=eastern(2026, 11, 2, 9))
    assert Notification.objects.get(recipient=student).email_state == EmailState.PENDING


# --- arrangement reminders ---------------------------------------------------------------------
@pytest.fixture
def arrangement(posting, student):
    with time_machine.travel(eastern(2026, 10, 28, 10), tick=False):
        offer = factories.AcceptedOfferFactory(
            application=factories.OfferedApplicationFactory(
                posting=posting, student=student, status="hired"
            )
        )
        return factories.ArrangementFactory(offer=offer)


def test_the_arrangement_reminder_starts_on_the_cycles_arrangements_date(
    arrangement, student, employer
):
    assert arrangement_reminder_sweep(now=eastern(2026, 10, 31, 10)) == 0
    assert arrangement_reminder_sweep(now=eastern(2026, 11, 1, 9)) == 2  # EST from today
    assert reminders_to(student, "arrangement_reminder") == 1
    assert reminders_to(employer, "arrangement_reminder") == 1


def test_the_arrangement_reminder_is_not_due_before_9_eastern(arrangement):
    assert arrangement_reminder_sweep(now=eastern(2026, 11, 1, 8, 59)) == 0


def test_the_arrangement_reminder_is_weekly(arrangement, student):
    arrangement_reminder_sweep(now=eastern(2026, 11, 1, 9))
    assert arrangement_reminder_sweep(now=eastern(2026, 11, 5, 9)) == 0
    assert arrangement_reminder_sweep(now=eastern(2026, 11, 8, 9)) == 2
    assert reminders_to(student, "arrangement_reminder") == 2


def test_after_three_reminders_capd_staff_are_told(arrangement, staff):
    staff.groups.add(ensure_staff_groups()[CAPD_STAFF_GROUP])
    for day in (1, 8, 15):
        arrangement_reminder_sweep(now=eastern(2026, 11, day, 9))
    assert reminders_to(staff, "arrangement_reminder") == 0
    arrangement_reminder_sweep(now=eastern(2026, 11, 22, 9))
    assert reminders_to(staff, "arrangement_reminder") == 1


def test_no_arrangement_reminder_once_confirmed(arrangement):
    arrangement.status = "confirmed"
    arrangement.save()
    assert arrangement_reminder_sweep(now=eastern(2026, 11, 1, 9)) == 0


def test_the_arrangement_reminder_respects_email_off(arrangement, student):
    NotificationPreference.objects.create(user=student, email_off=["arrangement_reminder"])
    arrangement_reminder_sweep(now=eastern(2026, 11, 1, 9))
    notification = Notification.objects.get(recipient=student, kind="arrangement_reminder")
    assert notification.email_state == EmailState.SKIPPED


# --- start reminders ---------------------------------------------------------------------------
@pytest.fixture
def confirmed(arrangement):
    arrangement.status = "confirmed"
    arrangement.start_date = dt.date(2027, 1, 6)
    arrangement.work_mode, arrangement.place = "remote", "Zoom"
    arrangement.supervisor_name, arrangement.supervisor_email = "Pat", "pat@example.com"
    arrangement.save()
    return arrangement


def test_the_start_reminder_goes_to_both_a_week_before_with_the_details(
    confirmed, student, employer
):
    assert start_reminder_sweep(now=eastern(2026, 12, 30, 9)) == 2
    body = Notification.objects.get(recipient=student, kind="start_reminder").body_text
    assert "Wednesday, Jan 6, 2027" in body and "pat@example.com" in body


def test_the_start_reminder_is_not_due_eight_days_before(confirmed):
    assert start_reminder_sweep(now=eastern(2026, 12, 29, 9)) == 0


def test_the_start_reminder_is_sent_once(confirmed):
    start_reminder_sweep(now=eastern(2026, 12, 30, 9))
    assert start_reminder_sweep(now=eastern(2026, 12, 31, 9)) == 0


def test_the_start_reminder_respects_email_off(confirmed, employer):
    NotificationPreference.objects.create(user=employer, email_off=["start_reminder"])
    start_reminder_sweep(now=eastern(2026, 12, 30, 9))
    notification = Notification.objects.get(recipient=employer, kind="start_reminder")
    assert notification.email_state == EmailState.SKIPPED


# --- steady runs: a sweep with nothing new to send costs the same few queries at any size --


def steady_queries(sweep, now) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sweep(now=now)  # the first run sends
    with CaptureQueriesContext(connection) as captured:
        assert sweep(now=now + dt.timedelta(minutes=5)) == 0
    return len(captured)


def more_students(count: int):
    from tests.factories import StudentFactory

    return StudentFactory.create_batch(count)


def test_a_steady_decision_reminder_run_costs_the_same_for_2_offers_or_12(posting, student):
    day = eastern(2026, 10, 29, 9)
    pending_offer(posting, student, eastern(2026, 10, 26, 10))
    few = steady_queries(decision_reminder_sweep, day)
    for who in more_students(10):
        pending_offer(posting, who, eastern(2026, 10, 26, 10))
    decision_reminder_sweep(now=day)  # the new offers' reminders
    many = steady_queries(decision_reminder_sweep, day)

    assert many == few <= 5


def test_a_first_decision_reminder_run_reads_nothing_more_per_offer_than_its_insert(
    posting, student
):
    """The batch query left out the offers told already and read each student's
    preferences: a reminder is its insert inside two savepoints, no lookup of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    day = eastern(2026, 10, 29, 9)
    for who in more_students(2):
        pending_offer(posting, who, eastern(2026, 10, 26, 10))
    with CaptureQueriesContext(connection) as few:
        assert decision_reminder_sweep(now=day) == 2
    for who in more_students(10):
        pending_offer(posting, who, eastern(2026, 10, 26, 10))
    with CaptureQueriesContext(connection) as many:
        assert decision_reminder_sweep(now=day + dt.timedelta(minutes=5)) == 10
    assert (len(many) - len(few)) / 8 <= 5


def test_a_steady_arrangement_reminder_run_costs_the_same_for_1_or_11(arrangement, posting):
    day = eastern(2026, 11, 1, 9)
    few = steady_queries(arrangement_reminder_sweep, day)
    with time_machine.travel(eastern(2026, 10, 28, 10), tick=False):
        for who in more_students(10):
            factories.ArrangementFactory(
                offer=factories.AcceptedOfferFactory(
                    application=factories.OfferedApplicationFactory(
                        posting=posting, student=who, status="hired"
                    )
                )
            )
    arrangement_reminder_sweep(now=day)
    many = steady_queries(arrangement_reminder_sweep, day)

    assert many == few <= 5


def test_a_first_arrangement_reminder_run_reads_nothing_more_per_offer_than_its_inserts(
    posting,
):
    """The organization's members are read once per batch, with their preferences, and the
    week's claim stands for "told already?": a reminder is its claim and its two
    notifications (student, employer), no lookup of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def arrangements(count: int) -> None:
        with time_machine.travel(eastern(2026, 10, 28, 10), tick=False):
            for who in more_students(count):
                factories.ArrangementFactory(
                    offer=factories.AcceptedOfferFactory(
                        application=factories.OfferedApplicationFactory(
                            posting=posting, student=who, status="hired"
                        )
                    )
                )

    day = eastern(2026, 11, 1, 9)
    arrangements(2)
    with CaptureQueriesContext(connection) as few:
        assert arrangement_reminder_sweep(now=day) == 4
    few_queries = len(few)
    arrangements(10)
    with CaptureQueriesContext(connection) as many:
        assert arrangement_reminder_sweep(now=day + dt.timedelta(minutes=5)) == 20
    # Per offer: the claim and the two notifications' inserts, with their savepoints (7.2
    # measured); reading members, "told already?" and preferences per offer made it 11.2.
    assert (len(many) - few_queries) / 10 <= 8
