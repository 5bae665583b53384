"""Is the portal able to serve, and is its background work running?

Four components, each reported with `ok` and a detail (and an age where time matters):
- database and broker: without either the portal cannot serve (503), so a load balancer
  takes the machine out of rotation;
- worker (the age of the newest heartbeat, a task beat sends every minute) and beat (the
  newest `last_run_at` of the schedules, which django-celery-beat saves every few minutes):
  when either is late the portal still serves pages but emails and sweeps wait, so the
  answer is 200 with "status": "degraded", for a monitor to page someone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu import Connection

from microintern.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Component:
    ok: bool
    detail: str
    age_seconds: int | None = None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        if self.age_seconds is None:
            del data["age_seconds"]
        return data


def database() -> Component:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the text is for operators
        return Component(False, type(exc).__name__)
    return Component(True, "ok")


def broker(url: str | None = None, timeout: float = 1.0) -> Component:
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
                if not Path(folder).is_dir():
                    return Component(False, "broker folder missing")
    except Exception as exc:
        return Component(False, type(exc).__name__)
    return Component(True, "ok")


def _freshness(last: dt.datetime | None, max_age: int, never: str) -> Component:
    if last is None:
        return Component(False, never)
    age = max(int((timezone.now() - last).total_seconds()), 0)
    if age > max_age:
        return Component(False, f"late: nothing for {age} s (limit {max_age} s)", age)
    return Component(True, "ok", age)


def worker() -> Component:
    try:
        last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    except Exception as exc:  # the database is down: reported there
        return Component(False, type(exc).__name__)
    return _freshness(last, settings.HEALTH_WORKER_MAX_AGE_SECONDS, "no heartbeat yet")


def beat() -> Component:
    try:
        last = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
    except Exception as exc:
        return Component(False, type(exc).__name__)
    return _freshness(last, settings.HEALTH_BEAT_MAX_AGE_SECONDS, "no schedule has run yet")


def report() -> tuple[int, dict[str, object]]:
    """The HTTP status and the JSON body of /healthz."""
    components = {
        "database": database(),
        "broker": broker(),
        "worker": worker(),
        "beat": beat(),
    }
    if not (components["database"].ok and components["broker"].ok):
        status, code = "unavailable", 503
    elif not (components["worker"].ok and components["beat"].ok):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body: dict[str, object] = {"status": status}
    body |= {name: component.as_json() for name, component in components.items()}
    return code, body
