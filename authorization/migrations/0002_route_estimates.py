"""Seed the staff-editable route estimates from forecast.default_estimates().

The OPT fees are USCIS's since April 1, 2024 (form I-765): 470 USD online, 520 USD on
paper. CAPD's page still says 410 USD, which is out of date. Runs once; ISO advisors edit
the rows afterwards, and rows that exist are left alone.
"""

from decimal import Decimal

from django.db import migrations

NOTES = {
    "pre_completion_opt": "USCIS: 90-100 days on average, up to 120; filing at most 90 days "
    "before the start date. Fees from April 1, 2024 (CAPD's page still says 410 USD).",
    "cpt": "About 5 days to gather the department letter, then 5-10 business days at the ISO.",
    "academic_training": "5-10 business days at the ISO once the offer letter is in.",
}
FEES = {"pre_completion_opt": (Decimal("470"), Decimal("520"))}


def seed_estimates(apps, schema_editor):
    from authorization.forecast import default_estimates

    RouteEstimateSetting = apps.get_model("authorization", "RouteEstimateSetting")
    for route, estimate in default_estimates().items():
        online, paper = FEES.get(route, (None, None))
        RouteEstimateSetting.objects.get_or_create(
            route=route,
            defaults={
                "min_days": estimate.min_days,
                "max_days": estimate.max_days,
                "business_days": estimate.business_days,
                "earliest_filing_days_before_start": estimate.earliest_filing_days_before_start,
                "lead_days": estimate.lead_days,
                "fee_online_usd": online,
                "fee_paper_usd": paper,
                "notes": NOTES.get(route, ""),
            },
        )


def remove_estimates(apps, schema_editor):
    apps.get_model("authorization", "RouteEstimateSetting").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("authorization", "0001_initial")]
    operations = [migrations.RunPython(seed_estimates, remove_estimates)]
