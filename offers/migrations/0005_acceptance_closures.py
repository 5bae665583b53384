"""What an acceptance closes is stored as links to it (AcceptanceClosure), which a staff
reversal follows instead of matching history notes that contain the posting's title.

No data migration: acceptances made before this one have no links, so reversing one of them
reopens nothing but the offer itself and its application. That is deliberate (the old notes
are the unreliable text this replaces); the admin says so after such a reversal, and
tests/offers/test_reversals.py holds it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_reminder_schedules'),
        ('offers', '0004_copy_case_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='AcceptanceClosure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(max_length=20)),
                ('closed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reopened_at', models.DateTimeField(blank=True, help_text='When a reversal of the acceptance reopened it.', null=True)),
                ('accepted_offer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acceptance_closures', to='offers.offer')),
                ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='applications.application')),
                ('offer', models.ForeignKey(blank=True, help_text="Another pending offer of the student's that the acceptance declined.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='closed_by_acceptances', to='offers.offer')),
            ],
            options={
                'ordering': ['closed_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('application__isnull', False), ('offer__isnull', True)), models.Q(('application__isnull', True), ('offer__isnull', False)), _connector='OR'), name='acceptance_closure_one_target')],
            },
        ),
    ]
