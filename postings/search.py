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

from postings.models import LABEL_KEYWORDS, Posting
from postings.text_search import And, Node, Not, Or, Phrase, document_terms, parse_websearch

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


# Every posting's document ends with the label's words (Posting.build_search_document), so
# a query those words alone satisfy matches every posting: it names the label, not a topic.
_LABEL_TERMS = document_terms(LABEL_KEYWORDS)


def names_only_the_label(q: str) -> bool:
    """True when q ("micro-intern", "micro internship", "microinternship"...) matches every
    posting's document because the label's words alone satisfy it. Such a query filters
    nothing: searching it is the label filter (every posting), not a full-text match that
    scans and ranks every document. A query with a NOT is never one: the label's words are
    only part of a document, and a NOT could exclude it."""
    tree = parse_websearch(" ".join(q.split()))
    return tree is not None and _monotone(tree) and _satisfied(tree, _LABEL_TERMS)


def _monotone(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, (And, Or)):
        return _monotone(node.left) and _monotone(node.right)
    return False


def _satisfied(node: Node, terms: str) -> bool:
    """Whether a document's search_terms satisfy the query tree, as _condition tests it in SQL."""
    if isinstance(node, Phrase):
        pattern = " ".join(re.escape(w) if w else "[^ ]+" for w in node.words)
        return re.search(f" {pattern} ", terms) is not None
    if isinstance(node, Not):
        return not _satisfied(node.operand, terms)
    if isinstance(node, And):
        return _satisfied(node.left, terms) and _satisfied(node.right, terms)
    if isinstance(node, Or):
        return _satisfied(node.left, terms) or _satisfied(node.right, terms)
    raise TypeError(node)


def keyword_search(queryset: QuerySet[Posting], q: str) -> tuple[QuerySet[Posting], bool]:
    """Postings matching the words in q; True when the result carries a `rank`. A query that
    names only the label matches every posting: the queryset as given, unranked (the list
    then sorts by deadline)."""
    q = " ".join(q.split())
    if not q or names_only_the_label(q):
        return queryset, False
    return full_text_search(queryset, q)


def full_text_search(queryset: QuerySet[Posting], q: str) -> tuple[QuerySet[Posting], bool]:
    """The full-text match of q, with no shortcut for the label (what keyword search did for
    every query before the label filter; the parity tests compare the two)."""
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
