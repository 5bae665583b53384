"""Beat is only a clock: it runs the reminder sweeps every few minutes; each sweep decides
what is due (9:00 Eastern, 3 days before a deadline...) and sends it once."""

from django.db import migrations

SCHEDULES = [
    ("Remind students of saved postings' deadlines", "postings.saved_posting_deadline_sweep", 5),
    ("Alert students to new postings for saved searches", "postings.saved_search_alert_sweep", 15),
    ("Announce the cycle's key dates", "cycles.key_date_sweep", 15),
]


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in SCHEDULES:
        every, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_digest_schedule")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
