"""PostgreSQL full-text search: the GIN index serves the keyword search, and ranking works."""

from __future__ import annotations

import pytest
from django.db import connection

from postings.models import Posting
from postings.search import apply_filters, keyword_search
from tests.postings import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (full-text search and GIN indexes)")


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of test rows makes a sequential scan cheapest, so the planner would never
        # pick the index here. Turning seqscan off (for this transaction only) asks whether
        # the index CAN serve the query, i.e. whether its expression matches the query's:
        # that is what this test checks. The benchmark in tests/perf measures real volumes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_it_uses_the_gin_index_for_keyword_search(cycle):
    factories.PublishedPostingFactory.create_batch(3)
    queryset, ranked = keyword_search(Posting.objects.all(), "robots")
    assert ranked
    plan = explain(queryset)
    assert "posting_search_gin" in plan, plan


def test_it_ranks_title_matches_first(cycle):
    factories.PublishedPostingFactory(title="Archive work", description="Some robots are involved.")
    factories.PublishedPostingFactory(
        title="Robots robots", description="Build robots: program robots for the robots lab."
    )
    queryset = apply_filters(Posting.objects.published(), {"q": "robots"})
    assert [p.title for p in queryset] == ["Robots robots", "Archive work"]


def test_it_matches_word_forms(cycle):
    factories.PublishedPostingFactory(title="Calibrating robotic arms")
    queryset = apply_filters(Posting.objects.published(), {"q": "calibrate"})
    assert queryset.count() == 1


def test_it_keeps_a_full_text_index_of_published_postings_alone():
    # Which index the planner picks depends on the volumes (tests/perf measures them): at
    # test size it prefers the status and deadline index. Here: the partial index exists, over
    # the search vector, for the rows the students' search reads.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'posting_search_published_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
    assert "WHERE ((status)::text = 'published'::text)" in definition
