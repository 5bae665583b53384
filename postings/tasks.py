"""Thin Celery entry points. Every task can run twice without harm."""

from celery import shared_task

from postings import reminders, services


@shared_task(name="postings.close_expired", acks_late=True, reject_on_worker_lost=True)
def close_expired() -> int:
    return services.postings_close_expired()


@shared_task(
    name=services.SEND_INVITATION_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=5,
)
def send_invitation(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(
    name="postings.saved_posting_deadline_sweep", acks_late=True, reject_on_worker_lost=True
)
def saved_posting_deadline_sweep() -> int:
    return reminders.saved_posting_deadline_sweep()


@shared_task(name="postings.saved_search_alert_sweep", acks_late=True, reject_on_worker_lost=True)
def saved_search_alert_sweep() -> int:
    return reminders.saved_search_alert_sweep()


@shared_task(name="postings.field_alert_sweep", acks_late=True, reject_on_worker_lost=True)
def field_alert_sweep() -> int:
    return reminders.field_alert_sweep()
