"""Indexes for reception search (koinotita.people.search), PostgreSQL only.

- Word starts, in the key's byte order (COLLATE "C": the key is phonetic ASCII, so this is
  alphabetical, and such an index serves both LIKE 'papa%' and ORDER BY):
  (centre_id, search_key) for the family name (the key's first word); (centre_id, second
  word, search_key) for the given name; (centre_id, n-th word) for words 3 and 4. A search
  for «Παπ» in a centre of 24,000 persons is then an index range scan that stops after 20
  rows, in the order the results are shown, instead of sorting the 2,300 Papa- (sorting
  every match is what costs, shared/PERFORMANCE.md); and at 1M persons a word start is
  about ten times faster this way than on the trigram index, whose common trigrams
  (' pa', 'pap') have posting lists of a tenth of the country.
  Keys of five words or more (compound names with a Latin form of their own) are rare: a
  partial trigram index over just those rows serves their later words.
- A GIN trigram index on (centre_id, search_key): substrings ('%dopul%') and the typo
  fallback (search_key %> 'query', pg_trgm word similarity). btree_gin lets centre_id sit
  in the same GIN index (PERFORMANCE.md: 6x faster at p95 than trigram alone); the query
  then compares centre_id with a bigint (see people.search._scoped).
- btree indexes with varchar_pattern_ops on (centre_id, identifier) for prefix search on
  AMKA, AFM, phone digits and ID number: a plain btree in a non-C collation cannot serve
  LIKE 'prefix%'; a pattern_ops one can, whatever the database's collation.

The application sends LIKE patterns as literals (Django binds parameters client-side with
psycopg 3), so the planner sees the prefix; a server-side prepared statement with a generic
plan would not (PERFORMANCE.md) and must not be introduced for these queries.

SQLite: nothing to do; search there uses the same normalised key without these indexes.
"""

from django.db import migrations

IDENTIFIERS = ("amka", "afm", "phone_digits", "id_document_number")
WORD_INDEXES = 4  # people.search.WORD_INDEXES

KEY_C = 'search_key COLLATE "C"'


def word_c(n: int) -> str:
    return f"(split_part(search_key, ' ', {n})) COLLATE \"C\""


PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    f"CREATE INDEX IF NOT EXISTS people_person_search_family ON people_person (centre_id, {KEY_C})",
    "CREATE INDEX IF NOT EXISTS people_person_search_word_2 "
    f"ON people_person (centre_id, {word_c(2)}, {KEY_C})",
    *(
        f"CREATE INDEX IF NOT EXISTS people_person_search_word_{n} "
        f"ON people_person (centre_id, {word_c(n)})"
        for n in range(3, WORD_INDEXES + 1)
    ),
    "CREATE INDEX IF NOT EXISTS people_person_search_long "
    "ON people_person USING gin (centre_id, search_key gin_trgm_ops) "
    f"WHERE split_part(search_key, ' ', {WORD_INDEXES + 1}) <> ''",
    "CREATE INDEX IF NOT EXISTS people_person_search_trgm "
    "ON people_person USING gin (centre_id, search_key gin_trgm_ops)",
    *(
        f"CREATE INDEX IF NOT EXISTS people_person_{name}_prefix "
        f"ON people_person (centre_id, {name} varchar_pattern_ops)"
        for name in IDENTIFIERS
    ),
]
PG_DROP = [
    "DROP INDEX IF EXISTS people_person_search_family",
    *(f"DROP INDEX IF EXISTS people_person_search_word_{n}" for n in range(1, WORD_INDEXES + 1)),
    "DROP INDEX IF EXISTS people_person_search_long",
    "DROP INDEX IF EXISTS people_person_search_trgm",
    *(f"DROP INDEX IF EXISTS people_person_{name}_prefix" for name in IDENTIFIERS),
    # The extensions stay: other objects may depend on them.
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
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
