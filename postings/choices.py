"""What every student's list page shares, cached: the search form's fields of study (staff
change them a few times a year), how many postings each common search finds, and each
posting's card as the list shows it.

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
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from postings.models import FieldOfStudy, Posting

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


# --- the list's version -------------------------------------------------------------------
# Any change to what the list shows (a posting saved or deleted, its fields of study, its
# organization, a field of study's name) starts a new version of every cached count and card.
LIST_VERSION_KEY = "postings:list-version"


def list_version() -> int:
    return cache.get(LIST_VERSION_KEY, 0)


def forget_list(**_signal: Any) -> None:
    """A new version now, and again after the commit (a request between the write and the
    commit would otherwise cache what the old rows said under the new version)."""

    def bump() -> None:
        try:
            cache.incr(LIST_VERSION_KEY)
        except ValueError:  # no version yet (or the cache is away): start one
            cache.set(LIST_VERSION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)


# --- how many postings a search finds ------------------------------------------------------
# Most students run the same few searches (the list itself, "micro-intern", paid, remote):
# the count of each is shared for COUNT_SECONDS, within one version of the list; a deadline
# passing shows within the minute, since the minute is part of the key.
COUNT_SECONDS = 60


def result_count(queryset: QuerySet, filters: dict[str, Any]) -> int:
    """queryset.count(), shared by every search with the same filters in the same minute."""
    key = f"postings:result-count:{list_version()}:{_filters_key(filters)}"
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


# --- each posting's card -------------------------------------------------------------------
# The card (organization, place, labels, pay, fields, deadline) is the same for everyone who
# sees it, and rendering twenty of them was most of the list's rendering (about 10 ms of
# 13). Cached per posting within one version of the list and one day (the "days left"); what
# is the reader's own (the title's "Applied" and "Saved" badges) stays outside. A change
# made outside the ORM shows within CARD_SECONDS.
CARD_SECONDS = 15 * 60
CARD_TEMPLATE = "postings/_card_body.html"


def with_cards(postings: list[Posting]) -> list[Posting]:
    """The postings, each with `card_body`: its card's HTML, from the cache where it is."""
    if not postings:
        return postings
    prefix = f"postings:card:{list_version()}:{timezone.localdate().isoformat()}"
    keys = {posting.pk: f"{prefix}:{posting.pk}" for posting in postings}
    found = cache.get_many(list(keys.values()))
    rendered = {}
    for posting in postings:
        key = keys[posting.pk]
        if key not in found:
            found[key] = rendered[key] = render_to_string(CARD_TEMPLATE, {"posting": posting})
        # Rendered by the template engine (escaped there), here or when it was cached.
        posting.card_body = mark_safe(found[key])  # noqa: S308
    if rendered:
        cache.set_many(rendered, CARD_SECONDS)
    return postings
