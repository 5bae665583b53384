"""Full-text search on PostgreSQL: a GIN index over to_tsvector('english', search_document).

Not in Posting.Meta.indexes because SQLite (the embedded default) has no GIN indexes; the index
is built by Django from the very expression the search query uses (postings.search), so the
planner can match the two.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "posting_search_gin"


def search_index():
    return GinIndex(SearchVector("search_document", config="english"), name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("postings", "Posting"), search_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("postings", "Posting"), search_index())


class Migration(migrations.Migration):
    dependencies = [("postings", "0002_postings_lifecycle")]
    operations = [migrations.RunPython(add_index, remove_index)]
