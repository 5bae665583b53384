from celery import shared_task

from microintern.cycles.reminders import key_date_sweep


@shared_task(name="cycles.key_date_sweep", acks_late=True, reject_on_worker_lost=True)
def sweep_key_dates() -> None:
    key_date_sweep()
