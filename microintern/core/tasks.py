from __future__ import annotations

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from microintern.core.models import WorkerHeartbeat


@shared_task(name="core.heartbeat")
def heartbeat() -> None:
    """Record that this worker is alive. Safe to run any number of times."""
    hostname = heartbeat.request.hostname or "unknown"
    updated = WorkerHeartbeat.objects.filter(hostname=hostname).update(
        beats=F("beats") + 1, last_seen=timezone.now()
    )
    if not updated:
        WorkerHeartbeat.objects.get_or_create(
            hostname=hostname, defaults={"beats": 1, "last_seen": timezone.now()}
        )
