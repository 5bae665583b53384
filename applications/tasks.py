"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from applications import reminders, services


@shared_task(name="applications.close_undecided", acks_late=True, reject_on_worker_lost=True)
def close_undecided() -> int:
    return services.applications_close_undecided()


@shared_task(
    name="applications.interview_reminder_sweep", acks_late=True, reject_on_worker_lost=True
)
def interview_reminder_sweep() -> int:
    return reminders.interview_reminder_sweep()


@shared_task(
    name="applications.undecided_applications_sweep", acks_late=True, reject_on_worker_lost=True
)
def undecided_applications_sweep() -> int:
    return reminders.undecided_applications_sweep()
