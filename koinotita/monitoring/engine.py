"""The indicator engine: every indicator of a set in one SQL pass per population, with
conditional counts grouped by sex (never a loop over persons, so it scales).

The participant is the pair (centre, person) — or the record itself for an anonymous
participant, who cannot be matched to a re-entry. `f` is the first entry of the
participant, `l` the last record (closed, or the participant has not left).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from koinotita.monitoring.indicators import OUTPUT, IndicatorSet

SEXES = ("F", "M", "X", "U")
TABLE = "monitoring_participation"


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def participants_cte(centre_ids: list[int]) -> tuple[str, list]:
    """The ranked participation rows of the given centres (SQL and its parameters)."""
    marks = ", ".join(["%s"] * len(centre_ids))
    key = "COALESCE(p.person_id, -p.id)"
    sql = f"""
    WITH r AS (
      SELECT p.*, {key} AS pkey,
        {_days("p.exit_observed_on", "p.exit_date")} AS obs_days,
        {_days("p.followup_on", "p.exit_date")} AS fu_days,
        ROW_NUMBER() OVER (PARTITION BY p.centre_id, {key} ORDER BY p.entry_date, p.id) AS rn_in,
        ROW_NUMBER() OVER (
          PARTITION BY p.centre_id, {key}
          ORDER BY CASE WHEN p.exit_date IS NULL THEN 0 ELSE 1 END, p.exit_date DESC, p.id DESC
        ) AS rn_out
      FROM {TABLE} p WHERE p.centre_id IN ({marks})
    )"""  # noqa: S608 (rules are code, values are parameters)
    return sql, list(centre_ids)


def indicator_sql(indicator_set: IndicatorSet, centre_ids: list[int], kind: str):
    """The SQL (and parameters) counting one population's indicators by sex."""
    cte, params = participants_cte(centre_ids)
    indicators = [i for i in indicator_set.indicators if i.kind == kind]
    counts = ",\n  ".join(f"COUNT(CASE WHEN {i.rule} THEN 1 END)" for i in indicators)
    if kind == OUTPUT:
        source = "FROM r f WHERE f.rn_in = 1 AND f.entry_date >= %s AND f.entry_date <= %s"
    else:
        source = (
            "FROM r f JOIN r l ON l.centre_id = f.centre_id AND l.pkey = f.pkey AND l.rn_out = 1"
            " WHERE f.rn_in = 1 AND l.exit_date >= %s AND l.exit_date <= %s"
        )
    sql = f"""{cte}
    SELECT f.sex, COUNT(*), COUNT(CASE WHEN f.is_anonymous = TRUE THEN 1 END),
      {counts}
    {source}
    GROUP BY f.sex"""
    return sql, params, indicators


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
    caller's selector) and the period. A period with no data is a table of zeros."""
    figures = IndicatorFigures(indicator_set.key, indicator_set.version, start, end)
    totals = {OUTPUT: (PARTICIPANTS, ANONYMOUS), "result": (LEAVERS, LEAVERS_ANONYMOUS)}
    for indicator in indicator_set.indicators:
        figures.counts[indicator.code] = dict.fromkeys(SEXES, 0)
    for codes in totals.values():
        for code in codes:
            figures.counts[code] = dict.fromkeys(SEXES, 0)
    ids = sorted(centre_ids)
    if not ids:
        return figures
    for kind, (total_code, anonymous_code) in totals.items():
        sql, params, indicators = indicator_sql(indicator_set, ids, kind)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, start, end])
            for sex, total, anonymous, *values in cursor.fetchall():
                sex = sex if sex in SEXES else "U"
                figures.counts[total_code][sex] += total
                figures.counts[anonymous_code][sex] += anonymous
                for indicator, value in zip(indicators, values, strict=True):
                    figures.counts[indicator.code][sex] += value
    return figures
