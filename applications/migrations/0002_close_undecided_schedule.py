"""Beat runs the undecided sweep daily: applications still undecided some days after their
posting closed become "not selected" and the students are told."""

from django.db import migrations

TASK = "applications.close_undecided"


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 6:15 in the morning, Eastern: students read the news with their day, not at midnight.
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="America/New_York",
    )
    PeriodicTask.objects.get_or_create(
        name="Close applications left undecided after their posting closed",
        defaults={"task": TASK, "crontab": daily},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
