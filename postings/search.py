"""Keyword search and filters for the students' list of postings.

On PostgreSQL: full-text search with ranking over the stored `search_vector` column (generated
from `search_document`, GIN-indexed as `posting_search_gin`: migration 0003). On SQLite: every
word must appear in `search_document` (icontains), no ranking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, F, QuerySet
from django.utils import timezone

from postings.models import Posting

SEARCH_CONFIG = "english"


class StoredSearchVector(Expression):
    """The PostgreSQL-only `search_vector` column of the query's postings table (the model
    does not declare it: SQLite has no tsvector), qualified with the table's alias so that
    it stays right inside subqueries."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):  # noqa: ANN001 - Django's expression API
        alias = compiler.query.get_initial_alias()
        column = connection.ops.quote_name("search_vector")
        return f"{compiler.quote_name_unless_alias(alias)}.{column}", []


def keyword_search(queryset: QuerySet[Posting], q: str) -> tuple[QuerySet[Posting], bool]:
    """Postings matching the words in q; True when the result carries a `rank`."""
    q = " ".join(q.split())
    if not q:
        return queryset, False
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        vector = StoredSearchVector()
        matching = queryset.alias(document=vector).filter(document=query)
        return matching.annotate(rank=SearchRank(vector, query)), True
    for word in q.split():
        queryset = queryset.filter(search_document__icontains=word)
    return queryset, False


def apply_filters(queryset: QuerySet[Posting], data: dict[str, Any]) -> QuerySet[Posting]:
    """Filters from PostingSearchForm.cleaned_data, then the sort."""
    queryset, ranked = keyword_search(queryset, data.get("q") or "")
    if data.get("alumni"):
        queryset = queryset.filter(alumni_host=True)
    if data.get("paid"):
        queryset = queryset.filter(is_paid=True)
    if data.get("location"):
        queryset = queryset.filter(location_type__in=data["location"])
    if data.get("scope") == "global":
        queryset = queryset.filter(is_global=True)
    elif data.get("scope") == "domestic":
        queryset = queryset.filter(is_global=False)
    if data.get("field"):
        queryset = queryset.filter(fields_of_study=data["field"])
    if data.get("within"):
        queryset = queryset.filter(
            deadline__lte=timezone.now() + dt.timedelta(days=int(data["within"]))
        )
    sort = data.get("sort") or ("relevance" if ranked else "deadline")
    if sort == "newest":
        return queryset.order_by("-published_at", "-pk")
    if sort == "relevance" and ranked:
        return queryset.order_by(F("rank").desc(), "deadline", "pk")
    return queryset.order_by("deadline", "pk")
