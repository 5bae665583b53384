"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from applications import services


@shared_task(name="applications.close_undecided", acks_late=True, reject_on_worker_lost=True)
def close_undecided() -> int:
    return services.applications_close_undecided()
