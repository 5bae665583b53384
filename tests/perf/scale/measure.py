"""In-process measurements over the seeded database: each page's query count and server time
(the time Django takes from request to response, p50 and p95 over repeated GETs), every admin
changelist, and each beat sweep's first and steady run (queries and seconds).

Pages are asked for through Django's test client, with the production settings: the whole
middleware stack and template rendering, without a socket (the throughput part, through
gunicorn, is in run.py).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from microintern.portal.charts import forget_cycle_charts
from offers.models import Offer
from postings.models import Posting
from tests.perf.scale.seed import ISO_EMAIL, ROOT_EMAIL, STAFF_EMAIL

RUNS = 20
ADMIN_RUNS = 5
COUNTED_RUNS = 3  # the charts counted afresh: seconds each at a university's size
DRAIN_RUNS = 100
EASTERN = ZoneInfo("America/New_York")


@dataclass
class Timing:
    label: str
    queries: int
    p50_ms: float
    p95_ms: float
    status: int
    size_kb: float = 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_get(client: Client, label: str, url: str, runs: int = RUNS) -> Timing:
    client.get(url)  # warm: templates compiled, session and permissions read once
    times = []
    for _ in range(runs - 1):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    return Timing(
        label,
        len(captured),
        round(1000 * statistics.median(times), 1),
        round(1000 * _percentile(times, 0.95), 1),
        response.status_code,
        round(len(response.content) / 1024, 1),
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_cases() -> list[tuple[str, User | None, str]]:
    """The pages a student, an employer and CAPD staff open in a day, on the busiest rows."""
    cycle = RecruitingCycle.objects.get(is_current=True)
    student = (
        User.objects.filter(role="student", applications__isnull=False)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    application = Application.objects.filter(student=student).order_by("pk").first()
    busiest = (
        Posting.objects.filter(status="published")
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    employer = User.objects.get(membership__organization=busiest.organization_id)
    offer = Offer.objects.filter(student=student).order_by("pk").first()
    staff = User.objects.get(email=STAFF_EMAIL)
    cases: list[tuple[str, User | None, str]] = [
        ("home, signed out", None, reverse("home")),
        ("home, student", student, reverse("home")),
        ("home, employer", employer, reverse("home")),
        ("postings list", student, reverse("postings:list")),
        ('search "micro-intern"', student, reverse("postings:list") + "?q=micro-intern"),
        (
            'search "robot" + alumni host + paid',
            student,
            reverse("postings:list") + "?q=robot&alumni=on&paid=on",
        ),
        ("posting detail", student, reverse("postings:detail", args=[busiest.pk])),
        ("my applications", student, reverse("applications:mine")),
        ("application, student", student, reverse("applications:detail", args=[application.pk])),
        ("saved postings", student, reverse("postings:saved")),
        ("notifications", student, reverse("notifications:inbox")),
        ("employer dashboard", employer, reverse("postings:dashboard")),
        (
            f"applicants ({busiest.n} on the busiest posting)",
            employer,
            reverse("applications:applicants", args=[busiest.pk]),
        ),
        ("admin index, CAPD staff", staff, reverse("admin:index")),
        (
            "cycle charts, CAPD staff",
            staff,
            reverse("admin:cycles_recruitingcycle_charts", args=[cycle.pk]),
        ),
    ]
    if offer is not None:
        cases.append(("offer, student", student, reverse("offers:detail", args=[offer.pk])))
    return cases


def measure_pages() -> list[Timing]:
    clients: dict[int | None, Client] = {}
    timings = []
    for label, user, url in page_cases():
        key = user.pk if user else None
        if key not in clients:
            clients[key] = _client(user)
        timings.append(time_get(clients[key], label, url))
    timings.append(time_charts_counted(_client(User.objects.get(email=STAFF_EMAIL))))
    return timings


def time_charts_counted(client: Client, runs: int = COUNTED_RUNS) -> Timing:
    """The charts page as the first of CAPD to open it in CHARTS_SECONDS sees it: the figures
    counted, not read from the cache (the row above, 20 GETs, is mostly cached)."""
    cycle = RecruitingCycle.objects.current()
    url = reverse("admin:cycles_recruitingcycle_charts", args=[cycle.pk])
    client.get(url)
    times = []
    for _ in range(runs):
        forget_cycle_charts(cycle)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return Timing(
        "cycle charts, counted (cache emptied first)",
        queries,
        round(1000 * statistics.median(times), 1),
        round(1000 * _percentile(times, 0.95), 1),
        response.status_code,
        round(len(response.content) / 1024, 1),
    )


def measure_changelists() -> list[Timing]:
    """Every registered model's list, as the first of CAPD staff, an ISO advisor and a
    superuser who may view it (groups, not a superuser, wherever a group may)."""
    viewers = [User.objects.get(email=e) for e in (STAFF_EMAIL, ISO_EMAIL, ROOT_EMAIL)]
    clients = {user.pk: _client(user) for user in viewers}
    timings = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        viewer = next(u for u in viewers if u.has_perm(f"{opts.app_label}.view_{opts.model_name}"))
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        timings.append(time_get(clients[viewer.pk], f"admin {opts.label}", url, ADMIN_RUNS))
    return timings


@dataclass
class SweepRun:
    label: str
    first_queries: int
    first_s: float
    first_result: object
    steady_queries: int
    steady_s: float


class QueryCounter:
    """Counts every query on the connection (CaptureQueriesContext keeps at most 9,000, and a
    sweep's first run makes more)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001 - Django's API
        self.count += 1
        return execute(sql, params, many, context)


def _run(work: Callable[[], object]) -> tuple[int, float, object]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - start
    return counter.count, round(elapsed, 2), result


def measure_sweeps() -> list[SweepRun]:
    """Each schedule of the beat, as the worker runs it (the task, eagerly, with the
    schedule's arguments): a first run over the seeded backlog, then a steady run."""
    import importlib
    import importlib.util

    from django.apps import apps

    from microintern.celery import app
    from microintern.portal.key_dates import key_date_sweep

    # The worker imports every app's tasks module at start (autodiscovery); so does this.
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks") is not None:
            importlib.import_module(f"{config.name}.tasks")
    # The reminders wait for 9:00 Eastern: a run earlier in the day would measure nothing.
    # Where the clock is before 10:00 there, the sweeps run as at 10:00 (the clock ticking).
    now = dt.datetime.now(EASTERN)
    moment = max(now, now.replace(hour=10, minute=0, second=0, microsecond=0))
    with time_machine.travel(moment, tick=True):
        runs = _measure_schedules(app)
    # The key-date announcement on the day postings open (Sep 16 in the source), after 9:00.
    cycle = RecruitingCycle.objects.get(is_current=True)
    day = dt.datetime.combine(cycle.postings_open, dt.time(10, 0), tzinfo=EASTERN)
    first = _run(lambda: key_date_sweep(now=day))
    steady = _run(lambda: key_date_sweep(now=day + dt.timedelta(minutes=15)))
    runs.append(SweepRun("cycles.key_date_sweep (postings open)", *first, steady[0], steady[1]))
    return runs


def _measure_schedules(app) -> list[SweepRun]:  # noqa: ANN001 - the Celery app
    from django_celery_beat.models import PeriodicTask

    runs = []
    for schedule in PeriodicTask.objects.filter(enabled=True).order_by("name"):
        if schedule.task == "cycles.key_date_sweep":
            continue  # below, on its day
        if schedule.task not in app.tasks:
            runs.append(SweepRun(f"{schedule.task} (not registered)", 0, 0.0, "-", 0, 0.0))
            continue
        task = app.tasks[schedule.task]
        kwargs = json.loads(schedule.kwargs or "{}")

        def work(task=task, kwargs=kwargs) -> object:
            return task.apply(kwargs=kwargs).get(propagate=True)

        first = _run(work)
        # A sweep that works in batches (the outbox: 500 emails a run) drains its backlog
        # over several runs; the steady run is the one after that, with nothing due.
        for _ in range(DRAIN_RUNS):
            if not _run(work)[2]:
                break
        steady = _run(work)
        runs.append(SweepRun(schedule.task, first[0], first[1], first[2], steady[0], steady[1]))
    return runs
