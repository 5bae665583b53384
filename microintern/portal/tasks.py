from celery import shared_task

from microintern.portal.key_dates import key_date_sweep


# The name predates the move to the roof; beat's schedule rows store it, so it stays.
@shared_task(name="cycles.key_date_sweep", acks_late=True, reject_on_worker_lost=True)
def sweep_key_dates() -> None:
    key_date_sweep()
