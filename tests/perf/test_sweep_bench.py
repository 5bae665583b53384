"""Benchmark: the sweeps' candidate queries over 100,000 offers and 200,000 applications.

Run with `make bench` (or `pytest tests/perf/test_sweep_bench.py -m perf -s`) against
PostgreSQL (it is skipped on SQLite). It seeds with bulk_create only, makes a small slice of
rows due for one sweep at a time, and measures FINDING the due rows: the sweep's candidate
query (reproduced from the sweep, or the manager method it calls), median of 5 runs, and its
query count. The count must be the same with 10 and with 100 due rows: the finding step is
batched, never one query per due row. It also prints the plans of the candidate queries over
the two biggest tables (applications and offers) and whether they use an index.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from applications.models.applications import UNDECIDED_STATUSES
from microintern.accounts.models import User
from microintern.core.models import ProgramSettings
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import EmailState, Notification
from microintern.notifications.services import STALE_CLAIM, SWEEP_BATCH
from offers.models import Arrangement, ArrangementStatus, Offer, OfferStatus
from postings.models import (
    AlertFrequency,
    Organization,
    Posting,
    PostingStatus,
    SavedPosting,
    SavedSearch,
)
from postings.reminders import ALERT_BATCH, ALERT_PERIODS, DEADLINE_REMINDERS
from tests.postings.factories import current_cycle

pytestmark = [pytest.mark.perf, pytest.mark.postgres]

STUDENTS = 500
POSTINGS = 400  # 500 students x 400 postings = 200,000 applications
CLOSED_POSTINGS = 40  # the last 40 closed long ago; every application on them is decided
OFFER_POSTINGS = 200  # one offer on each application to the first 200 postings: 100,000
PAST_CYCLES = 9
BATCH = 5000
RUNS = 5
DUE_SMALL, DUE, DUE_LARGE = 10, 50, 100
SLOTS = DUE_LARGE  # rows per sweep that can be made due

A, OS, N = ApplicationStatus, OfferStatus, EmailState
DECIDED = [A.HIRED, A.NOT_SELECTED, A.WITHDRAWN]
OPEN = [A.SUBMITTED, A.UNDER_REVIEW, A.INTERVIEWING, A.OFFERED, *DECIDED]


class Bench:
    """The seeded world, and the handful of row ids each sweep's slice is made of."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed() -> Bench:
    b = Bench()
    now, today = b.now, b.today
    b.cycle = cycle = current_cycle()
    past = _bulk(
        RecruitingCycle,
        [
            RecruitingCycle(
                name=f"Bench IAP {2010 + i}",
                postings_open=dt.date(2010 + i, 9, 1),
                interviews_begin=dt.date(2010 + i, 10, 1),
                offers_begin=dt.date(2010 + i, 11, 1),
                arrangements_begin=dt.date(2010 + i, 12, 1),
                iap_start=dt.date(2011 + i, 1, 5),
                iap_end=dt.date(2011 + i, 1, 30),
            )
            for i in range(PAST_CYCLES)
        ],
    )
    cycles = [cycle, *past]
    organizations = _bulk(
        Organization, [Organization(name=f"Sweep bench org {i}", verified=True) for i in range(20)]
    )
    students = _bulk(
        User,
        [
            User(email=f"sweep-bench-{i}@example.edu", full_name=f"Student {i}", password="!")
            for i in range(STUDENTS)
        ],
    )
    b.student_ids = [u.pk for u in students]

    def posting(i: int, **kwargs) -> Posting:
        fields = dict(
            organization=organizations[i % len(organizations)],
            cycle=cycle,
            status=PostingStatus.PUBLISHED,
            title=f"Sweep bench posting {i}",
            description="Bench.",
            pay_amount=20,
            iap_start=cycle.iap_start,
            iap_end=cycle.iap_end,
            hours_per_week=10,
            deadline=now + dt.timedelta(days=10 + i % 30, hours=i % 24),
            published_at=now - dt.timedelta(days=30),
        )
        fields.update(kwargs)
        return Posting(**fields)

    postings = [posting(i) for i in range(POSTINGS - CLOSED_POSTINGS)] + [
        posting(
            i,
            status=PostingStatus.CLOSED,
            deadline=now - dt.timedelta(days=40 + i % 50),
            closed_at=now - dt.timedelta(days=40 + i % 50),
        )
        for i in range(POSTINGS - CLOSED_POSTINGS, POSTINGS)
    ]
    # One more published posting, saved by nobody yet, whose deadline is in 2 days: the
    # saved-posting sweep's slice is made of saves of it.
    postings.append(posting(POSTINGS, deadline=now + dt.timedelta(days=2)))
    postings = _bulk(Posting, postings)
    b.due_posting = postings[-1]
    posting_ids = [p.pk for p in postings[:POSTINGS]]

    # 200,000 applications, 20,000 at a time (memory stays modest); keep only their ids.
    app_ids: list[list[int]] = []  # [posting index][student index]
    for start in range(0, POSTINGS, 40):
        rows = []
        for p in range(start, start + 40):
            closed = p >= POSTINGS - CLOSED_POSTINGS
            statuses = DECIDED if closed else OPEN
            for s, student_id in enumerate(b.student_ids):
                rows.append(
                    Application(
                        posting_id=posting_ids[p],
                        student_id=student_id,
                        status=statuses[(p + s) % len(statuses)],
                        submitted_at=now - dt.timedelta(days=50),
                    )
                )
        created = _bulk(Application, rows)
        for p in range(40):
            app_ids.append([a.pk for a in created[p * STUDENTS : (p + 1) * STUDENTS]])
        del rows, created
    # The close-undecided slice: applications on a closed posting (decided until made due).
    b.close_slots = app_ids[POSTINGS - 1][:SLOTS]

    # 100,000 offers: one per application on the first 200 postings. Postings 0-9 give
    # accepted offers, posting p in cycle p (0 = the current one), so each student has at
    # most one accepted offer per cycle; postings 10-39 pending offers with deadlines 7 to 60
    # days away (none due); the rest decided long ago.
    extended = now - dt.timedelta(days=3)
    accepted_current: list[Offer] = []
    accepted_past: list[Offer] = []
    b.pending_slots = []
    for start in range(0, OFFER_POSTINGS, 40):
        rows = []
        for p in range(start, start + 40):
            for s, student_id in enumerate(b.student_ids):
                k = p * STUDENTS + s
                if p < len(cycles):
                    status, offer_cycle = OS.ACCEPTED, cycles[p]
                    deadline = now - dt.timedelta(days=20)
                elif p < 40:
                    status, offer_cycle = OS.PENDING, cycle
                    deadline = now + dt.timedelta(days=7 + k % 53, minutes=k % 1440)
                else:
                    status = [OS.DECLINED, OS.EXPIRED, OS.RESCINDED][k % 3]
                    offer_cycle, deadline = cycle, now - dt.timedelta(days=10 + k % 40)
                rows.append(
                    Offer(
                        application_id=app_ids[p][s],
                        student_id=student_id,
                        cycle=offer_cycle,
                        status=status,
                        pay_hourly=Decimal("20.00"),
                        start_date=offer_cycle.iap_start,
                        end_date=offer_cycle.iap_end,
                        hours_per_week=10,
                        decision_window_days=5,
                        decision_days_total=5,
                        extended_at=extended,
                        deadline=deadline,
                        decided_at=None if status == OS.PENDING else now - dt.timedelta(days=9),
                    )
                )
        created = _bulk(Offer, rows)
        for offer in created:
            if offer.status == OS.ACCEPTED:
                (accepted_current if offer.cycle_id == cycle.pk else accepted_past).append(offer)
            elif offer.status == OS.PENDING and len(b.pending_slots) < SLOTS:
                b.pending_slots.append(offer.pk)
        del rows, created
    b.accepted_current_ids = [o.pk for o in accepted_current]

    # Arrangements: every accepted offer's, confirmed, starting weeks away (or in the past).
    arrangements = _bulk(
        Arrangement,
        [
            Arrangement(
                offer_id=o.pk,
                status=ArrangementStatus.CONFIRMED,
                start_date=o.start_date if o in accepted_past else today + dt.timedelta(days=30),
                end_date=o.end_date if o in accepted_past else today + dt.timedelta(days=40),
                hours_per_week=10,
                confirmed_at=now - dt.timedelta(days=5),
            )
            for o in accepted_past + accepted_current
        ],
    )
    b.arrangement_slots = [a.pk for a in arrangements[-len(accepted_current) :]][:SLOTS]
    del accepted_current, accepted_past, arrangements

    # 20,000 saved postings (40 a student) on postings whose deadlines are 10+ days away.
    _bulk(
        SavedPosting,
        [
            SavedPosting(user_id=student_id, posting_id=posting_ids[(s + j * 7) % 300])
            for s, student_id in enumerate(b.student_ids)
            for j in range(40)
        ],
    )
    # 2,000 saved searches, all alerted an hour ago (none due).
    searches = _bulk(
        SavedSearch,
        [
            SavedSearch(
                user_id=student_id,
                name=f"Search {j}",
                query_string=f"q=topic{j}",
                frequency=AlertFrequency.DAILY if j % 2 else AlertFrequency.WEEKLY,
                last_alerted_at=now - dt.timedelta(hours=1),
            )
            for student_id in b.student_ids
            for j in range(4)
        ],
    )
    b.search_slots = [s.pk for s in searches[::4][:SLOTS]]
    b.search_alerted = now - dt.timedelta(hours=1)
    # 100,000 notifications (200 a student), all sent. The first of each of the first 100
    # students is the outbox's and the digest's slice (one row per user).
    notifications = []
    for student_id in b.student_ids:
        for j in range(200):
            notifications.append(
                Notification(
                    recipient_id=student_id,
                    kind="bench",
                    dedup_key=f"sweep-bench:{student_id}:{j}",
                    subject="Bench",
                    body_text="Bench notification.",
                    email_state=N.SENT,
                    sent_at=now - dt.timedelta(days=j % 30),
                )
            )
    created = _bulk(Notification, notifications)
    b.notification_slots = [n.pk for n in created[::200][:SLOTS]]
    del notifications, created

    ProgramSettings.load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return b


