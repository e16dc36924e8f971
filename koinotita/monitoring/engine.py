"""The indicator engine: every indicator of a set in one SQL pass per population, with
conditional counts grouped by sex (never a loop over persons, so it scales).

The participant is the pair (centre, person) — or the record itself for an anonymous
participant, who cannot be matched to a re-entry. `f` is the first entry of the
participant, `l` the last record (closed, or the participant has not left).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

from koinotita.monitoring.indicators import OUTPUT, IndicatorSet

SEXES = ("F", "M", "X", "U")
TABLE = "monitoring_participation"


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


ENTRY_FIELDS = (
    "id",
    "centre_id",
    "person_id",
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
    "migrant",
    "foreign_background",
    "third_country",
    "minority",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
)
# A reporting query sorts the participation rows of its scope twice (the windows); give it
# the memory to do so without spilling to disk (PostgreSQL; the setting ends with the
# transaction).
REPORT_WORK_MEM = "128MB"
LAST_FIELDS = (
    "exit_date",
    "exit_status",
    "qualification_gained",
    "followup_status",
    "improved_situation",
)


def participants_cte(centre_ids: list[int]) -> tuple[str, dict]:
    """Each participation row with its rank among the participant's entries and, from the
    participant's last record, the `l_*` columns (window functions: no self-join)."""
    params = {f"c{n}": cid for n, cid in enumerate(centre_ids)}
    marks = ", ".join(f"%({name})s" for name in params)
    key = "COALESCE(p.person_id, -p.id)"
    last = ",\n        ".join(
        f"FIRST_VALUE(p.{name}) OVER w_out AS l_{name}" for name in LAST_FIELDS
    )
    sql = f"""
    WITH r AS (
      SELECT {", ".join(f"p.{name}" for name in ENTRY_FIELDS)},
        ROW_NUMBER() OVER (PARTITION BY p.centre_id, {key} ORDER BY p.entry_date, p.id) AS rn_in,
        {last},
        FIRST_VALUE({_days("p.exit_observed_on", "p.exit_date")}) OVER w_out AS l_obs_days,
        FIRST_VALUE({_days("p.followup_on", "p.exit_date")}) OVER w_out AS l_fu_days
      FROM {TABLE} p WHERE p.centre_id IN ({marks})
      WINDOW w_out AS (
        PARTITION BY p.centre_id, {key}
        ORDER BY CASE WHEN p.exit_date IS NULL THEN 0 ELSE 1 END, p.exit_date DESC, p.id DESC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      )
    )"""  # noqa: S608 (rules are code, values are parameters)
    return sql, params


def indicator_sql(indicator_set: IndicatorSet, centre_ids: list[int]):
    """One statement counting, by sex, the participants who entered in the period and those
    who left in it, and every indicator of the set over its population."""
    cte, params = participants_cte(centre_ids)
    entered = "(f.entry_date >= %(start)s AND f.entry_date <= %(end)s)"
    left = "(f.l_exit_date >= %(start)s AND f.l_exit_date <= %(end)s)"
    counts = [
        f"COUNT(CASE WHEN {entered} THEN 1 END)",
        f"COUNT(CASE WHEN {entered} AND f.is_anonymous = TRUE THEN 1 END)",
        f"COUNT(CASE WHEN {left} THEN 1 END)",
        f"COUNT(CASE WHEN {left} AND f.is_anonymous = TRUE THEN 1 END)",
    ]
    for i in indicator_set.indicators:
        population = entered if i.kind == OUTPUT else left
        counts.append(f"COUNT(CASE WHEN {population} AND {i.rule} THEN 1 END)")
    select = ",\n      ".join(counts)
    sql = f"""{cte}
    SELECT f.sex,
      {select}
    FROM r f WHERE f.rn_in = 1 AND ({entered} OR {left})
    GROUP BY f.sex"""  # noqa: S608
    return sql, params


@dataclass
class IndicatorFigures:
    """Counts of persons per indicator code and sex (F, M, X, U) and their total."""

    set_key: str
    version: str
    start: date
    end: date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def get(self, code: str, sex: str | None = None) -> int:
        row = self.counts.get(code, {})
        return sum(row.values()) if sex is None else row.get(sex, 0)

    def as_json(self) -> dict:
        return {
            "set": self.set_key,
            "version": self.version,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "counts": self.counts,
        }


PARTICIPANTS = "PARTICIPANTS"  # entered in the period
ANONYMOUS = "ANONYMOUS"  # of whom recorded without consent (no link to a person)
LEAVERS = "LEAVERS"  # left in the period
LEAVERS_ANONYMOUS = "LEAVERS_ANONYMOUS"


def indicators_compute(
    *, indicator_set: IndicatorSet, centre_ids, start: date, end: date
) -> IndicatorFigures:
    """Compute every indicator of the set for the centres (already authorised by the
    caller's selector) and the period, in one statement. A period with no data is a table
    of zeros, not an error."""
    figures = IndicatorFigures(indicator_set.key, indicator_set.version, start, end)
    codes = [PARTICIPANTS, ANONYMOUS, LEAVERS, LEAVERS_ANONYMOUS]
    codes += [i.code for i in indicator_set.indicators]
    for code in codes:
        figures.counts[code] = dict.fromkeys(SEXES, 0)
    ids = sorted(centre_ids)
    if not ids:
        return figures
    sql, params = indicator_sql(indicator_set, ids)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        cursor.execute(sql, {**params, "start": start, "end": end})
        for sex, *values in cursor.fetchall():
            sex = sex if sex in SEXES else "U"
            for code, value in zip(codes, values, strict=True):
                figures.counts[code][sex] += value
    return figures
