"""The link between an offer and its authorization case moves to the offer (the side that
calls): add Offer.authorization_case and copy every AuthorizationCase.offer into it.
authorization 0007 then drops the old column. Backwards, the copy runs the other way."""

import django.db.models.deletion
from django.db import migrations, models


def link_offers_to_cases(apps, schema_editor):
    AuthorizationCase = apps.get_model("authorization", "AuthorizationCase")
    Offer = apps.get_model("offers", "Offer")
    for case_id, offer_id in AuthorizationCase.objects.exclude(offer=None).values_list(
        "pk", "offer_id"
    ):
        Offer.objects.filter(pk=offer_id).update(authorization_case_id=case_id)


def link_cases_to_offers(apps, schema_editor):
    AuthorizationCase = apps.get_model("authorization", "AuthorizationCase")
    Offer = apps.get_model("offers", "Offer")
    for offer_id, case_id in Offer.objects.exclude(authorization_case=None).values_list(
        "pk", "authorization_case_id"
    ):
        AuthorizationCase.objects.filter(pk=case_id).update(offer_id=offer_id)


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
        migrations.RunPython(link_offers_to_cases, link_cases_to_offers),
    ]
