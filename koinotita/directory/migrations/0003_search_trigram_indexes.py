"""Trigram indexes for directory search (koinotita.directory.selectors.service_search),
PostgreSQL only.

The search filters services with LIKE on two derived columns: `needs_key` (' food housing ')
for a need and `search_key` (phonetic words, ' term' for a word start) for the words typed.
A leading wildcard cannot use a btree; a GIN trigram index can, so a rare need or word is a
bitmap index scan instead of a walk through every active service by name. The planner still
walks the (status, name) index in order when many services match, and stops at the first 50.

SQLite: nothing to do; search there uses the same derived columns without these indexes.
"""

from django.db import migrations

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS directory_service_search_trgm "
    "ON directory_service USING gin (search_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS directory_service_needs_trgm "
    "ON directory_service USING gin (needs_key gin_trgm_ops)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS directory_service_search_trgm",
    "DROP INDEX IF EXISTS directory_service_needs_trgm",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_service_categories_key_and_fill")]
    operations = [migrations.RunPython(create, drop)]