# --- making n rows due, one sweep at a time (each resets its slice first) -------------------
def due_expire(b: Bench, n: int) -> None:
    Offer.objects.filter(pk__in=b.pending_slots).update(deadline=b.now + dt.timedelta(days=30))
    Offer.objects.filter(pk__in=b.pending_slots[:n]).update(
        deadline=b.now - dt.timedelta(minutes=5)
    )


def due_decision(b: Bench, n: int) -> None:
    Offer.objects.filter(pk__in=b.pending_slots).update(deadline=b.now + dt.timedelta(days=30))
    Offer.objects.filter(pk__in=b.pending_slots[:n]).update(deadline=b.now + dt.timedelta(days=2))


def due_arrangement(b: Bench, n: int) -> None:
    Arrangement.objects.filter(pk__in=b.arrangement_slots).update(
        status=ArrangementStatus.CONFIRMED, start_date=b.today + dt.timedelta(days=30)
    )
    Arrangement.objects.filter(pk__in=b.arrangement_slots[:n]).update(
        status=ArrangementStatus.TO_ARRANGE
    )


def due_start(b: Bench, n: int) -> None:
    Arrangement.objects.filter(pk__in=b.arrangement_slots).update(
        status=ArrangementStatus.CONFIRMED, start_date=b.today + dt.timedelta(days=30)
    )
    Arrangement.objects.filter(pk__in=b.arrangement_slots[:n]).update(
        start_date=b.today + dt.timedelta(days=5)
    )


