"""The search form's shared choices, cached: every list page a student opens renders the same
fields of study, and staff change them a few times a year.

The cache is emptied when a field of study is saved or deleted (at once and again after the
commit, so a request between the write and the commit cannot leave the old list behind); a
change made outside the ORM shows within CACHE_SECONDS.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction

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
