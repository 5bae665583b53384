"""Beat checks for due digests every 15 minutes; the sweep itself sends each user's digest
once a day, from 8:00 Eastern."""

from django.db import migrations

TASK = "notifications.digest_sweep"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Send daily digests", defaults={"task": TASK, "interval": every}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_outbox_sweep_schedule")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
