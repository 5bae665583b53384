"""What every student's list page shares, cached: the search form's fields of study (staff
change them a few times a year) and how many postings each common search finds.

The cache is emptied when a field of study is saved or deleted (at once and again after the
commit, so a request between the write and the commit cannot leave the old list behind); a
change made outside the ORM shows within CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from postings.models import FieldOfStudy

CACHE_KEY = "postings:fields-of-study:v1"
CACHE_SECONDS = 24 * 60 * 60


def fields_of_study() -> list[FieldOfStudy]:
    """Every field of study, by name."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = list(FieldOfStudy.objects.order_by("name"))
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def forget_fields_of_study(**_signal: Any) -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


# --- how many postings a search finds ------------------------------------------------------
# Most students run the same few searches (the list itself, "micro-intern", paid, remote):
# the count of each is shared for COUNT_SECONDS. Any change to a posting (saved, deleted, its
# fields of study) starts a new version of every count; a deadline passing shows within the
# minute, since the minute is part of the key.
COUNT_SECONDS = 60
COUNT_VERSION_KEY = "postings:result-count-version"


def result_count(queryset: QuerySet, filters: dict[str, Any]) -> int:
    """queryset.count(), shared by every search with the same filters in the same minute."""
    version = cache.get(COUNT_VERSION_KEY, 0)
    key = f"postings:result-count:{version}:{_filters_key(filters)}"
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        cache.set(key, found, COUNT_SECONDS)
    return found


def _filters_key(filters: dict[str, Any]) -> str:
    shown = {
        name: value.slug if isinstance(value, FieldOfStudy) else value
        for name, value in sorted(filters.items())
        if value not in (None, "", [], False) and name != "sort"
    }
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return hashlib.sha256(f"{minute}:{shown!r}".encode()).hexdigest()


def forget_result_counts(**_signal: Any) -> None:
    def bump() -> None:
        try:
            cache.incr(COUNT_VERSION_KEY)
        except ValueError:  # no version yet (or the cache is away): start one
            cache.set(COUNT_VERSION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)
