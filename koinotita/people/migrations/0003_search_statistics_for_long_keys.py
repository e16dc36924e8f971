"""Statistics on the fifth word of the search key (PostgreSQL only).

Keys of five words or more are rare (243 in 1,000,000 synthetic persons); their later words
are searched through the partial trigram index `people_person_search_long`, whose condition
is `split_part(search_key, ' ', 5) <> ''`. Without statistics on that expression the planner
guesses a third of the centre matches it and walks the whole centre instead (0.3 s at
150,000 persons); with them it takes the partial index (0.3 ms). See people.search.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS people_person_search_word_5 "
    "ON (split_part(search_key, ' ', 5)) FROM people_person"
)
DROP = "DROP STATISTICS IF EXISTS people_person_search_word_5"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE people_person")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
