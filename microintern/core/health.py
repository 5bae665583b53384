"""Is the portal able to serve? The database and the broker must both answer."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the text is for operators
        return False, type(exc).__name__
    return True, "ok"


def broker_ok(url: str | None = None, timeout: float = 2.0) -> tuple[bool, str]:
    url = url or settings.CELERY_BROKER_URL
    try:
        with Connection(
            url,
            connect_timeout=timeout,
            transport_options=dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS),
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
            if conn.transport_cls == "filesystem" or url.startswith("filesystem"):
                # The filesystem transport "connects" to anything: check its folder is usable.
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"]
                from pathlib import Path

                if not Path(folder).is_dir():
                    return False, "broker folder missing"
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"
