"""Reading configuration from the environment, failing loudly and naming the variable.

Kept apart from settings.py so that the parsing rules can be tested without re-importing
settings, and so that a bad production value stops start-up with a message an operator
can act on instead of a traceback deep inside a database driver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

# Values that must never reach production: the development fallback and obvious placeholders.
INSECURE_SECRET_KEY_PREFIX = "django-insecure-"
MIN_SECRET_KEY_LENGTH = 50


def database_config(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL; only PostgreSQL and SQLite are supported."""
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres:// or sqlite:/// "
            f"(got a URL for {engine or 'an unknown engine'})."
        )
    if engine.endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database (postgres://user:pw@host/NAME).")
    return config


def secret_key(value: str | None, *, debug: bool) -> str:
    """The SECRET_KEY, required and strong when DEBUG is off."""
    if debug:
        return value or INSECURE_SECRET_KEY_PREFIX + "local-development-only-" + "x" * 20
    if not value:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if value.startswith(INSECURE_SECRET_KEY_PREFIX) or len(value) < MIN_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: use at least {MIN_SECRET_KEY_LENGTH} "
            "random characters (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    return value


def allowed_hosts(values: list[str], *, debug: bool) -> list[str]:
    if debug:
        return values or ["localhost", "127.0.0.1", "[::1]", "testserver"]
    if not values:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    return values


def redis_url(value: str | None, *, name: str = "REDIS_URL") -> str | None:
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"{name} must start with redis:// or rediss://.")
    return value


def filesystem_broker_options(base: Path) -> dict[str, str]:
    """kombu's filesystem transport: one folder for messages in and out, one each for the rest.

    The folders must exist before a worker starts (it dies with FileNotFoundError otherwise).
    """
    folders = {
        "data_folder_in": base / "out",
        "data_folder_out": base / "out",
        "processed_folder": base / "processed",
        "control_folder": base / "control",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {key: str(folder) for key, folder in folders.items()}


# One JSON object per log line (python-json-logger), shared by Django's LOGGING and
# gunicorn.conf.py so that web, worker and access lines look alike to the log shipper.
JSON_LOG_FORMATTER: dict[str, Any] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": True,  # ISO 8601 in UTC, with the zone
}
