"""Beat is only a clock: it runs the interview and undecided-applications sweeps every few
minutes; each sweep decides what is due (24 hours or 1 hour before an interview, 9:00
Eastern a week after a deadline) and sends it once."""

from django.db import migrations

SCHEDULES = [
    ("Remind both sides of upcoming interviews", "applications.interview_reminder_sweep", 5),
    (
        "Tell employers about applicants still waiting a week after the deadline",
        "applications.undecided_applications_sweep",
        15,
    ),
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
        ("applications", "0002_close_undecided_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
