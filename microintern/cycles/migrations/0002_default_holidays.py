"""Fill the holiday table: US federal holidays as observed in Massachusetts, plus the Friday
after Thanksgiving, for 2025 through 2035. Staff edit the table afterwards; this runs once."""

import datetime as dt

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2025, 2035


def default_holidays() -> dict[dt.date, str]:
    import holidays

    days: dict[dt.date, str] = {}
    calendar = holidays.US(subdiv="MA", years=range(FIRST_YEAR, LAST_YEAR + 1))
    for day, name in sorted(calendar.items()):
        days[day] = name
        if "Thanksgiving" in name:
            days[day + dt.timedelta(days=1)] = "Day after Thanksgiving"
    return days


def add_holidays(apps, schema_editor):
    Holiday = apps.get_model("cycles", "Holiday")
    existing = set(Holiday.objects.values_list("date", flat=True))
    Holiday.objects.bulk_create(
        Holiday(date=day, name=name[:120])
        for day, name in default_holidays().items()
        if day not in existing
    )


def remove_holidays(apps, schema_editor):
    Holiday = apps.get_model("cycles", "Holiday")
    Holiday.objects.filter(date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR).delete()


class Migration(migrations.Migration):
    dependencies = [("cycles", "0001_initial")]
    operations = [migrations.RunPython(add_holidays, remove_holidays)]