def due_close(b: Bench, n: int) -> None:
    Application.objects.filter(pk__in=b.close_slots).update(status=A.NOT_SELECTED)
    Application.objects.filter(pk__in=b.close_slots[:n]).update(status=A.SUBMITTED)


def due_saved_posting(b: Bench, n: int) -> None:
    SavedPosting.objects.filter(posting=b.due_posting).delete()
    SavedPosting.objects.bulk_create(
        SavedPosting(user_id=u, posting=b.due_posting) for u in b.student_ids[:n]
    )


def due_saved_search(b: Bench, n: int) -> None:
    SavedSearch.objects.filter(pk__in=b.search_slots).update(last_alerted_at=b.search_alerted)
    SavedSearch.objects.filter(pk__in=b.search_slots[:n]).update(last_alerted_at=None)


def due_outbox(b: Bench, n: int) -> None:
    Notification.objects.filter(pk__in=b.notification_slots).update(
        email_state=N.SENT, next_attempt_at=None
    )
    Notification.objects.filter(pk__in=b.notification_slots[:n]).update(
        email_state=N.PENDING, next_attempt_at=b.now - dt.timedelta(minutes=1)
    )


def due_digest(b: Bench, n: int) -> None:
    Notification.objects.filter(pk__in=b.notification_slots).update(email_state=N.SENT)
    Notification.objects.filter(pk__in=b.notification_slots[:n]).update(email_state=N.DIGEST)


