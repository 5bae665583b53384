"""Several counts in one round trip to the database.

A page of counts (the admin index's "waiting for you" lists) asked each table separately:
seven COUNT queries for CAPD staff alone. `count_each` sends them as one SELECT of scalar
subqueries, each the queryset's own SQL as Django compiles it, so the filters stay in the
ORM and only the wrapping is written here.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_each(**querysets: QuerySet) -> dict[str, int]:
    """{name: queryset.count()} for every queryset, in one query (all on one database)."""
    databases = {queryset.db for queryset in querysets.values()}
    if len(databases) > 1:
        raise ValueError(f"count_each counts on one database, not {sorted(databases)}")
    counts: dict[str, int] = {}
    selects: list[str] = []
    params: list[object] = []
    for name, queryset in querysets.items():
        query = queryset.order_by().values("pk").query
        try:
            sql, query_params = query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # e.g. filter(pk__in=[]): nothing to ask the database
            counts[name] = 0
            continue
        # Django's own compiled SQL, its values still separate parameters: nothing from a
        # user is formatted into the string.
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(selects)})")  # noqa: S608
        params.extend(query_params)
    if selects:
        connection = connections[databases.pop()]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            row = cursor.fetchone()
        found = iter(row)
        counts = {name: counts[name] if name in counts else next(found) for name in querysets}
    return counts
