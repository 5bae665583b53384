"""Immigration data stays with the ISO advisors on every admin page, not only on the
authorization app's own.

The authorization admins refuse everybody but ISO advisors and superusers, yet any other
list can still be made to answer questions about immigration data: Django's admin accepts
any one-step lookup in the query string, so
`/admin/accounts/user/?authorization_cases__isnull=False` listed exactly the international
students to CAPD staff, and a delete confirmation page
names every related row it would take along ("immigration profile", "authorization case").
`ImmigrationPrivacyMixin` goes first in the bases of every ModelAdmin of the project; it
refuses such lookups (Django answers 400), drops search fields, filters and orderings that
reach into the authorization app, and keeps the deletes that would cascade into it for
superusers. tests/core/test_admin_privacy.py walks every registered model to prove it.

`guard_admin_site` adds the one check that belongs to the whole site: a NUL byte anywhere in
an admin address answers 400 before any query runs (PostgreSQL refuses NUL in a string
literal, and the admin would answer 500).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.admin import AdminSite
from django.core.exceptions import BadRequest, FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse

from microintern.accounts.groups import IMMIGRATION_APPS


def sees_immigration_data(user: Any) -> bool:
    """ISO advisors and superusers, for any student. authorization.access asks this too, so
    the rule has one owner (core cannot import the authorization app: it comes later)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_iso_advisor)


def is_immigration_model(model: type[models.Model]) -> bool:
    return model._meta.app_label in IMMIGRATION_APPS


def path_touches_immigration_data(model: type[models.Model], path: str) -> bool:
    """Whether a field path as the admin takes it (a query-string lookup such as
    `student__immigration_profile__isnull`, a search field such as `^user__email`, an
    ordering such as `-case__due_date`) starts in, or walks into, an authorization model."""
    if is_immigration_model(model):
        return True
    current = model
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or transform (isnull, exact, year): the walk ends here
        related = field.related_model if field.is_relation else None
        if related is None or related == "self":
            return False
        if is_immigration_model(related):
            return True
        current = related
    return False


# What a delete of a row does to the rows that point at it, as Django's collector (and so the
# delete confirmation page) sees it: CASCADE rows are listed and followed further; PROTECT
# and RESTRICT rows are listed as what blocks the delete, and not followed.
_FOLLOWED = (models.CASCADE,)
_LISTED = (models.PROTECT, models.RESTRICT)


@functools.cache
def deletion_reaches_immigration_data(model: type[models.Model]) -> bool:
    """Whether the delete page of a row of `model` could list an authorization row. Decided
    from the schema, never from the rows: refusing only the students who have immigration
    data would tell CAPD staff who they are."""
    todo, seen = [model._meta.concrete_model], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if is_immigration_model(current):
            return True
        for relation in current._meta.related_objects:
            if relation.many_to_many:
                through = relation.through
                if through._meta.auto_created and is_immigration_model(through):
                    return True
                continue
            on_delete = getattr(relation, "on_delete", None)
            if on_delete in _FOLLOWED:
                todo.append(relation.related_model)
            elif on_delete in _LISTED and is_immigration_model(relation.related_model):
                return True
    return False


def _filter_path(item: Any) -> str | None:
    """The field path of a list_filter entry; None for a SimpleListFilter class."""
    if isinstance(item, str):
        return item
    if isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
        return item[0]
    return None


class ImmigrationPrivacyMixin:
    """First in the bases of every ModelAdmin: staff who may not see immigration data cannot
    select, search, sort, count or delete rows by it, whatever the admin's options say."""

    model: type[models.Model]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # request is None only in Django's deprecated two-argument call: refuse, fail closed.
        user = getattr(request, "user", None)
        if path_touches_immigration_data(self.model, lookup) and not sees_immigration_data(user):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_search_fields(self, request: HttpRequest) -> Sequence[str]:
        fields = super().get_search_fields(request)  # type: ignore[misc]
        if sees_immigration_data(request.user):
            return fields
        return [f for f in fields if not path_touches_immigration_data(self.model, f)]

    def get_list_filter(self, request: HttpRequest) -> Sequence[Any]:
        items = super().get_list_filter(request)  # type: ignore[misc]
        if sees_immigration_data(request.user):
            return items
        return [
            item
            for item in items
            if (path := _filter_path(item)) is None
            or not path_touches_immigration_data(self.model, path)
        ]

    def get_ordering(self, request: HttpRequest) -> Sequence[Any]:
        ordering = super().get_ordering(request)  # type: ignore[misc]
        if sees_immigration_data(request.user):
            return ordering
        return [
            o
            for o in ordering
            if not (isinstance(o, str) and path_touches_immigration_data(self.model, o))
        ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if deletion_reaches_immigration_data(self.model) and not sees_immigration_data(
            request.user
        ):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


def _has_nul_byte(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def guard_admin_site(site: AdminSite) -> None:
    """Every view of `site` (the index, each model's list, forms, history, autocomplete)
    answers 400 to a NUL byte in the address or the query string, before it runs a query.

    Set on the instance, as microintern/urls.py already does for the login view: the site
    object is Django's default one, which every app registers its models with.
    """
    admin_view = site.admin_view

    def guarded_admin_view(view: Callable[..., HttpResponse], cacheable: bool = False) -> Any:
        checked = admin_view(view, cacheable)

        @functools.wraps(view)
        def refuse_nul_bytes(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if _has_nul_byte(request):
                raise BadRequest("A NUL byte is not allowed in an admin address.")
            return checked(request, *args, **kwargs)

        # admin_view() marks its result for the CSRF and admin-site machinery; keep the marks.
        refuse_nul_bytes.__dict__.update(checked.__dict__)
        return refuse_nul_bytes

    site.admin_view = guarded_admin_view  # type: ignore[method-assign]