# --- finding the due rows: each returns them --------------------------------------------------
def find_expire(b: Bench) -> list:
    # offers_expire_due: the manager method it calls, its order and batch.
    return list(
        Offer.objects.due_to_expire(b.now)
        .order_by("deadline", "pk")
        .values_list("pk", "student_id")[:500]
    )


def decision_queryset(b: Bench):
    now = b.now
    return (
        Offer.objects.filter(
            status=OS.PENDING, deadline__gt=now, deadline__lte=now + dt.timedelta(days=6)
        )
        .select_related("application__posting__organization", "student")
        .order_by("deadline", "pk")
    )


def find_decision(b: Bench) -> list:
    return list(decision_queryset(b))


def find_arrangement(b: Bench) -> list:
    return list(
        Offer.objects.filter(
            status=OS.ACCEPTED,
            cycle__arrangements_begin__lte=b.today,
            cycle__iap_end__gte=b.today,
        )
        .exclude(arrangement__status=ArrangementStatus.CONFIRMED)
        .select_related("application__posting__organization", "student", "cycle")
        .order_by("pk")
    )


def find_start(b: Bench) -> list:
    return list(
        Arrangement.objects.filter(
            status=ArrangementStatus.CONFIRMED,
            offer__status=OS.ACCEPTED,
            start_date__gt=b.today,
            start_date__lte=b.today + dt.timedelta(days=7),
        )
        .select_related("offer__application__posting__organization", "offer__student")
        .order_by("pk")
    )


def close_queryset(b: Bench, days: int):
    return (
        Application.objects.filter(
            status__in=UNDECIDED_STATUSES,
            posting__status=PostingStatus.CLOSED,
            posting__closed_at__lte=b.now - dt.timedelta(days=days),
        )
        .order_by("pk")
        .values_list("pk", "status")[:500]
    )


def find_close(b: Bench) -> list:
    return list(close_queryset(b, ProgramSettings.load().undecided_close_days))


def find_saved_posting(b: Bench) -> list:
    now = b.now
    return list(
        SavedPosting.objects.filter(
            posting__status=PostingStatus.PUBLISHED,
            posting__deadline__gt=now,
            posting__deadline__lte=now + DEADLINE_REMINDERS[-1][1],
            user__is_active=True,
        ).select_related("posting__organization", "user")
    )


def find_saved_search(b: Bench) -> list:
    now = b.now
    due = Q()
    for frequency, period in ALERT_PERIODS.items():
        due |= Q(frequency=frequency) & (
            Q(last_alerted_at__isnull=True)
            | Q(last_alerted_at__lte=now - period + dt.timedelta(hours=1))
        )
    return list(
        SavedSearch.objects.filter(due, user__is_active=True).select_related("user")[:ALERT_BATCH]
    )


