"""Benchmark: keyword search plus two filters over 50,000 postings.

Run with `make bench` (or `pytest tests/perf -m perf -s`); prints the median time of the
list page's queries (the count and the first page) for "robot" + alumni host + paid.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from postings.models import LABEL_KEYWORDS, FieldOfStudy, Organization, Posting
from postings.search import apply_filters
from postings.text_search import document_terms
from tests.postings.factories import current_cycle

POSTINGS = 50_000
RUNS = 15
TOPICS = [
    "robot",
    "climate",
    "museum",
    "finance",
    "genome",
    "bridge",
    "podcast",
    "battery",
    "satellite",
    "housing",
    "vaccine",
    "language",
    "policy",
    "textile",
    "ocean",
]
FILLER = [
    "team",
    "weekly",
    "mentor",
    "report",
    "present",
    "learn",
    "data",
    "tools",
    "review",
    "clients",
    "field",
    "office",
    "results",
    "draft",
    "share",
    "plan",
]
VERBS = ["analyse", "build", "design", "survey", "prototype", "map", "model", "test"]


def seed(n: int) -> None:
    rng = random.Random(42)
    cycle = current_cycle()
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Bench organization {i}", verified=True) for i in range(200)
    )
    fields = list(FieldOfStudy.objects.all())
    now = timezone.now()
    rows = []
    for i in range(n):
        topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
        organization = organizations[i % len(organizations)]
        title = f"{verb.capitalize()} {topic} systems {i}"
        description = f"Help us {verb} {topic} data. " + " ".join(rng.choices(FILLER, k=40))
        posting_fields = rng.sample(fields, 2)
        alumni = rng.random() < 0.3
        document = "\n".join(
            [
                title,
                organization.name,
                " ".join(f.name for f in posting_fields),
                description,
                LABEL_KEYWORDS,
            ]
        )
        rows.append(
            (
                Posting(
                    organization=organization,
                    cycle=cycle,
                    status="published",
                    title=title,
                    description=description,
                    alumni_host=alumni,
                    alumni_host_name="Alum" if alumni else "",
                    alumni_class_year=2000 if alumni else None,
                    is_paid=rng.random() < 0.8,
                    pay_amount=20,
                    pay_unit="hour",
                    iap_start=cycle.iap_start,
                    iap_end=cycle.iap_end,
                    hours_per_week=10,
                    deadline=now + dt.timedelta(days=rng.randint(1, 35)),
                    published_at=now,
                    search_document=document,
                    search_terms=document_terms(document),
                ),
                posting_fields,
            )
        )
    created = Posting.objects.bulk_create([p for p, _ in rows], batch_size=2000)
    Through = Posting.fields_of_study.through
    Through.objects.bulk_create(
        [
            Through(posting_id=p.pk, fieldofstudy_id=f.pk)
            for p, (_, fs) in zip(created, rows, strict=True)
            for f in fs
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE postings_posting")


def search_queryset():
    return apply_filters(
        Posting.objects.published()
        .select_related("organization")
        .prefetch_related("fields_of_study"),
        {"q": "robot", "alumni": True, "paid": True},
    )


def list_page() -> int:
    """What the list view runs: the count and the first page, with fields of study."""
    page = Paginator(search_queryset(), 20).get_page(1)
    list(page.object_list)
    return page.paginator.count


@pytest.mark.perf
@pytest.mark.django_db
def test_search_bench():
    started = time.perf_counter()
    seed(POSTINGS)
    seeded = time.perf_counter() - started
    matches = list_page()  # warm-up
    timings = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        list_page()
        timings.append(time.perf_counter() - t0)
    median_ms = statistics.median(timings) * 1000
    print(
        f"\n[bench] {connection.vendor}: {POSTINGS} postings seeded in {seeded:.1f} s; "
        f'"robot" + alumni host + paid: {matches} matches, median {median_ms:.1f} ms '
        f"over {RUNS} runs (min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f})"
    )
    assert matches > 0
    if os.environ.get("BENCH_EXPLAIN") and connection.vendor == "postgresql":
        queryset = search_queryset()
        for label, query in (("count", queryset.order_by()), ("page", queryset[:20])):
            sql, params = query.query.sql_with_params()
            if label == "count":
                sql = f"SELECT count(*) FROM ({sql}) AS matches"
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print(f"[bench] plan of the {label} query:")
                print("\n".join(row[0] for row in cursor.fetchall()))
