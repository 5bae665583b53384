"""Shared fixtures: fast, isolated settings for every test, and the one cast of users
(tests/cast.py, imported here so that every folder gets the same people).

The browser set-up lives in tests/e2e/conftest.py.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from pytest_django.fixtures import Settings

from tests.cast import (  # noqa: F401 (the cast's fixtures, for every folder)
    colleague,
    cycle,
    employer,
    iap_2027,
    intl_student,
    iso_advisor,
    misti_manager,
    org_a,
    org_b,
    other_employer,
    other_student,
    posting,
    staff,
    student,
    superuser,
)


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns on every request that STATIC_ROOT (var/static) does not exist until
    # collectstatic has run; the tests serve static files through the finders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # pytest-base-url (pulled in by pytest-playwright) defines its session fixture in a way
    # pytest 9 deprecates; nothing here can change that.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
    )


def clear_django_cache() -> None:
    """Forget every cached value, allauth's rate-limit counters included.

    With REDIS_URL set the cache shares its Redis database with the Celery broker, so a
    FLUSHDB (what cache.clear() does) would also drop queued messages and kombu's bindings,
    for instance those of a worker another test session runs at the same time. Delete only
    the keys Django's cache wrote (they all carry its key prefix and version).
    """
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=cache.make_key("*")))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Settings) -> None:
    # Hashing is the slowest thing in a login; these tests do not test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # allauth's rate limits stay at their production values (tests/accounts/test_rate_limits.py
    # relies on them); emptying the cache gives each test fresh counters, so no other test
    # runs into a limit that an earlier one used up.
    clear_django_cache()


# Rows that data migrations write and that tests rely on: model -> the migrations' forward
# functions that write them. Every schedule migration writes PeriodicTask rows.
MIGRATION_DATA: dict[str, list[tuple[str, str]]] = {
    "cycles.Holiday": [("microintern.cycles.migrations.0002_default_holidays", "add_holidays")],
    "postings.FieldOfStudy": [("postings.migrations.0004_default_fields_of_study", "add_fields")],
    "authorization.RouteEstimateSetting": [
        ("authorization.migrations.0002_route_estimates", "seed_estimates")
    ],
    "django_celery_beat.PeriodicTask": [
        ("microintern.core.migrations.0002_heartbeat_schedule", "add_schedule"),
        ("microintern.notifications.migrations.0002_outbox_sweep_schedule", "add_schedule"),
        ("microintern.notifications.migrations.0003_digest_schedule", "add_schedule"),
        ("microintern.notifications.migrations.0004_reminder_schedules", "add_schedule"),
        ("postings.migrations.0005_close_expired_schedule", "add_schedule"),
        ("authorization.migrations.0003_refresh_forecasts_schedule", "add_schedule"),
        ("authorization.migrations.0005_item_due_schedule", "add_schedule"),
        ("applications.migrations.0002_close_undecided_schedule", "add_schedule"),
        ("applications.migrations.0003_reminder_schedules", "add_schedule"),
        ("offers.migrations.0002_sweep_schedules", "add_schedules"),
        ("postings.migrations.0009_field_alert_schedule", "add_schedule"),
        ("microintern.advising.migrations.0002_reminder_schedule", "add_schedule"),
    ],
}


def restore_migration_data() -> None:
    """Re-run the data migrations whose tables are empty.

    Tests marked django_db(transaction=True) flush every table when they end, rows written by
    data migrations included, so a later test would otherwise count business days without
    Thanksgiving or find no fields of study. The forward functions only use
    apps.get_model(), so the live app registry stands in for the historical one.
    """
    for label, functions in MIGRATION_DATA.items():
        if not django_apps.get_model(label).objects.exists():
            for module, function in functions:
                getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture(autouse=True)
def _migration_data(request: pytest.FixtureRequest) -> None:
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return  # a test without the database
    transactional = bool({"transactional_db", "live_server"} & names) or bool(
        marker is not None and marker.kwargs.get("transaction", False)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    restore_migration_data()
