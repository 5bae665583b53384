"""Admin list filters for lists that hang off postings (applications, interviews, slots).

At a university's scale (100,000 postings) a RelatedOnlyFieldListFilter on the posting renders
every posting in the sidebar, and each posting's name loads its organization: one admin page
made 81,000 queries and timed out. The filter here lists only the posting asked for (links
pass `?posting=<pk>`); a reviewer finds a posting by the list's search box instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from postings.models import Posting


class OnePostingFilter(admin.SimpleListFilter):
    title = "posting"
    parameter_name = "posting"
    field_path = "posting"  # subclasses name the path from their model

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value() or ""
        posting = (
            Posting.objects.filter(pk=value).only("title").first() if value.isdigit() else None
        )
        return [(str(posting.pk), posting.title)] if posting else []

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():  # a hand-edited address: nothing matches, nothing breaks
            return queryset.none()
        return queryset.filter(**{self.field_path: int(value)})


class ApplicationPostingFilter(OnePostingFilter):
    field_path = "application__posting"