def find_outbox(b: Bench) -> list:
    # outbox_sweep's two statements before delivery: requeue stale claims, read the batch.
    Notification.objects.filter(email_state=N.SENDING, claimed_at__lt=b.now - STALE_CLAIM).update(
        email_state=N.RETRY, next_attempt_at=b.now
    )
    return list(
        Notification.objects.due_for_delivery(b.now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def find_digest(b: Bench) -> list:
    user_ids = (
        Notification.objects.filter(email_state=N.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return list(User.objects.filter(pk__in=list(user_ids)))


SWEEPS: list[tuple[str, str, Callable, Callable]] = [
    ("offers_expire_due", "manager method", due_expire, find_expire),
    ("decision_reminder_sweep", "reproduced", due_decision, find_decision),
    ("arrangement_reminder_sweep", "reproduced", due_arrangement, find_arrangement),
    ("start_reminder_sweep", "reproduced", due_start, find_start),
    ("applications_close_undecided", "reproduced", due_close, find_close),
    ("saved_posting_deadline_sweep", "reproduced", due_saved_posting, find_saved_posting),
    ("saved_search_alert_sweep", "reproduced", due_saved_search, find_saved_search),
    ("outbox_sweep", "manager method + requeue", due_outbox, find_outbox),
    ("digest_sweep", "reproduced", due_digest, find_digest),
]


def measure(b: Bench, make_due: Callable, find: Callable, n: int, runs: int = 1):
    make_due(b, n)
    find(b)  # warm-up
    timings, counts, found = [], set(), 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            found = len(find(b))
            timings.append(time.perf_counter() - t0)
        counts.add(len(queries))
    assert len(counts) == 1
    return found, statistics.median(timings) * 1000, counts.pop(), [q["sql"] for q in queries]


def seq_scans(statements: list[str], big: int = 10_000) -> str:
    """The tables of more than `big` rows that the statements' plans scan sequentially."""
    tables = set()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            tables |= set(re.findall(r"Seq Scan on (\w+)", plan))
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples > %s",
            [sorted(tables), big],
        )
        return ", ".join(sorted(row[0] for row in cursor.fetchall())) or "-"


def explain(queryset) -> tuple[str, bool]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    table = queryset.model._meta.db_table
    seq_scan = f"Seq Scan on {table}" in plan
    return plan, ("Index" in plan and not seq_scan)


@pytest.mark.django_db
def test_sweep_bench():
    if connection.vendor != "postgresql":
        pytest.skip("the sweep benchmark needs PostgreSQL")
    started = time.perf_counter()
    b = seed()
    seeded = time.perf_counter() - started
    counts = {
        "applications": Application.objects.count(),
        "offers": Offer.objects.count(),
        "arrangements": Arrangement.objects.count(),
        "saved postings": SavedPosting.objects.count(),
        "saved searches": SavedSearch.objects.count(),
        "notifications": Notification.objects.count(),
    }
    assert counts["applications"] == 200_000 and counts["offers"] == 100_000
    print(
        f"\n[bench] PostgreSQL: seeded in {seeded:.1f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
    )

    rows = []
    for name, how, make_due, find in SWEEPS:
        found, median_ms, queries, statements = measure(b, make_due, find, DUE, runs=RUNS)
        found_small, _, queries_small, _ = measure(b, make_due, find, DUE_SMALL)
        found_large, _, queries_large, _ = measure(b, make_due, find, DUE_LARGE)
        make_due(b, 0)
        assert (found_small, found, found_large) == (DUE_SMALL, DUE, DUE_LARGE), name
        # The finding step is batched: as many queries for 100 due rows as for 10.
        assert queries_small == queries == queries_large, name
        rows.append((name, how, found, median_ms, queries, seq_scans(statements)))

    print(f"[bench] finding the due rows: median of {RUNS} runs, {DUE} due rows")
    print(
        f"{'sweep':30} {'finding step':26} {'due':>4} {'median ms':>10} {'queries':>8}  "
        "seq scan of a table > 10k rows"
    )
    for name, how, found, median_ms, queries, scans in rows:
        print(f"{name:30} {how:26} {found:>4} {median_ms:>10.1f} {queries:>8}  {scans}")
    print(f"[bench] query counts equal with {DUE_SMALL} and {DUE_LARGE} due rows for every sweep")

    # The plans of the candidate queries over the two biggest tables.
    due_close(b, DUE)
    due_expire(b, DUE)
    candidates = [
        ("applications_close_undecided", close_queryset(b, 14)),
        (
            "offers_expire_due",
            Offer.objects.due_to_expire(b.now)
            .order_by("deadline", "pk")
            .values_list("pk", "student_id")[:500],
        ),
    ]
    for name, queryset in candidates:
        plan, indexed = explain(queryset)
        print(f"[bench] EXPLAIN {name} ({queryset.model._meta.db_table}):")
        print(plan)
        print(f"[bench] {name}: index used: {'yes' if indexed else 'NO (sequential scan)'}")
    for _name, _how, _found, median_ms, _queries, _scans in rows:
        assert median_ms < 1000
