"""The per-participant summary the indicator reports read (models.ParticipantSummary).

A participant's row is derived from all their participation records by ONE statement, the
same for a single participant after a write and for a rebuild of everything: the first
entry (by entry date, then record id) gives the answers at entry; the last record (the one
not yet left, else the latest exit, then the highest id) gives the results. Window
functions, no self-join; on PostgreSQL and SQLite alike.

Who keeps it current: the services of koinotita.monitoring.services after every write of a
record (same transaction), and a merge of persons or its undo (koinotita.people.merge calls
`summary_persons_moved`). `koinotita monitoring summarise` rebuilds it from the records
(after a bulk load, or to check it: `--check`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from koinotita.monitoring.models import ParticipantSummary, Participation

TABLE = ParticipantSummary._meta.db_table
RECORDS = Participation._meta.db_table

# The answers at entry, copied from the first record.
ENTRY = (
    "is_anonymous",
    "entry_date",
    "sex",
    "age_at_entry",
    "labour_status",
    "unemployed_months",
    "in_education",
    "isced",
    "jobless_household",
    "dependent_children",
    "single_adult",
    "household_known",
    "migrant",
    "foreign_background",
    "third_country",
    "minority",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
)
# The results, from the last record.
LAST = (
    "exit_date",
    "exit_status",
    "qualification_gained",
    "followup_status",
    "improved_situation",
)
COLUMNS = (
    "centre_id",
    "participant",
    "first_id",
    *ENTRY,
    *(f"l_{name}" for name in LAST),
    "l_obs_days",
    "l_fu_days",
)
KEY = "COALESCE(p.person_id, -p.id)"
# A rebuild sorts the records twice (the windows): room to do it in memory (PostgreSQL;
# the setting ends with the transaction).
REBUILD_WORK_MEM = "256MB"


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def summary_select(where: str) -> str:
    """SELECT of the summary rows (in COLUMNS order) of the records matching `where`
    (SQL over `p`, the participation records)."""
    last = ",\n        ".join(f"FIRST_VALUE(p.{name}) OVER w_out AS l_{name}" for name in LAST)
    return f"""
    SELECT {", ".join(COLUMNS)} FROM (
      SELECT p.centre_id, {KEY} AS participant, p.id AS first_id,
        {", ".join(f"p.{name}" for name in ENTRY)},
        ROW_NUMBER() OVER (PARTITION BY p.centre_id, {KEY} ORDER BY p.entry_date, p.id) AS rn_in,
        {last},
        FIRST_VALUE({_days("p.exit_observed_on", "p.exit_date")}) OVER w_out AS l_obs_days,
        FIRST_VALUE({_days("p.followup_on", "p.exit_date")}) OVER w_out AS l_fu_days
      FROM {RECORDS} p WHERE {where}
      WINDOW w_out AS (
        PARTITION BY p.centre_id, {KEY}
        ORDER BY CASE WHEN p.exit_date IS NULL THEN 0 ELSE 1 END, p.exit_date DESC, p.id DESC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      )
    ) r WHERE r.rn_in = 1"""  # noqa: S608 (names are code, values are parameters)


def _insert(where: str) -> str:
    return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {summary_select(where)}"  # noqa: S608


def participant_key(record: Participation) -> int:
    return record.person_id if record.person_id is not None else -record.pk


def summary_refresh(*, centre_id: int, participants: Iterable[int]) -> None:
    """Recompute the rows of these participants of the centre from their records (a
    participant without records left loses their row). Keys as in `participant_key`."""
    keys = sorted(set(participants))
    if not keys:
        return
    persons = [k for k in keys if k > 0]
    records = [-k for k in keys if k < 0]
    params: list = [centre_id]
    match = []
    if persons:
        match.append(f"p.person_id IN ({', '.join(['%s'] * len(persons))})")
        params += persons
    if records:
        match.append(f"(p.person_id IS NULL AND p.id IN ({', '.join(['%s'] * len(records))}))")
        params += records
    where = f"p.centre_id = %s AND ({' OR '.join(match)})"
    marks = ", ".join(["%s"] * len(keys))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two writes for the same participant at once take turns here (SQLite writes
            # one at a time anyway), so neither inserts a row the other just derived.
            cursor.execute(
                f"SELECT p.id FROM {RECORDS} p WHERE {where} ORDER BY p.id FOR UPDATE",  # noqa: S608
                params,
            )
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE centre_id = %s AND participant IN ({marks})",  # noqa: S608
            [centre_id, *keys],
        )
        cursor.execute(_insert(where), params)


def summary_record_changed(record: Participation) -> None:
    """After a record was written: its participant's row again."""
    summary_refresh(centre_id=record.centre_id, participants=[participant_key(record)])


def summary_persons_moved(*, centre_id: int, person_ids: Iterable[int]) -> None:
    """After a merge of persons (or its undo) re-pointed records from one person to
    another: both persons' rows again (called by koinotita.people.merge)."""
    summary_refresh(centre_id=centre_id, participants=person_ids)


def summary_rebuild(*, centre_ids: Iterable[int] | None = None) -> int:
    """Rebuild the summary from the records (all centres, or these); returns its rows."""
    ids = None if centre_ids is None else sorted(set(centre_ids))
    if ids == []:
        return 0
    marks = ", ".join(["%s"] * len(ids or []))
    where = "1 = 1" if ids is None else f"p.centre_id IN ({marks})"
    mine = "" if ids is None else f" WHERE centre_id IN ({marks})"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
        cursor.execute(f"DELETE FROM {TABLE}{mine}", ids or [])  # noqa: S608
        cursor.execute(_insert(where), ids or [])
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}{mine}", ids or [])  # noqa: S608
        rows = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
    return rows


def summary_differences(*, centre_ids: Iterable[int] | None = None) -> int:
    """How many participants' summary rows differ from what the records give now (wrong,
    missing or left over; 0: the summary is true). Reads only; for `koinotita monitoring
    summarise --check` and the tests."""
    ids = None if centre_ids is None else sorted(set(centre_ids))
    marks = ", ".join(["%s"] * len(ids or []))
    where = "1 = 1" if ids is None else f"p.centre_id IN ({marks})"
    mine = "" if ids is None else f" WHERE centre_id IN ({marks})"
    stored = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}{mine}"  # noqa: S608
    derived = summary_select(where)
    one_way = (
        "SELECT centre_id, participant FROM (SELECT * FROM ({}) a EXCEPT SELECT * FROM ({}) b) x"
    )
    both = one_way.format(stored, derived) + " UNION " + one_way.format(derived, stored)
    sql = "SELECT COUNT(*) FROM (" + both + ") d"  # noqa: S608 (names are code)
    with connection.cursor() as cursor:
        cursor.execute(sql, (ids or []) * 4)
        return cursor.fetchone()[0]
