"""Keyword search reads only published postings: a GIN index over their search_vector alone.

Students search published postings (PostingQuerySet.published filters on status first), so a
partial index over those rows is smaller and stays hot; posting_search_gin (migration 0003)
stays for searches over every posting. PostgreSQL only, as in 0003.
"""

from django.db import migrations

ADD = [
    "CREATE INDEX posting_search_published_gin ON postings_posting USING gin (search_vector) "
    "WHERE status = 'published'",
]
REMOVE = ["DROP INDEX IF EXISTS posting_search_published_gin"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("postings", "0009_field_alert_schedule")]
    operations = [migrations.RunPython(run(ADD), run(REMOVE))]
