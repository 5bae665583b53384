"""Beat runs the offers' sweeps: expiry every minute, the reminders every five minutes (each
decides itself whether 9:00 Eastern has passed and what is due)."""

from django.db import migrations

SCHEDULES = [
    ("Expire offers past their decision deadline", "offers.expire_due", 1),
    ("Offer decision reminders", "offers.decision_reminder_sweep", 5),
    ("Arrangement reminders", "offers.arrangement_reminder_sweep", 5),
    ("Start reminders", "offers.start_reminder_sweep", 5),
]


def add_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedules, remove_schedules)]
