"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from authorization import reminders, services


@shared_task(name="authorization.refresh_forecasts", acks_late=True, reject_on_worker_lost=True)
def refresh_forecasts() -> None:
    # Time passes and estimates change: a case on track last week may be at risk today. The
    # at-risk notification is deduplicated per case, start date and status, so a second run
    # notifies nobody twice.
    services.authorization_cases_refresh_forecasts()


@shared_task(name="authorization.item_due_sweep", acks_late=True, reject_on_worker_lost=True)
def item_due_sweep() -> int:
    return reminders.authorization_item_due_sweep()
