"""`search_terms`: each posting's search document as PostgreSQL's english configuration reads
it, so that keyword search on SQLite finds the postings PostgreSQL finds (postings.search).
Filled for the postings that exist, on either database: the services keep it from then on,
beside `search_document`."""

from django.db import migrations, models

from postings.text_search import document_terms

BATCH = 2000


def fill(apps, schema_editor):
    Posting = apps.get_model("postings", "Posting")
    rows = Posting.objects.only("pk", "search_document").order_by("pk")
    batch = []
    for posting in rows.iterator(chunk_size=BATCH):
        posting.search_terms = document_terms(posting.search_document)
        batch.append(posting)
        if len(batch) == BATCH:
            Posting.objects.bulk_update(batch, ["search_terms"])
            batch = []
    Posting.objects.bulk_update(batch, ["search_terms"])


class Migration(migrations.Migration):
    dependencies = [("postings", "0007_invitation_sent_at")]

    operations = [
        migrations.AddField(
            model_name="posting",
            name="search_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
