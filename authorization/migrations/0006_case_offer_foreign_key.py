"""AuthorizationCase.offer_id was a plain integer until offers existed; make it a foreign key.

The old column is renamed out of the way, the key added, the values copied (only those that
point at a real offer), then the old column dropped, so existing cases keep their offer.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_offer_ids(apps, schema_editor):
    AuthorizationCase = apps.get_model("authorization", "AuthorizationCase")
    Offer = apps.get_model("offers", "Offer")
    existing = set(Offer.objects.values_list("pk", flat=True))
    for case in AuthorizationCase.objects.exclude(legacy_offer_id=None).only("legacy_offer_id"):
        if case.legacy_offer_id in existing:
            AuthorizationCase.objects.filter(pk=case.pk).update(offer_id=case.legacy_offer_id)


def copy_back(apps, schema_editor):
    AuthorizationCase = apps.get_model("authorization", "AuthorizationCase")
    AuthorizationCase.objects.update(legacy_offer_id=models.F("offer_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("authorization", "0005_item_due_schedule"),
        ("offers", "0002_sweep_schedules"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="authorizationcase", name="authz_case_one_per_offer"),
        migrations.RenameField(
            model_name="authorizationcase", old_name="offer_id", new_name="legacy_offer_id"
        ),
        migrations.AddField(
            model_name="authorizationcase",
            name="offer",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The accepted offer this authorization is for.",
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="authorization_cases",
                to="offers.offer",
            ),
        ),
        migrations.RunPython(copy_offer_ids, copy_back),
        migrations.RemoveField(model_name="authorizationcase", name="legacy_offer_id"),
        migrations.AddConstraint(
            model_name="authorizationcase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("offer__isnull", False)),
                fields=("offer",),
                name="authz_case_one_per_offer",
            ),
        ),
    ]
