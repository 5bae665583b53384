"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from offers import reminders, services


@shared_task(name="offers.expire_due", acks_late=True, reject_on_worker_lost=True)
def expire_due() -> int:
    return services.offers_expire_due()


@shared_task(name="offers.decision_reminder_sweep", acks_late=True, reject_on_worker_lost=True)
def decision_reminder_sweep() -> int:
    return reminders.decision_reminder_sweep()


@shared_task(name="offers.arrangement_reminder_sweep", acks_late=True, reject_on_worker_lost=True)
def arrangement_reminder_sweep() -> int:
    return reminders.arrangement_reminder_sweep()


@shared_task(name="offers.start_reminder_sweep", acks_late=True, reject_on_worker_lost=True)
def start_reminder_sweep() -> int:
    return reminders.start_reminder_sweep()
