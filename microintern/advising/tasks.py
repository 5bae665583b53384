"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from microintern.advising import reminders


@shared_task(name="advising.appointment_reminder_sweep", acks_late=True, reject_on_worker_lost=True)
def appointment_reminder_sweep() -> int:
    return reminders.appointment_reminder_sweep()
