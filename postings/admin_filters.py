"""Admin list filters for lists that hang off postings (applications, interviews, slots).

At a university's scale (100,000 postings) a RelatedOnlyFieldListFilter on the posting renders
every posting in the sidebar, and each posting's name loads its organization: one admin page
made 81,000 queries and timed out. The filter here lists only the posting asked for (links
pass `?posting=<pk>`); a reviewer finds a posting by the list's search box instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from postings.models import Organization, Posting


class OneRowFilter(admin.SimpleListFilter):
    """A filter on one related row, named by the link that opened the list (`?<name>=<pk>`):
    the sidebar shows that row only, never every row of the table."""

    model: type[Model]
    label_field: str
    field_path: str  # the path from the list's model

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value() or ""
        row = (
            self.model.objects.filter(pk=value).values_list("pk", self.label_field).first()
            if value.isdigit()
            else None
        )
        return [(str(row[0]), row[1])] if row else []

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():  # a hand-edited address: nothing matches, nothing breaks
            return queryset.none()
        return queryset.filter(**{self.field_path: int(value)})


class OnePostingFilter(OneRowFilter):
    title = "posting"
    parameter_name = "posting"
    model = Posting
    label_field = "title"
    field_path = "posting"  # subclasses name the path from their model


class OneOrganizationFilter(OneRowFilter):
    """301 organizations made a sidebar of 301 links, found by scanning every application
    (180 ms at university scale); the list's search box finds an organization by name."""

    title = "organization"
    parameter_name = "organization"
    model = Organization
    label_field = "name"
    field_path = "posting__organization"


class ApplicationOrganizationFilter(OneOrganizationFilter):
    field_path = "application__posting__organization"


class ApplicationPostingFilter(OnePostingFilter):
    field_path = "application__posting"
