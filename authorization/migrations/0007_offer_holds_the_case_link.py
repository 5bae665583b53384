"""AuthorizationCase.offer goes: offers 0004 copied every link to Offer.authorization_case."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("authorization", "0006_case_offer_foreign_key"),
        ("offers", "0004_copy_case_links"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="authorizationcase", name="authz_case_one_per_offer"
        ),
        migrations.RemoveField(model_name="authorizationcase", name="offer"),
    ]
