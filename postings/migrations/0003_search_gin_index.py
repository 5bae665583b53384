"""Full-text search on PostgreSQL: a stored, generated tsvector column with a GIN index.

`search_vector` is to_tsvector('english', search_document), computed by PostgreSQL on every
write (so admin edits, bulk loads and services all keep it right) and stored, so ranking does
not parse each matching document again. SQLite (the embedded default) has neither tsvector
nor GIN: there the column does not exist and search falls back to icontains on
search_document. The model does not declare the column for that reason; postings.search
reads it.
"""

from django.db import migrations

ADD = [
    """ALTER TABLE postings_posting ADD COLUMN search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(search_document, ''))) STORED""",
    "CREATE INDEX posting_search_gin ON postings_posting USING gin (search_vector)",
]
REMOVE = [
    "DROP INDEX IF EXISTS posting_search_gin",
    "ALTER TABLE postings_posting DROP COLUMN IF EXISTS search_vector",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("postings", "0002_postings_lifecycle")]
    operations = [migrations.RunPython(run(ADD), run(REMOVE))]
