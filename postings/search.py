"""Keyword search and filters for the students' list of postings.

On PostgreSQL: full-text search with ranking over the stored `search_vector` column (generated
from `search_document`, GIN-indexed as `posting_search_gin`: migration 0003), the query read by
websearch_to_tsquery. On SQLite: the same query, read by postings.text_search the way
PostgreSQL reads it, over `search_terms` (the document's lexemes, kept beside it): the same
postings match, unranked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet, Value
from django.utils import timezone

from postings.models import Posting
from postings.text_search import And, Node, Not, Or, Phrase, parse_websearch

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
    return queryset.filter(terms_match(q)), False


def terms_match(q: str) -> Q:
    """The condition on `search_terms` under which a posting matches q, as PostgreSQL would
    match its document. A q of stop words alone matches nothing there; here it is a condition
    that is false, not an empty queryset, so that the page runs the same queries."""
    tree = parse_websearch(q)
    if tree is None:
        return Q(Value(False, output_field=BooleanField()))
    return _condition(tree)


def _condition(node: Node) -> Q:
    if isinstance(node, Phrase):
        if None in node.words:
            # Stop words inside a phrase: any one lexeme in each of their positions.
            pattern = " ".join(re.escape(w) if w else "[^ ]+" for w in node.words)
            return Q(search_terms__regex=f" {pattern} ")
        return Q(search_terms__contains=f" {' '.join(node.words)} ")
    if isinstance(node, Not):
        return ~_condition(node.operand)
    if isinstance(node, And):
        return _condition(node.left) & _condition(node.right)
    if isinstance(node, Or):
        return _condition(node.left) | _condition(node.right)
    raise TypeError(node)


# The filters of PostingSearchForm (the keyword search and the sort are not filters).
FILTERS = ("alumni", "paid", "location", "scope", "field", "within")


def active_filter_count(data: dict[str, Any]) -> int:
    """How many filters narrow the list (several locations ticked count as one filter)."""
    return sum(1 for name in FILTERS if data.get(name))


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
