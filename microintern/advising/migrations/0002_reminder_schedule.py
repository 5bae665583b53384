"""Beat is only a clock: it runs the advising reminder sweep every five minutes; the sweep
decides what is due (24 hours and 1 hour before an appointment) and sends it once."""

from django.db import migrations

SCHEDULES = [
    ("Remind students and advisers of advising appointments", "advising.appointment_reminder_sweep", 5),
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
    dependencies = [
        ("advising", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
