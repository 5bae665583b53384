"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from postings import services


@shared_task(name="postings.close_expired", acks_late=True, reject_on_worker_lost=True)
def close_expired() -> int:
    return services.postings_close_expired()
