"""Copy every AuthorizationCase.offer into Offer.authorization_case (backwards: the other
way), between offers 0003 adding the column and authorization 0007 dropping the old one."""

from django.db import migrations


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
    dependencies = [("offers", "0003_offer_authorization_case")]

    operations = [migrations.RunPython(link_offers_to_cases, link_cases_to_offers)]
