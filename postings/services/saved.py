"""What students keep: bookmarks and saved searches."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict

from microintern.accounts.models import User
from postings.models import (
    AlertFrequency,
    Posting,
    SavedPosting,
    SavedSearch,
)


# --- students ---------------------------------------------------------------------------------
@transaction.atomic
def saved_posting_toggle(*, user: User, posting: Posting) -> bool:
    """Bookmark the posting, or remove the bookmark. True when it is saved afterwards."""
    if not user.is_student:
        raise PermissionDenied("Students save postings.")
    deleted, _ = SavedPosting.objects.filter(user=user, posting=posting).delete()
    if deleted:
        return False
    SavedPosting.objects.get_or_create(user=user, posting=posting)
    return True


SEARCH_KEYS = ["q", "alumni", "paid", "location", "scope", "field", "within", "sort"]


def normalize_query_string(query_string: str) -> str:
    """The filters only (no page), in a fixed order, so that one search is saved once."""
    params = QueryDict(query_string.lstrip("?"))
    pairs = [
        (key, value.strip())
        for key in SEARCH_KEYS
        for value in params.getlist(key)
        if value.strip()
    ]
    return urlencode(pairs)


@transaction.atomic
def saved_search_create(
    *, user: User, query_string: str, name: str = "", frequency: str = AlertFrequency.WEEKLY
) -> SavedSearch:
    if not user.is_student:
        raise PermissionDenied("Students save searches.")
    if frequency not in AlertFrequency.values:
        raise ValidationError(
            {"frequency": "Choose how often to be alerted: none, daily or weekly."}
        )
    normalized = normalize_query_string(query_string)
    q = QueryDict(normalized).get("q", "")
    name = (name.strip() or (f"“{q}”" if q else "All micro-internships"))[:150]
    saved, created = SavedSearch.objects.get_or_create(
        user=user, query_string=normalized, defaults={"name": name, "frequency": frequency}
    )
    if not created and saved.frequency != frequency:
        saved.frequency = frequency
        saved.save(update_fields=["frequency"])
    return saved


@transaction.atomic
def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != user.pk:
        raise PermissionDenied("Not your saved search.")
    saved_search.delete()
