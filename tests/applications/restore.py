"""Putting back what the data migrations wrote, after a transactional test.

A transactional test (`django_db(transaction=True)`: the browser test, the booking race)
flushes every table when it ends, and with it the rows data migrations inserted (fields of
study, holidays, beat schedules); tests that run after it in the same session would miss
them. This module-scoped fixture takes a snapshot of the database before the module's tests
and, torn down after their flush, empties the tables and loads it back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    from django.db import connection

    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield
    from django.core.management import call_command

    with django_db_blocker.unblock():
        # The test's flush re-ran post_migrate (groups, permissions) with new keys: empty the
        # tables again without it, then load the snapshot with its original keys.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(snapshot)
