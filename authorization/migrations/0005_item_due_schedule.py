"""Beat runs the checklist-reminder sweep every 15 minutes; the sweep decides what is due
(9:00 Eastern, three days before a step's date or after it) and sends it once."""

from django.db import migrations

TASK = "authorization.item_due_sweep"


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Remind students and ISO advisors of checklist steps due",
        defaults={"task": TASK, "interval": every},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("authorization", "0004_first_year_override"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
