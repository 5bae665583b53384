"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from microintern.notifications import services
from microintern.notifications.digest import digest_sweep


@shared_task(name=services.DELIVER_TASK, acks_late=True, reject_on_worker_lost=True)
def deliver_notification(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.outbox_sweep", acks_late=True, reject_on_worker_lost=True)
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(name="notifications.digest_sweep", acks_late=True, reject_on_worker_lost=True)
def sweep_digests() -> int:
    return digest_sweep()
