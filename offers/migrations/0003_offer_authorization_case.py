"""The link between an offer and its authorization case moves to the offer (the side that
calls): add Offer.authorization_case. 0004 copies every AuthorizationCase.offer into it and
authorization 0007 then drops the old column. (The copy is its own migration: PostgreSQL
refuses to alter a table with foreign-key checks still pending in the same transaction.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authorization", "0006_case_offer_foreign_key"),
        ("offers", "0002_sweep_schedules"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="authorization_case",
            field=models.OneToOneField(
                blank=True,
                help_text="The work authorization case this offer's acceptance opened.",
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="accepted_offer",
                to="authorization.authorizationcase",
            ),
        ),
    ]
