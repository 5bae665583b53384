"""Words that only name the label ("micro-intern", what CAPD tells students to type) are the
label filter: every open posting, sorted by deadline, with no full-text match. The postings
found are the ones the full-text match found before, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from postings.models import Posting
from postings.search import apply_filters, full_text_search, names_only_the_label
from tests.postings import factories
from tests.postings.test_search_parity import CATALOG

pytestmark = pytest.mark.django_db

LABEL_QUERIES = [
    "micro-intern",
    "Micro-Intern",
    "micro-internship",
    "micro-internships",
    "micro internship",
    "micro intern",
    "microinternship",
    "microinternships",
    "micro",
    "internship",
    "internships",
    "intern",
    '"micro internship"',
    '"micro-intern"',
    "micro-intern or robots",
    "the micro-intern",
    "micro-internship micro-intern microinternship",
]
# Queries that narrow (or may narrow) the list: still a full-text match.
TOPIC_QUERIES = [
    "robot",
    "micro-intern robots",
    "robots micro internship",
    "micro -robots",
    "-robots",
    "micro-intern -battery",
    '"internship micro"',
    "microintern",
    "the of and",
    "",
]


@pytest.fixture
def catalog(cycle):
    now = timezone.now()
    for days, (title, description) in enumerate(reversed(CATALOG.items()), start=3):
        factories.PublishedPostingFactory(
            title=title, description=description, deadline=now + dt.timedelta(days=days)
        )
    # Not published, or closed to applications: found by neither search.
    factories.DraftPostingFactory(title="Draft robots")


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


@pytest.mark.parametrize("q", LABEL_QUERIES)
def test_it_reads_a_query_of_the_labels_words_as_the_label(q):
    assert names_only_the_label(q)


@pytest.mark.parametrize("q", TOPIC_QUERIES)
def test_it_reads_any_other_query_as_keywords(q):
    assert not names_only_the_label(q)


@pytest.mark.parametrize("q", LABEL_QUERIES + TOPIC_QUERIES)
def test_it_finds_what_the_full_text_match_found(catalog, q):
    published = Posting.objects.published()
    by_full_text, _ = full_text_search(published, " ".join(q.split()))
    assert titles(apply_filters(published, {"q": q})) == titles(by_full_text)


@pytest.mark.parametrize("q", ["micro-intern", "micro internship", "microinternship"])
def test_it_finds_what_the_full_text_match_found_with_filters(catalog, q):
    published = Posting.objects.published()
    Posting.objects.filter(title__in=["Battery analysis", "Port waiting times"]).update(
        is_paid=True, alumni_host=True
    )
    filters = {"paid": True, "alumni": True}
    by_full_text, _ = full_text_search(published.filter(is_paid=True, alumni_host=True), q)
    found = titles(apply_filters(published, {"q": q, **filters}))
    assert found == titles(by_full_text) == {"Battery analysis", "Port waiting times"}


def test_it_finds_every_open_posting_for_the_label_by_deadline(catalog):
    queryset = apply_filters(Posting.objects.published(), {"q": "micro-intern"})
    assert [p.title for p in queryset] == list(reversed(CATALOG))


def test_it_sorts_the_label_by_deadline_even_when_relevance_is_asked(catalog):
    queryset = apply_filters(
        Posting.objects.published(), {"q": "micro-intern", "sort": "relevance"}
    )
    assert [p.title for p in queryset] == list(reversed(CATALOG))


def test_it_does_not_match_text_for_the_label(catalog, client, student):
    client.force_login(student)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("postings:list"), {"q": "micro-intern"})
    assert response.context["page"].paginator.count == len(CATALOG)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "search_vector" not in sql and "ts_rank" not in sql and "@@" not in sql
    assert "search_terms" not in sql  # neither matched nor read: the list defers it


def test_it_still_matches_and_ranks_real_keywords(catalog, client, student):
    client.force_login(student)
    response = client.get(reverse("postings:list"), {"q": "robots"})
    assert {p.title for p in response.context["postings"]} == {
        "Robot fleet dashboard",
        "Battery analysis",
        "Robotic arm calibration",
    }
    if connection.vendor == "postgresql":
        assert all(hasattr(p, "rank") for p in response.context["postings"])
